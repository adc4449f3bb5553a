import { type Tree } from '@nx/devkit';
import { type AccountRegistry, REGISTRY_FILE, parseRegistry, validateRegistry } from '@trustline/registry';
import { formatJson } from './json-format';

/** The registry as written (`raw`, every field and its order) and as validated (`registry`). */
export interface RegistryDocument {
  readonly raw: Readonly<Record<string, unknown>>;
  readonly registry: AccountRegistry;
}

/** Reads `accounts.json` at the workspace root of `tree` and validates it. */
export function readRegistryDocument(tree: Tree): RegistryDocument {
  const text = tree.read(REGISTRY_FILE, 'utf-8');
  if (text === null) {
    throw new Error(`${REGISTRY_FILE} was not found at the workspace root; the account generators edit that file, so create it first (see packages/registry).`);
  }
  const registry = parseRegistry(text, REGISTRY_FILE);
  return { raw: JSON.parse(text) as Record<string, unknown>, registry };
}

/**
 * Validates `raw` as a whole registry and only then writes it, formatted like the hand-written file.
 * A result that would not load is never written.
 */
export function writeRegistryDocument(tree: Tree, raw: Readonly<Record<string, unknown>>): AccountRegistry {
  const registry = validateRegistry(raw, REGISTRY_FILE);
  tree.write(REGISTRY_FILE, formatJson(raw));
  return registry;
}

/** Code-point order, so the result does not depend on the machine's locale. */
export const byKey = (a: { key: string }, b: { key: string }): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** `raw` with its `accounts` list replaced; every other top-level field keeps its value and position. */
export function withAccounts(raw: Readonly<Record<string, unknown>>, accounts: readonly Record<string, unknown>[]): Record<string, unknown> {
  const sorted = [...accounts].sort((a, b) => byKey({ key: String(a.key) }, { key: String(b.key) }));
  return { ...raw, accounts: sorted };
}
