import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadRegistry } from '@trustline/registry';
import { describe, expect, it } from 'vitest';
import { removeWhenDone } from './helpers';
import { runIn, startIn, workspaceCopy } from './workspace-copy';

/**
 * End to end, in copies of this workspace holding the frozen sample organization: concurrent
 * `npm run account:add` runs lose no entry, and a run killed (SIGKILL) in its lockfile step is finished by
 * a rerun. Slow (each run starts Nx, npm and the offline preview). Timings: `npm run bench:onboarding`
 * prints them; no test asserts one.
 */
const TIMEOUT = 600_000;

const read = (root: string, file: string): string => fs.readFileSync(path.join(root, file), 'utf8');
const lockfilePackages = (root: string): Record<string, { name?: string }> => JSON.parse(read(root, 'package-lock.json')).packages;
/** Lock and temporary files the transactions leave when they do not finish (none must remain). */
const leftovers = (root: string): string[] =>
  [...fs.readdirSync(root), ...fs.readdirSync(path.join(root, 'docs'))].filter((f) => /\.lock$|\.lock\.stale-|^\..*\.tmp$/.test(f) && f !== 'package-lock.json');

describe('npm run account:add, concurrent and interrupted', () => {
  it(
    'four runs at once all exit 0 and every entry, project, lockfile workspace and graph node is there',
    async () => {
      const copy = workspaceCopy();
      removeWhenDone(copy);
      const keys = ['qa1', 'qa2', 'qa3', 'qa4'];
      const runs = keys.map((key, i) =>
        startIn(copy, 'npm', ['run', 'account:add', '--', '--name', key, '--accountId', `04444444444${i + 1}`, '--environment', 'test']).done,
      );
      const results = await Promise.all(runs);
      for (const r of results) expect(r.status, r.output).toBe(0);
      for (const [i, r] of results.entries()) expect(r.output).toContain(`Onboarded account "${keys[i]}" (04444444444${i + 1}`);

      const registry = loadRegistry(path.join(copy, 'accounts.json'));
      expect(registry.accounts.map((a) => a.key)).toEqual(['dev', 'prod', 'qa1', 'qa2', 'qa3', 'qa4', 'test']);
      const packages = lockfilePackages(copy);
      const graph = read(copy, 'docs/trust-graph.mmd');
      for (const [i, key] of keys.entries()) {
        expect(fs.existsSync(path.join(copy, `projects/${key}/index.ts`)), key).toBe(true);
        expect(packages[`projects/${key}`]?.name).toBe(`@trustline/account-${key}`);
        expect(graph).toContain(`"account ${key} (04444444444${i + 1})"`);
        expect(read(copy, 'README.md')).toContain(`"account ${key} (04444444444${i + 1})"`);
      }
      expect(leftovers(copy)).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'a run killed with SIGKILL during its lockfile step is finished by the same command (not "Nothing to do")',
    async () => {
      const copy = workspaceCopy();
      removeWhenDone(copy);
      const args = ['run', 'account:add', '--', '--name', 'qb', '--accountId', '055555555555', '--environment', 'test'];
      const first = startIn(copy, 'npm', args);
      // The lockfile step holds package-lock.json.lock while npm runs: kill the whole process tree then.
      const lock = path.join(copy, 'package-lock.json.lock');
      const started = Date.now();
      while (!fs.existsSync(lock)) {
        if (Date.now() - started > TIMEOUT / 2) throw new Error('the lockfile step never started');
        await new Promise((r) => setTimeout(r, 10));
      }
      process.kill(-first.pid, 'SIGKILL');
      const killed = await first.done;
      expect(killed.signal).toBe('SIGKILL');
      // What the issue found: registry and project written, lockfile and graph not.
      expect(loadRegistry(path.join(copy, 'accounts.json')).accounts.map((a) => a.key)).toContain('qb');
      expect(fs.existsSync(path.join(copy, 'projects/qb/package.json'))).toBe(true);
      expect(lockfilePackages(copy)['projects/qb']).toBeUndefined();
      expect(read(copy, 'docs/trust-graph.mmd')).not.toContain('account qb');
      expect(fs.existsSync(lock), 'the killed run leaves its lock behind').toBe(true);

      const rerun = runIn(copy, 'npm', args, TIMEOUT);
      expect(rerun.status, rerun.output).toBe(0);
      expect(rerun.output).not.toContain('Nothing to do');
      expect(rerun.output).toContain(
        'Account "qb" is already in accounts.json; will finish what an earlier run left undone (package-lock.json does not record projects/qb; the trust graph (docs/trust-graph.mmd) does not draw the account).',
      );
      expect(lockfilePackages(copy)['projects/qb']?.name).toBe('@trustline/account-qb');
      expect(read(copy, 'docs/trust-graph.mmd')).toContain('"account qb (055555555555)"');
      expect(leftovers(copy)).toEqual([]);

      const again = runIn(copy, 'npm', args, TIMEOUT);
      expect(again.status, again.output).toBe(0);
      expect(again.output).toContain('Account "qb" (055555555555) is already onboarded:');
      expect(again.output).toContain('Nothing to do.');
    },
    TIMEOUT,
  );
});
