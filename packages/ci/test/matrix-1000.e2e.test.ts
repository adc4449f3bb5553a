import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, copyWorkspace, registerAccounts } from '@trustline/bench';
import { getAccount, loadRegistry } from '@trustline/registry';
import { renderedProject, useSampleOrganization } from '@trustline/workspace-plugin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JOBS_PER_MATRIX, MAX_OUTPUT_BYTES } from '../../../scripts/affected-stacks.mjs';
import { actionValidator } from './helpers';

/**
 * scripts/affected-stacks.mjs at 1,000 generated accounts: a copy of the workspace holding the frozen sample
 * organization, committed, then 1,000 accounts added and committed: each registry entry as the generator plans
 * and checks it (@trustline/bench's registerAccounts), each project folder as the generator renders it
 * (renderedProject, the account templates). That is what `npm run account:add` writes, minus the lockfile
 * and graph steps, at a fraction of running the generator 1,000 times (about 16 minutes on two busy cores).
 * The registry changed, so every stack is affected: the access project and 1,003 account stacks. The
 * script runs as CI runs it, and its matrices must fit GitHub's limits.
 */
const GENERATED = 1000;
const SCRIPT = path.join(REPO, 'scripts', 'affected-stacks.mjs');
type Stack = { project: string; stack: string; dir: string };
type Matrix = { include: { shard: number; shards: number; name: string; stacks: Stack[] }[] };

let ws: string;
let outputs: Record<string, string>;
let outputBytes: number;
let keys: string[];

const git = (...args: string[]) => execFileSync('git', args, { cwd: ws, encoding: 'utf8', stdio: 'pipe', maxBuffer: 64 * 1024 * 1024 }).trim();
const commit = (message: string) => {
  git('add', '-A');
  git('-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', message);
  return git('rev-parse', 'HEAD');
};
const log = (line: string) => process.stderr.write(`matrix-1000: ${line}\n`);

beforeAll(() => {
  let t = Date.now();
  ws = copyWorkspace(REPO, 'trustline-matrix-');
  useSampleOrganization(ws);
  git('init', '-q', '-b', 'main');
  const base = commit('the sample organization');
  keys = registerAccounts(ws, GENERATED);
  const registry = loadRegistry(path.join(ws, 'accounts.json'));
  for (const key of keys) {
    for (const [file, text] of renderedProject(getAccount(registry, key), registry)) {
      fs.mkdirSync(path.dirname(path.join(ws, 'projects', key, file)), { recursive: true });
      fs.writeFileSync(path.join(ws, 'projects', key, file), text);
    }
  }
  commit(`onboard ${GENERATED} accounts`);
  log(`workspace with ${GENERATED} generated accounts, committed, in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  t = Date.now();
  const file = path.join(ws, '..', `${path.basename(ws)}-github-output`);
  execFileSync(process.execPath, [SCRIPT, '--cwd', ws, '--base', base, '--head', 'HEAD'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_OUTPUT: file },
    maxBuffer: 64 * 1024 * 1024,
  });
  const text = fs.readFileSync(file, 'utf8');
  fs.rmSync(file);
  outputBytes = Buffer.byteLength(text);
  outputs = Object.fromEntries(text.trimEnd().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  log(`affected-stacks.mjs in ${((Date.now() - t) / 1000).toFixed(1)} s; job outputs ${outputBytes} bytes`);
});
afterAll(() => {
  if (ws) fs.rmSync(ws, { recursive: true, force: true });
});

describe(`scripts/affected-stacks.mjs with ${GENERATED} generated accounts and the sample's 3`, () => {
  const sample = ['dev', 'prod', 'test'];
  const accountStacks = (): Stack[] => [...sample, ...keys].sort((a, b) => a.localeCompare(b)).map((k) => ({ project: k, stack: k, dir: `projects/${k}` }));

  it('writes every output within the 1 MB of a job, and counts every stack', () => {
    expect(outputBytes).toBeLessThan(MAX_OUTPUT_BYTES);
    expect(Object.keys(outputs)).toEqual(['matrix', 'count', 'accounts', 'accounts-count', 'access']);
    expect([outputs.count, outputs['accounts-count'], outputs.access]).toEqual([String(GENERATED + 4), String(GENERATED + 3), 'true']);
  });

  it.each(['matrix', 'accounts'])('%s: 256 jobs at most, every stack in exactly one job, in order (the access project first)', (name) => {
    const matrix: Matrix = JSON.parse(outputs[name]);
    expect(matrix.include).toHaveLength(MAX_JOBS_PER_MATRIX);
    const stacks = matrix.include.flatMap((job) => job.stacks);
    const expected = name === 'matrix' ? [{ project: 'access', stack: 'identity', dir: '.' }, ...accountStacks()] : accountStacks();
    expect(stacks).toEqual(expected);
    expect(new Set(stacks.map((s) => s.project)).size).toBe(stacks.length);
    const sizes = matrix.include.map((job) => job.stacks.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(matrix.include.map((job) => [job.shard, job.shards])).toEqual(matrix.include.map((_, i) => [i + 1, MAX_JOBS_PER_MATRIX]));
  });

  it('and the workflows that consume them pass @action-validator/cli', () => {
    const workflows = path.join(ws, '.github', 'workflows');
    for (const f of fs.readdirSync(workflows)) expect(actionValidator(path.join(workflows, f))).toEqual({ status: 0, report: '' });
  });
});
