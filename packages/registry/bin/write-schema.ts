// npm run schemas: writes packages/registry/accounts.schema.json from the registry contract
// (packages/registry/src/validate.ts). A test fails while the committed file differs from it.
import * as fs from 'node:fs';
import { ACCOUNTS_SCHEMA_FILE, accountsSchemaText } from '../src/schema-file';

const next = accountsSchemaText();
const current = fs.existsSync(ACCOUNTS_SCHEMA_FILE) ? fs.readFileSync(ACCOUNTS_SCHEMA_FILE, 'utf8') : '';
if (current === next) {
  console.log(`${ACCOUNTS_SCHEMA_FILE} is up to date.`);
} else {
  const tmp = `${ACCOUNTS_SCHEMA_FILE}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, next);
  fs.renameSync(tmp, ACCOUNTS_SCHEMA_FILE);
  console.log(`wrote ${ACCOUNTS_SCHEMA_FILE}`);
}
