import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Tree } from '@nx/devkit';
import {
  type AccountRegistry,
  REGISTRY_FILE,
  type RegistryEdit,
  type RegistryEditResult,
  editRegistryText,
  parseRegistry,
  readRegistryText,
  updateRegistryFile,
} from '@trustline/registry';

export { withAccounts } from '@trustline/registry';

/** The registry as written (`raw`, every field and its order), as validated (`registry`), and its text. */
export interface RegistryDocument {
  readonly raw: Readonly<Record<string, unknown>>;
  readonly registry: AccountRegistry;
  readonly text: string;
}

/** Reads `accounts.json` at the workspace root of `tree` and validates it (a BOM is tolerated, see write.ts). */
export function readRegistryDocument(tree: Tree): RegistryDocument {
  const text = tree.read(REGISTRY_FILE, 'utf-8');
  if (text === null) {
    throw new Error(`${REGISTRY_FILE} was not found at the workspace root; the account generators edit that file, so create it first (see packages/registry).`);
  }
  const registry = parseRegistry(text, REGISTRY_FILE);
  return { raw: readRegistryText(text, REGISTRY_FILE).raw, registry, text };
}

/**
 * Whether the tree is a workspace on disk (what `nx g` runs on). There the registry is never written
 * through the tree, whose flush is a plain overwrite of what was read at the start: the generators'
 * callbacks change it with {@link commitRegistryEdit} instead, under the registry lock. In-memory
 * trees (generator tests, `createTreeWithEmptyWorkspace`) get the edit in the tree.
 */
export function registryOnDisk(tree: Tree): boolean {
  return fs.existsSync(path.join(tree.root, REGISTRY_FILE));
}

/**
 * Applies `edit` to the tree's registry, for an in-memory tree (see {@link registryOnDisk}). Validated
 * as a whole and printed in the file's own layout; a result that would not load is never written.
 */
export function editRegistryInTree(tree: Tree, edit: RegistryEdit): RegistryEditResult {
  const text = tree.read(REGISTRY_FILE, 'utf-8') ?? '';
  const result = editRegistryText(text, REGISTRY_FILE, edit);
  if (result.changed) tree.write(REGISTRY_FILE, result.text);
  return result;
}

/** The registry transaction on disk: lock, read as it is now, edit, validate, atomic rename. */
export function commitRegistryEdit(root: string, edit: RegistryEdit): RegistryEditResult {
  return updateRegistryFile(path.join(root, REGISTRY_FILE), edit);
}


