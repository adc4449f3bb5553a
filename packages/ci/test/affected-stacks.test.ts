import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FsTree, flushChanges } from 'nx/src/generators/tree';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountGenerator, useSampleOrganization } from '@trustline/workspace-plugin';
import { actionValidator, ROOT } from './helpers';

/**
 * scripts/affected-stacks.mjs on a scratch git history: a copy of this repository's files (tracked and
 * new, as the working tree has them) holding the frozen sample organization (dev, prod, test; whatever
 * accounts the checkout holds), in a fresh git repository, with commits that each touch one thing.
 */
const SCRIPT = path.join(ROOT, 'scripts', 'affected-stacks.mjs');
let repo: string;

const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: 'pipe' }).trim();
const commit = (message: string) => {
  git('add', '-A');
  git('-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', message);
  return git('rev-parse', 'HEAD');
};
const touch = (file: string) => fs.appendFileSync(path.join(repo, file), '\n// touched by the affected-stacks test\n');

/** The script as CI runs it; stdout is the matrix (shards), and GITHUB_OUTPUT receives the job outputs. */
function affected(base: string, head = 'HEAD'): { matrix: unknown; outputs: Record<string, string> } {
  const out = path.join(repo, '..', `github-output-${base}`);
  const stdout = execFileSync(process.execPath, [SCRIPT, '--cwd', repo, '--base', base, '--head', head], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_OUTPUT: out },
  });
  const outputs = Object.fromEntries(
    fs
      .readFileSync(out, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return { matrix: JSON.parse(stdout), outputs };
}

type Stack = { project: string; stack: string; dir: string };
const ACCESS = { project: 'access', stack: 'identity', dir: '.' };
const stack = (key: string) => ({ project: key, stack: key, dir: `projects/${key}` });
/** The matrix of a few stacks: one job (shard) per stack, named after it. */
const oneJobEach = (stacks: Stack[]) => ({ include: stacks.map((s, i) => ({ shard: i + 1, shards: stacks.length, name: s.stack, stacks: [s] })) });

beforeAll(() => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'affected-stacks-'));
  repo = path.join(scratch, 'repo');
  fs.mkdirSync(repo);
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const f of files) {
    const from = path.join(ROOT, f);
    if (!fs.existsSync(from) || fs.statSync(from).isDirectory()) continue;
    fs.mkdirSync(path.dirname(path.join(repo, f)), { recursive: true });
    fs.copyFileSync(from, path.join(repo, f));
  }
  useSampleOrganization(repo);
  // Nx and the workspace packages resolve from the real install; .gitignore keeps the link out of git.
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(repo, 'node_modules'), 'dir');
  git('init', '-q', '-b', 'main');
  commit('base');
});
afterAll(() => fs.rmSync(path.dirname(repo), { recursive: true, force: true }));

describe('scripts/affected-stacks.mjs', () => {
  it('a change to one account project affects that stack only', () => {
    const base = git('rev-parse', 'HEAD');
    touch('projects/dev/index.ts');
    commit('dev: change the program');
    const r = affected(base);
    expect(r.matrix).toEqual(oneJobEach([stack('dev')]));
    expect(r.outputs).toEqual({ matrix: JSON.stringify(oneJobEach([stack('dev')])), count: '1', accounts: JSON.stringify(oneJobEach([stack('dev')])), 'accounts-count': '1', access: 'false' });
  });

  it('a change to the CLI, which no stack depends on, affects no stack', () => {
    const base = git('rev-parse', 'HEAD');
    touch('packages/trust-guard-cli/src/cli/main.ts');
    commit('cli: change the CLI');
    expect(affected(base)).toEqual({ matrix: { include: [] }, outputs: { matrix: '{"include":[]}', count: '0', accounts: '{"include":[]}', 'accounts-count': '0', access: 'false' } });
  });

  it('an account onboarded by the generator is in the matrix with every stack (the registry changed), access first, and the workflows stay valid untouched', async () => {
    const base = git('rev-parse', 'HEAD');
    const workflowsBefore = fs.readdirSync(path.join(repo, '.github', 'workflows')).map((f) => fs.readFileSync(path.join(repo, '.github', 'workflows', f), 'utf8'));
    const tree = new FsTree(repo, false);
    const callback = await accountGenerator(tree, { name: 'qa', accountId: '044444444444', environment: 'test', skipInstall: true, skipGraph: true });
    flushChanges(repo, tree.listChanges());
    // On disk the registry entry is written by the generator's callback, as `nx g` runs it after flushing.
    await callback?.();
    commit('onboard qa');
    const changed = git('diff', '--name-only', base, 'HEAD').split('\n');
    expect(changed).toContain('accounts.json');
    expect(changed).toContain('projects/qa/package.json');
    expect(changed.filter((f) => f.startsWith('.github/'))).toEqual([]);

    const r = affected(base);
    expect(r.matrix).toEqual(oneJobEach([ACCESS, stack('dev'), stack('prod'), stack('qa'), stack('test')]));
    expect(r.outputs.accounts).toBe(JSON.stringify(oneJobEach([stack('dev'), stack('prod'), stack('qa'), stack('test')])));
    expect(r.outputs.count).toBe('5');
    expect(r.outputs.access).toBe('true');

    const workflows = path.join(repo, '.github', 'workflows');
    expect(fs.readdirSync(workflows).map((f) => fs.readFileSync(path.join(workflows, f), 'utf8'))).toEqual(workflowsBefore);
    for (const f of fs.readdirSync(workflows)) expect(actionValidator(path.join(workflows, f))).toEqual({ status: 0, report: '' });
  });

  it('says which project lacks a stack instead of guessing one', () => {
    const base = git('rev-parse', 'HEAD');
    const pkg = path.join(repo, 'projects', 'qa', 'package.json');
    const manifest = JSON.parse(fs.readFileSync(pkg, 'utf8'));
    manifest.nx.targets.preview.options.command = 'pulumi preview';
    fs.writeFileSync(pkg, JSON.stringify(manifest, null, 2));
    commit('qa: preview without a stack');
    let stderr = '';
    try {
      affected(base);
    } catch (e) {
      stderr = String((e as { stderr: string }).stderr);
    }
    expect(stderr).toBe(
      'affected-stacks: project "qa" is tagged scope:account but its preview target names no stack (expected "pulumi preview --stack <stack> ..." in targets.preview.options.command of projects/qa/package.json).\n',
    );
  });
});
