import * as path from 'node:path';
import { organizationJsonSchema } from './organization';

/** `organization.schema.json`, next to this package's package.json; a snapshot's organization.json may point its `$schema` at it. */
export const ORGANIZATION_SCHEMA_FILE = path.resolve(__dirname, '../../organization.schema.json');

/** The text of `organization.schema.json` as `npm run schemas` writes it: the contract's schema, two-space JSON. */
export function organizationSchemaText(): string {
  return `${JSON.stringify(organizationJsonSchema(), null, 2)}\n`;
}
