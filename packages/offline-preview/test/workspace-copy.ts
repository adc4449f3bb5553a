import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { useSampleOrganization } from '@trustline/workspace-plugin';

/** The repository this package lives in. */
export const REPO = path.resolve(__dirname, '../../..');

const SKIP = new Set(['.git', '.nx', 'dist', 'coverage']);

/**
 * A temporary copy of a workspace for tests and the benchmark: every file except .git/.nx, with each
 * node_modules folder symlinked to the original (so packages resolve exactly as in the repository).
 */
export function copyWorkspace(from = REPO, prefix = 'offline-preview-'): string {
  const to = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.cpSync(from, to, {
    recursive: true,
    filter: (src) => {
      const base = path.basename(src);
      if (SKIP.has(base)) return false;
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

/**
 * Makes the copy hold the frozen sample organization: the sample registry (dev, prod, test) and exactly
 * its projects, rendered by the account generator where the checkout has none (after `npm run org:init`
 * it has none). So a test that lists accounts or edits projects/dev does not move when a team onboards
 * an account or adopts the repository.
 */
export function useSampleRegistry(workspace: string): void {
  useSampleOrganization(workspace);
}

/** Adds `count` accounts (`acct-001`...) to the workspace registry, each with a project rendered from projects/dev. */
export function addGeneratedAccounts(workspace: string, count: number): string[] {
  const registryFile = path.join(workspace, 'accounts.json');
  const registry = JSON.parse(fs.readFileSync(registryFile, 'utf8'));
  const dev = registry.accounts.find((a: { key: string }) => a.key === 'dev');
  const template = path.join(workspace, 'projects', 'dev');
  const keys: string[] = [];
  for (let i = 1; i <= count; i++) {
    const key = `acct-${String(i).padStart(3, '0')}`;
    keys.push(key);
    registry.accounts.push({ ...dev, key, accountId: String(500000000000 + i) });
    const dir = path.join(workspace, 'projects', key);
    fs.mkdirSync(dir, { recursive: true });
    for (const name of fs.readdirSync(template)) {
      const src = path.join(template, name);
      if (!fs.statSync(src).isFile() || name.endsWith('.test.ts')) continue;
      const text = fs.readFileSync(src, 'utf8').replace(/\bdev\b/g, key);
      fs.writeFileSync(path.join(dir, name.replace(/\bdev\b/g, key)), text);
    }
  }
  fs.writeFileSync(registryFile, `${JSON.stringify(registry, null, 2)}\n`);
  return keys;
}
