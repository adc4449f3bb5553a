import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT, listFiles } from './helpers';
import { runIn, workspaceCopy } from './workspace-copy';

/**
 * End to end: the real `npm run account:add` in a copy of this workspace (no .git/.nx; node_modules
 * linked entry by entry, see linkNodeModules), then the new project's own test and typecheck and `npm start`
 * with its trust graph (the other projects' tests after onboarding: org-independence.e2e.test.ts). Slow (Nx, tsc, vitest,
 * the preview), hence the generous timeouts; each command runs once.
 */
// A limit, not a timed assertion: the test runs the real generator, npm install and Nx; on a shared 2-core machine it took
// over 300 s (2026-12-07, load average about 25), so the limit is generous.
const E2E_TIMEOUT = 1_200_000;

let copy: string;

function run(command: string, args: string[]): { status: number | null; output: string } {
  return runIn(copy, command, args, E2E_TIMEOUT);
}

/** Every file of the copy with its content, to prove a command wrote nothing. */
function snapshot(): Map<string, string> {
  const files = listFiles(copy).filter((f) => !f.startsWith('node_modules') && !f.startsWith('.nx'));
  return new Map(files.map((f) => [f, fs.readFileSync(path.join(copy, f), 'utf8')]));
}

beforeAll(() => {
  copy = workspaceCopy();
});

/** The account keys of the copy's registry: whatever the live registry held when the copy was taken. */
const registryKeys = (): string[] => JSON.parse(fs.readFileSync(path.join(copy, 'accounts.json'), 'utf8')).accounts.map((a: any) => a.key);
const HIDDEN_LOCKFILE = 'node_modules/.package-lock.json';

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
    // ...and says what a real run does after writing them.
    expect(r.output).toContain(
      'Afterwards (skipped in --dry-run): npm install --package-lock-only (package-lock.json); redraw the trust graph (README.md, docs/trust-graph.*).',
    );
    // Nx runs no callback on a dry run: neither npm install nor the trust graph.
    expect(r.output).not.toContain('package-lock.json (npm install');
    expect(r.output).not.toContain('Redrawing the trust graph');
    expect(snapshot()).toEqual(before);
  }, E2E_TIMEOUT);

  it('refuses bad input with one error listing every problem, exit code 1, and writes nothing', () => {
    const before = snapshot();
    const r = run('npm', ['run', 'account:add', '--', '--name', 'dev', '--accountId', '12345', '--environment', 'staging']);
    expect(r.status, r.output).toBe(1);
    expect(r.output).toContain('Cannot onboard account "dev": 3 problems (nothing was written):');
    expect(r.output).toContain('  - accountId "12345" is not a 12-digit AWS account id (keep it a string: "012345678901").');
    expect(r.output).toContain('  - name "dev" is already in the registry as account 111111111111;');
    expect(r.output).toContain('  - environment "staging" is not one of the registry\'s environments ("dev", "test", "prod");');
    expect(snapshot()).toEqual(before);
  }, E2E_TIMEOUT);

  it('refuses 1e11 and 0x67748580AB, which Nx turns into 12-digit numbers, naming them as typed (npm script and nx g)', () => {
    const before = snapshot();
    const attempts: Array<[string, string, string[]]> = [
      ['1e11', '100000000000', ['npm', 'run', 'account:add', '--']],
      ['0x67748580AB', '444336537771', ['npm', 'run', 'account:add', '--']],
      ['0x67748580AB', '444336537771', ['bash', 'scripts/nx.sh', 'g', '@trustline/workspace-plugin:account', '--no-interactive']],
    ];
    for (const [typed, converted, [command, ...prefix]] of attempts) {
      const r = run(command, [...prefix, '--name', 'qa', '--accountId', typed, '--environment', 'test']);
      expect(r.status, r.output).toBe(1);
      expect(r.output).toContain('Cannot onboard account "qa": 1 problem (nothing was written):');
      expect(r.output).toContain(`  - accountId "${typed}" is not a 12-digit AWS account id (keep it a string: "012345678901").`);
      expect(r.output).not.toContain(converted);
    }
    expect(snapshot()).toEqual(before);
  }, E2E_TIMEOUT);

  it('onboards qa (leading-zero id kept); its test and typecheck, npm start and the trust graph all pass', () => {
    const keysBefore = registryKeys();
    const realHiddenLockfile = fs.readFileSync(path.join(WORKSPACE_ROOT, HIDDEN_LOCKFILE), 'utf8');
    const add = run('npm', ['run', 'account:add', '--', '--name', 'qa', '--accountId', '044444444444', '--environment', 'test']);
    expect(add.status, add.output).toBe(0);
    expect(add.output).toContain('offline-preview: trust graph written: docs/trust-graph.mmd, docs/trust-graph.dot, README.md.');
    const registry = JSON.parse(fs.readFileSync(path.join(copy, 'accounts.json'), 'utf8'));
    expect(registry.accounts.map((a: any) => a.key)).toEqual([...keysBefore, 'qa'].sort());
    expect(registry.accounts.find((a: any) => a.key === 'qa').accountId).toBe('044444444444');
    expect(fs.existsSync(path.join(copy, 'projects/qa/package.json'))).toBe(true);
    // The new workspace is in the lockfile, so `npm ci` (CI) accepts the tree as committed...
    const lock = JSON.parse(fs.readFileSync(path.join(copy, 'package-lock.json'), 'utf8'));
    expect(lock.packages['projects/qa']?.name).toBe('@trustline/account-qa');
    // ...and npm wrote its hidden lockfile into the copy, never into the checkout's node_modules.
    expect(fs.readFileSync(path.join(copy, HIDDEN_LOCKFILE), 'utf8')).toContain('"node_modules/@trustline/account-qa"');
    expect(fs.readFileSync(path.join(WORKSPACE_ROOT, HIDDEN_LOCKFILE), 'utf8')).toBe(realHiddenLockfile);

    // The new project's own checks pass. --excludeTaskDependencies: the libraries' own typecheck is their
    // projects' job (and a copy taken mid-edit of one must not fail this). That the projects reading the
    // registry (access, registry, ci, offline-preview) pass once accounts are added is org-independence.e2e's
    // proof, which runs them after account:add on another organization.
    const checks = run('bash', ['scripts/nx.sh', 'run-many', '-t', 'test', 'typecheck', '-p', 'qa', '--excludeTaskDependencies', '--skipNxCache', '--outputStyle=static']);
    expect(checks.status, checks.output).toBe(0);
    expect(checks.output).toContain('Successfully ran targets test, typecheck for project qa');

    // npm start runs the qa stack; the callback already redrew the trust graph, so --graph finds it current
    // (the offline-preview test's check) and writes nothing.
    const docs = () => ['README.md', 'docs/trust-graph.mmd', 'docs/trust-graph.dot'].map((f) => fs.readFileSync(path.join(copy, f), 'utf8'));
    const graphAfterAdd = docs();
    expect(graphAfterAdd[1]).toContain('account qa (044444444444)');
    const start = run('npm', ['start', '--', '--graph']);
    expect(start.status, start.output).toBe(0);
    expect(start.output).toMatch(/^qa: passed/m);
    expect(start.output).toContain('offline-preview: trust graph is up to date.');
    expect(docs()).toEqual(graphAfterAdd);
  }, E2E_TIMEOUT);
});
