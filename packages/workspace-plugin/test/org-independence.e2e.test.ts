import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadRegistry } from '@trustline/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunResult, runIn, workspaceCopy } from './workspace-copy';

/**
 * Proof that no test depends on which accounts the registry holds (issue 20): in a fresh clone (a copy of
 * this workspace holding the sample organization, committed to a new git repository), a team adopts its own
 * organization with `npm run org:init` and then onboards more accounts with `npm run account:add`; the unit
 * tests of the packages whose tests read the workspace (its files, its git history, its registry, its
 * projects) then run in the copy and pass. The other packages' tests read only the frozen sample fixture
 * (packages/ci's live-workspace test keeps it so).
 *
 * One pass, not one per command: the organization the tests then see differs from the sample in every way
 * either command alone would make it differ (other accounts, other environments, no projects/dev, accounts
 * the generator added after org:init, a registry with more accounts than the sample), and each vitest run
 * costs as much as both commands together. So the suites run once, on the workspace both commands made.
 * It is also org:init's end-to-end test (what it writes, and that the new organization's projects, access,
 * offline-preview's e2e and npm start pass): one copy and one org:init for both.
 *
 * Slow: the real commands (Nx, npm, the trust graph), three vitest runs and an Nx run. Wall times are printed.
 * The cases run in order on one copy; each takes up where the one before it left the copy.
 */
const TIMEOUT = 1_200_000;
/** The packages whose unit tests read the workspace: its files, scripts, workflows, git history or registry. */
const PACKAGES = ['packages/registry', 'packages/workspace-plugin', 'packages/ci'];
const ONBOARDED = [
  ['scale1', '066666666661'],
  ['scale2', '066666666662'],
];

let copy: string;
const started = Date.now();
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const report = (line: string) => process.stderr.write(`org-independence: ${line}\n`);

function run(command: string, args: string[]): RunResult {
  const t = Date.now();
  const r = runIn(copy, command, args, TIMEOUT);
  report(`${command} ${args.slice(0, 3).join(' ')} ... exited ${r.status} in ${seconds(t)}`);
  return r;
}

/**
 * Each package's unit tests (its vitest.config.mts), run in the copy as `npx vitest run --root <package>` does.
 * A longer default test timeout (cases that set their own keep it): these runs share the cores with the
 * outer one, and a case slowed past vitest's 5 s is not what this test is about.
 */
function unitTests(): void {
  for (const pkg of PACKAGES) {
    const r = run(path.join(copy, 'node_modules/.bin/vitest'), ['run', '--root', pkg, '--testTimeout', '60000']);
    expect(r.status, `${pkg}: ${r.output.slice(-6000)}`).toBe(0);
    expect(r.output).toMatch(/Tests\s+\d+ passed/);
    expect(r.output).not.toMatch(/Tests\s+.*failed/);
  }
}

beforeAll(() => {
  const t = Date.now();
  copy = workspaceCopy();
  const git = (...args: string[]) => execFileSync('git', args, { cwd: copy, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'fresh clone');
  report(`workspace copy and first commit in ${seconds(t)}`);
}, TIMEOUT);

afterAll(() => {
  if (copy) fs.rmSync(copy, { recursive: true, force: true });
  report(`total wall time ${seconds(started)}`);
});

describe('npm run org:init and npm run account:add on a fresh clone, then the tests that read the workspace', () => {
  it(
    'org:init replaces the sample organization with another (web-stage and web-live, environments stage and live): registry, projects, lockfile and stack file',
    () => {
      const init = run('npm', [
        'run', 'org:init', '--',
        '--organizationId', 'o-a1b2c3d4e5',
        '--identityAccountId', '123456789012',
        '--region', 'us-east-1',
        '--hubRoleName', 'platform-hub',
        '--environments', 'stage,live',
        '--account', 'web-stage:012345678912:stage',
        '--account', 'web-live:210987654321:live:eu-central-1',
      ]);
      expect(init.status, init.output).toBe(0);
      // The copy holds the frozen sample (workspaceCopy), whatever the checkout's registry holds.
      expect(init.output).toContain('Removing accounts: dev (111111111111), prod (333333333333), test (222222222222).');
      expect(init.output).toContain('Adopted organization o-a1b2c3d4e5 with 2 account(s).');
      const registry = loadRegistry(path.join(copy, 'accounts.json'));
      expect(registry.organizationId).toBe('o-a1b2c3d4e5');
      expect(registry.identity).toEqual({ key: 'identity', accountId: '123456789012', region: 'us-east-1', hubRoleName: 'platform-hub' });
      expect(registry.accounts.map((a) => [a.key, a.accountId, a.environment, a.region])).toEqual([
        ['web-live', '210987654321', 'live', 'eu-central-1'],
        ['web-stage', '012345678912', 'stage', 'us-east-1'],
      ]);
      expect(registry.externalAccounts).toEqual([]);
      expect(fs.readdirSync(path.join(copy, 'projects')).sort()).toEqual(['web-live', 'web-stage']);
      const lock = JSON.parse(fs.readFileSync(path.join(copy, 'package-lock.json'), 'utf8')).packages;
      expect(lock['projects/web-stage']?.name).toBe('@trustline/account-web-stage');
      expect(lock['projects/dev']).toBeUndefined();
      expect(fs.readFileSync(path.join(copy, 'Pulumi.identity.yaml'), 'utf8')).toContain('aws:region: us-east-1');
    },
    TIMEOUT,
  );

  it(
    `account:add onboards ${ONBOARDED.length} more accounts into the new organization`,
    () => {
      for (const [name, accountId] of ONBOARDED) {
        const add = run('npm', ['run', 'account:add', '--', '--name', name, '--accountId', accountId, '--environment', 'stage']);
        expect(add.status, add.output).toBe(0);
      }
      const registry = loadRegistry(path.join(copy, 'accounts.json'));
      expect(registry.environments).toEqual(['stage', 'live']);
      expect(registry.accounts.map((a) => a.key)).toEqual(['scale1', 'scale2', 'web-live', 'web-stage']);
      expect(fs.readdirSync(path.join(copy, 'projects')).sort()).toEqual(['scale1', 'scale2', 'web-live', 'web-stage']);
    },
    TIMEOUT,
  );

  it(`the unit tests of ${PACKAGES.join(', ')} pass on that workspace`, () => unitTests(), TIMEOUT);

  it(
    "the new accounts' projects, access and offline-preview's e2e (npm start on the workspace) pass, and npm start runs the new organization",
    () => {
      // offline-preview's e2e target holds its npm start runs on the live registry (here the new organization).
      // --excludeTaskDependencies: the libraries' own checks are their projects' job.
      const checks = run('bash', ['scripts/nx.sh', 'run-many', '-t', 'test', 'typecheck', 'e2e', '-p', 'web-stage', 'web-live', 'access', 'offline-preview', '--excludeTaskDependencies', '--skipNxCache', '--outputStyle=static']);
      expect(checks.status, checks.output).toBe(0);
      expect(checks.output).toContain('Successfully ran targets test, typecheck, e2e for 4 projects');
      expect(checks.output).toContain('offline-preview:e2e');
      const start = run('npm', ['start', '--', '--graph']);
      expect(start.status, start.output).toBe(0);
      for (const key of ['web-stage', 'web-live', 'scale1', 'scale2']) expect(start.output).toMatch(new RegExp(`^${key}: passed`, 'm'));
      expect(start.output).not.toMatch(/^(dev|test|prod): /m);
      expect(start.output).toContain('offline-preview: trust graph is up to date.');
    },
    TIMEOUT,
  );
});
