import * as path from 'node:path';
import { type Tree, visitNotIgnoredFiles } from '@nx/devkit';
import { type AccountRegistry, REGISTRY_FILE, principalAccount } from '@trustline/registry';

/** Files that can reference an account: code, manifests, tsconfigs and Pulumi stack settings. */
const SCANNED = /(\.[cm]?[jt]s|\.ya?ml|(^|\/)(package|project)\.json|(^|\/)tsconfig[^/]*\.json)$/;

/**
 * Not references, so not scanned:
 * - generator templates (`files/`: placeholders, not references);
 * - other copies of the registry and fixture folders (test fixtures such as @trustline/registry's
 *   frozen sample are separate registries; removing an account from the live one does not touch them);
 * - tests and benchmarks: they run on those frozen fixtures, never on the live registry's accounts (the
 *   workspace's rule; the org:init end-to-end test runs them on a registry without the sample accounts).
 * The account's own folder and the generated trust graph (docs/, README.md) are outside the scanned
 * projects: the first is deleted with the account, the second is redrawn afterwards.
 */
const NOT_SCANNED = /(^|\/)(files|fixtures|test|tests|__tests__|bench)(\/|$)|(^|\/)accounts\.json$|\.(test|spec|bench)\.[cm]?[jt]s$/;

/** Project tag of the programs that deploy into accounts (projects/*, access): the only code that may name an account id. */
export const ACCOUNT_SCOPE_TAG = 'scope:account';

/**
 * `text` without its comments, for code files: an account id in a TSDoc example is not a dependency.
 * Strings are kept whole, so `'https://x'` or `'a/*b'` inside one is not taken for a comment.
 */
export function stripComments(text: string): string {
  return text.replace(/("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (m, str: string | undefined) =>
    str !== undefined ? m : m.replace(/[^\n]/g, ' '),
  );
}

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
      if (principalAccount(p) === accountId) {
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

/** A project as the reference scan needs it. */
export interface ScannedProject {
  readonly root: string;
  readonly tags?: readonly string[];
}

/**
 * Files of other projects that really reference the account (see {@link findAccountReference}):
 * outside comments, tests, fixtures and templates. Library packages receive accounts through the
 * registry, so only in account programs (tag {@link ACCOUNT_SCOPE_TAG}) does a bare account id count;
 * the account's key patterns (package, folder, `getAccount`, Pulumi targets) count everywhere.
 * `skipRoots` are project roots not scanned: the account's own project.
 */
export function projectReferences(
  tree: Tree,
  projects: readonly ScannedProject[],
  key: string,
  accountId: string | undefined,
  skipRoots: readonly string[],
): string[] {
  const found: string[] = [];
  for (const { root, tags } of projects) {
    if (root === '.' || root === '' || skipRoots.includes(root)) continue;
    const id = tags?.includes(ACCOUNT_SCOPE_TAG) ? accountId : undefined;
    visitNotIgnoredFiles(tree, root, (file) => {
      const rel = path.posix.relative(root, file);
      if (!SCANNED.test(file) || NOT_SCANNED.test(rel)) return;
      const text = tree.read(file, 'utf-8');
      if (text === null) return;
      const match = findAccountReference(/\.[cm]?[jt]s$/.test(file) ? stripComments(text) : text, key, id);
      if (match !== undefined) {
        found.push(`${file} references account "${key}" (${JSON.stringify(match)}); remove that reference first.`);
      }
    });
  }
  return found.sort();
}
