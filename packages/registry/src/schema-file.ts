import * as path from 'node:path';
import { accountsJsonSchema } from './validate';

/** `accounts.schema.json`, next to this package's package.json; every registry's `$schema` points at it. */
export const ACCOUNTS_SCHEMA_FILE = path.resolve(__dirname, '../accounts.schema.json');

/** The text of `accounts.schema.json` as `npm run schemas` writes it: the contract's schema, two-space JSON. */
export function accountsSchemaText(): string {
  return `${JSON.stringify(accountsJsonSchema(), null, 2)}\n`;
}
