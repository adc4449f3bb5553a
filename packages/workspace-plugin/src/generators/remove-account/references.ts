import * as path from 'node:path';
import { type Tree, visitNotIgnoredFiles } from '@nx/devkit';
import { type AccountRegistry, REGISTRY_FILE, ROLE_ARN } from '@trustline/registry';

/** Files that can reference an account: code, manifests, tsconfigs and Pulumi stack settings. */
const SCANNED = /(\.[cm]?[jt]s|\.ya?ml|(^|\/)(package|project)\.json|(^|\/)tsconfig[^/]*\.json)$/;

/**
 * Not scanned: generator templates (placeholders, not references), other copies of the registry and
 * fixture folders (test fixtures such as @trustline/registry's frozen sample are separate registries;
 * removing an account from the real one does not touch them).
 */
const NOT_SCANNED = /(^|\/)files(\/|$)|(^|\/)fixtures(\/|$)|(^|\/)accounts\.json$/;

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');

/**
 * Registry entries that trust a role in `accountId` (their `trustedPrincipals` name it). Removing the
 * account would leave those entries naming an account the registry no longer knows, which fails validation.
 */
export function registryReferences(registry: AccountRegistry, key: string, accountId: string): string[] {
  const found: string[] = [];
  for (const a of registry.accounts) {
    if (a.key === key) continue;
    for (const p of a.trustedPrincipals) {
      if (ROLE_ARN.exec(p)?.[2] === accountId) {
        found.push(`${REGISTRY_FILE}: account "${a.key}" lists ${p} in trustedPrincipals; remove that principal first.`);
      }
    }
  }
  return found;
}

/**
 * The first reference to the account in `text`, or undefined. Deliberately specific, because keys such
 * as `test` or `dev` are also target and environment names: the account's package, its folder, a
 * `getAccount(…, 'key')` call, one of its Pulumi targets (`key:destroy`) or its account id.
 */
export function findAccountReference(text: string, key: string, accountId?: string): string | undefined {
  const k = escape(key);
  const patterns = [
    new RegExp(`@trustline/account-${k}(?![\\w-])`),
    new RegExp(`(?<![\\w-])projects/${k}(?![\\w-])`),
    new RegExp(`getAccount\\([^()]*?(["'\`])${k}\\1`),
    new RegExp(`(?<![\\w-])${k}:(?:preview|up|refresh|destroy|plugins)\\b`),
    ...(accountId ? [new RegExp(`(?<!\\d)${accountId}(?!\\d)`)] : []),
  ];
  for (const p of patterns) {
    const m = p.exec(text);
    if (m) return m[0];
  }
  return undefined;
}

/**
 * Files of other projects that reference the account (see {@link findAccountReference}). Tests count:
 * a test that reads the real registry breaks when the account goes. `skipRoots` are project roots not
 * scanned: the account's own project, and tooling whose tests use keys as fixtures against copies.
 */
export function projectReferences(
  tree: Tree,
  projectRoots: readonly string[],
  key: string,
  accountId: string | undefined,
  skipRoots: readonly string[],
): string[] {
  const found: string[] = [];
  for (const root of projectRoots) {
    if (root === '.' || root === '' || skipRoots.includes(root)) continue;
    visitNotIgnoredFiles(tree, root, (file) => {
      const rel = path.posix.relative(root, file);
      if (!SCANNED.test(file) || NOT_SCANNED.test(rel)) return;
      const text = tree.read(file, 'utf-8');
      const match = text === null ? undefined : findAccountReference(text, key, accountId);
      if (match !== undefined) {
        found.push(`${file} references account "${key}" (${JSON.stringify(match)}); remove that reference first.`);
      }
    });
  }
  return found.sort();
}
