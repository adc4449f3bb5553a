import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AccountRegistry } from '@trustline/registry';
import { accountGenerator, commitRegistryEdit, planOnboarding, readRegistryDocument, withAccounts } from '@trustline/workspace-plugin';
import { FsTree, flushChanges } from 'nx/src/generators/tree';

/** The repository this package lives in. */
export const REPO = path.resolve(__dirname, '../../..');

const SKIP = new Set(['.git', '.nx', 'dist', 'coverage']);

/**
 * A temporary copy of a workspace for tests and benchmarks: every file except .git/.nx, with each
 * node_modules folder symlinked to the original (so packages resolve exactly as in the repository).
 * `exclude` lists workspace-relative paths left out (`projects`: a copy whose cost does not grow with
 * the accounts the original holds).
 */
export function copyWorkspace(from = REPO, prefix = 'trustline-copy-', exclude: readonly string[] = []): string {
  const to = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const excluded = new Set(exclude.map((p) => path.join(from, p)));
  fs.cpSync(from, to, {
    recursive: true,
    filter: (src) => {
      const base = path.basename(src);
      if (SKIP.has(base) || excluded.has(src)) return false;
      if (base === 'node_modules') {
        const dest = path.join(to, path.relative(from, src));
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        fs.symlinkSync(src, dest, 'dir');
        return false;
      }
      return true;
    },
  });
  return to;
}

/** The key and id of the `i`-th generated account (1-based): `acct-0001`, `500000000001`. */
export function generatedAccount(i: number): { readonly key: string; readonly accountId: string } {
  return { key: `acct-${String(i).padStart(4, '0')}`, accountId: String(500000000000 + i) };
}

/**
 * Onboards generated accounts `first`..`first + count - 1` (see {@link generatedAccount}) into
 * `workspace` through the account generator itself, exactly as `npm run account:add` does minus the
 * lockfile and graph steps: registry entry validated and added, project rendered from the generator's
 * templates. Changes are written every `flushEvery` accounts, so memory stays bounded. Progress on stderr.
 */
export async function onboardAccounts(workspace: string, count: number, first = 1, flushEvery = 50): Promise<string[]> {
  const keys: string[] = [];
  let tree = new FsTree(workspace, false);
  let callbacks: (() => void | Promise<void>)[] = [];
  for (let i = first; i < first + count; i++) {
    const { key, accountId } = generatedAccount(i);
    const callback = await accountGenerator(tree, { name: key, accountId, environment: 'dev', skipInstall: true, skipGraph: true });
    if (callback) callbacks.push(callback);
    keys.push(key);
    if (keys.length % flushEvery === 0 || i === first + count - 1) {
      flushChanges(workspace, tree.listChanges());
      // On disk the generator adds the registry entry in its callback (a locked transaction), as `nx g` runs it after flushing.
      for (const done of callbacks) await done();
      callbacks = [];
      tree = new FsTree(workspace, false);
      process.stderr.write(`onboarded ${keys.length}/${count} accounts into ${workspace}\n`);
    }
  }
  return keys;
}

/**
 * Adds generated accounts `first`..`first + count - 1` to `workspace`'s accounts.json only (no project
 * folders): for programs that read the registry but not the projects (the access program, registry
 * load, doctor and scan --live), at sizes where rendering 10,000 project folders would only measure the
 * disk. Each entry is the one the generator plans (`planOnboarding`, with the generator's defaults and
 * checks), and the registry is validated as a whole before it is written, as the generator writes it.
 */
export function registerAccounts(workspace: string, count: number, first = 1): string[] {
  const { registry } = readRegistryDocument(new FsTree(workspace, false));
  const accounts = [...registry.accounts];
  const keys: string[] = [];
  const projects = new Map<string, string>();
  for (let i = first; i < first + count; i++) {
    const { key, accountId } = generatedAccount(i);
    const current: AccountRegistry = { ...registry, accounts };
    const { entry } = planOnboarding(current, { name: key, accountId, environment: 'dev' }, projects);
    accounts.push(entry);
    keys.push(key);
  }
  // The registry's own transaction (lock, validate, atomic rename), as the generators write it.
  commitRegistryEdit(workspace, (raw) => withAccounts(raw, accounts.map((a) => ({ ...a }))));
  return keys;
}
