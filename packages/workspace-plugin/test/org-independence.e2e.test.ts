import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadRegistry } from '@trustline/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunResult, runIn, workspaceCopy } from './workspace-copy';

/**
 * Proof that no test depends on which accounts the registry holds (issue 20): in a fresh clone (a copy of
 * this workspace holding the sample organization, committed to a new git repository), a team onboards
 * accounts with `npm run account:add`, then adopts its own organization with `npm run org:init`; after
 * each, the unit tests of the packages whose tests read the workspace (its files, its git history, its
 * registry, its projects) run in the copy and pass. The other packages' tests read only the frozen
 * sample fixture (packages/ci's live-workspace test keeps it so).
 *
 * Slow: the real commands (Nx, npm, the trust graph) and three vitest runs per step. Wall times are printed.
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

describe('the tests that read the workspace pass on any organization', () => {
  it(
    `after npm run account:add of ${ONBOARDED.length} accounts on the sample`,
    () => {
      for (const [name, accountId] of ONBOARDED) {
        const add = run('npm', ['run', 'account:add', '--', '--name', name, '--accountId', accountId, '--environment', 'test']);
        expect(add.status, add.output).toBe(0);
      }
      expect(loadRegistry(path.join(copy, 'accounts.json')).accounts.map((a) => a.key)).toEqual(['dev', 'prod', 'scale1', 'scale2', 'test']);
      unitTests();
    },
    TIMEOUT,
  );

  it(
    'after npm run org:init with another organization (web-stage and web-live, environments stage and live)',
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
      expect(fs.readdirSync(path.join(copy, 'projects')).sort()).toEqual(['web-live', 'web-stage']);
      expect(loadRegistry(path.join(copy, 'accounts.json')).environments).toEqual(['stage', 'live']);
      unitTests();
    },
    TIMEOUT,
  );
});
