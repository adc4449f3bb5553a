import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT, listFiles } from './helpers';

/**
 * End to end: the real `npm run account:add` in a copy of this workspace (node_modules symlinked,
 * no .git/.nx), then the new project's own test and typecheck through Nx. Slow (Nx, tsc, vitest),
 * hence the generous timeouts; each command runs once.
 */
const SKIP = new Set(['node_modules', '.nx', '.git', 'coverage', 'dist']);
const E2E_TIMEOUT = 300_000;

let copy: string;

function copyWorkspace(from: string, to: string): void {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const src = path.join(from, entry.name);
    const dest = path.join(to, entry.name);
    if (entry.isDirectory()) {
      fs.mkdirSync(dest);
      copyWorkspace(src, dest);
    } else if (entry.isFile()) {
      fs.copyFileSync(src, dest);
    }
  }
}

/** The environment minus the outer vitest's own variables, so the inner runs behave as from a shell. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(VITEST|NODE_ENV$|TEST$|npm_)/.test(k)) env[k] = v;
  }
  return { ...env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false', FORCE_COLOR: '0', NO_COLOR: '1' };
}

function run(command: string, args: string[]): { status: number | null; output: string } {
  const r = spawnSync(command, args, { cwd: copy, env: cleanEnv(), encoding: 'utf8', timeout: E2E_TIMEOUT });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

/** Every file of the copy with its content, to prove a command wrote nothing. */
function snapshot(): Map<string, string> {
  const files = listFiles(copy).filter((f) => !f.startsWith('node_modules') && !f.startsWith('.nx'));
  return new Map(files.map((f) => [f, fs.readFileSync(path.join(copy, f), 'utf8')]));
}

beforeAll(() => {
  copy = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-e2e-'));
  copyWorkspace(WORKSPACE_ROOT, copy);
  fs.symlinkSync(path.join(WORKSPACE_ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
});

afterAll(() => {
  if (copy) fs.rmSync(copy, { recursive: true, force: true });
});

describe('npm run account:add, end to end', () => {
  it('--dry-run lists the changes and writes nothing', () => {
    const before = snapshot();
    const r = run('npm', ['run', 'account:add', '--', '--name', 'qa', '--accountId', '044444444444', '--environment', 'test', '--dry-run']);
    expect(r.status, r.output).toBe(0);
    expect(r.output).toContain('UPDATE accounts.json');
    expect(r.output).toContain('CREATE projects/qa/package.json');
    expect(r.output).toContain('"accountId": "044444444444"');
    expect(r.output).toContain('NOTE: The "dryRun" flag means no changes were made.');
    expect(snapshot()).toEqual(before);
  }, E2E_TIMEOUT);

  it('refuses bad input with one error listing every problem, exit code 1, and writes nothing', () => {
    const before = snapshot();
    const r = run('npm', ['run', 'account:add', '--', '--name', 'dev', '--accountId', '12345', '--environment', 'staging']);
    expect(r.status, r.output).toBe(1);
    expect(r.output).toContain('Cannot onboard account "dev": 3 problems (nothing was written):');
    expect(r.output).toContain('  - accountId 12345 is not a 12-digit AWS account id (keep it a string: "012345678901");');
    expect(r.output).toContain('  - name "dev" is already in the registry as account 111111111111;');
    expect(r.output).toContain('  - environment "staging" is not one of the registry\'s environments ("dev", "test", "prod");');
    expect(snapshot()).toEqual(before);
  }, E2E_TIMEOUT);

  it('onboards qa (leading-zero id kept), and the new project passes its own test and typecheck', () => {
    const add = run('npm', ['run', 'account:add', '--', '--name', 'qa', '--accountId', '044444444444', '--environment', 'test']);
    expect(add.status, add.output).toBe(0);
    const registry = JSON.parse(fs.readFileSync(path.join(copy, 'accounts.json'), 'utf8'));
    expect(registry.accounts.map((a: any) => [a.key, a.accountId])).toEqual([
      ['dev', '111111111111'],
      ['prod', '333333333333'],
      ['qa', '044444444444'],
      ['test', '222222222222'],
    ]);
    expect(fs.existsSync(path.join(copy, 'projects/qa/package.json'))).toBe(true);
    // The new workspace is in the lockfile, so `npm ci` (CI) accepts the tree as committed.
    const lock = JSON.parse(fs.readFileSync(path.join(copy, 'package-lock.json'), 'utf8'));
    expect(lock.packages['projects/qa']?.name).toBe('@trustline/account-qa');

    // --excludeTaskDependencies: this asserts the generated project; the libraries' own typecheck is
    // their projects' job (and a copy taken mid-edit of a library must not fail this test).
    const checks = run('bash', ['scripts/nx.sh', 'run-many', '-t', 'test', 'typecheck', '-p', 'qa', '--excludeTaskDependencies', '--skipNxCache', '--outputStyle=static']);
    expect(checks.status, checks.output).toBe(0);
    expect(checks.output).toContain('Successfully ran targets test, typecheck for project qa');
  }, E2E_TIMEOUT);
});
