// npm run schemas: writes packages/paths/organization.schema.json from the organization.json contract
// (packages/paths/src/snapshot/organization.ts). A test fails while the committed file differs from it.
import * as fs from 'node:fs';
import { ORGANIZATION_SCHEMA_FILE, organizationSchemaText } from '../src/snapshot/schema-file';

const next = organizationSchemaText();
const current = fs.existsSync(ORGANIZATION_SCHEMA_FILE) ? fs.readFileSync(ORGANIZATION_SCHEMA_FILE, 'utf8') : '';
if (current === next) {
  console.log(`${ORGANIZATION_SCHEMA_FILE} is up to date.`);
} else {
  const tmp = `${ORGANIZATION_SCHEMA_FILE}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, next);
  fs.renameSync(tmp, ORGANIZATION_SCHEMA_FILE);
  console.log(`wrote ${ORGANIZATION_SCHEMA_FILE}`);
}
