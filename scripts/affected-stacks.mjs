#!/usr/bin/env node
// The Pulumi stacks a change affects, as GitHub Actions matrices. CI fans out over this list, so the
// workflows never name an account: onboarding one (npm run account:add) adds its project, tagged
// scope:account, and the next run picks it up.
//
//   node scripts/affected-stacks.mjs [--base <ref>] [--head <ref>]
//
// Affected = `nx show projects --affected` (Nx's own answer: a project's files, what it depends on, and
// workspace-wide inputs such as accounts.json), filtered to projects tagged scope:account (every account
// project, and the access project). Each one's stack and folder are read from its Nx `preview` target
// (`pulumi preview --stack <stack>`, run in `cwd`).
//
// GitHub expands at most 256 jobs from one matrix, so the stacks are split into at most 256 shards: each
// matrix entry is one job, `{ shard, shards, name, stacks: [{ project, stack, dir }, ...] }`, that runs its
// stacks one after another. A stack is in exactly one shard (never two updates of it at once within a
// run), the access project is the first stack of the first shard, and the shards are contiguous runs of
// the sorted list whose sizes differ by at most one. Prints the `matrix` on stdout; under GitHub Actions
// it also writes the outputs `matrix`, `count` (stacks, not jobs), `accounts` (the same without the
// access project), `accounts-count` and `access` ("true" when the access project is affected) to
// $GITHUB_OUTPUT, and refuses (exit 1) to write more than GitHub's 1 MB of job outputs.
import { Buffer } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** The Nx tag of every project that is one Pulumi stack of the organization. */
export const ACCOUNT_TAG = 'scope:account';
/** The Nx project that creates the deploy roles; it runs before the account stacks on main. */
export const ACCESS_PROJECT = 'access';

/** GitHub Actions expands at most this many jobs from one matrix (docs: "Using a matrix for your jobs"). */
export const MAX_JOBS_PER_MATRIX = 256;
/** A job's outputs are limited to 1 MB (docs: "Passing information between jobs"); all of ours together stay below. */
export const MAX_OUTPUT_BYTES = 1024 * 1024;

const NX_ENV = { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false', NX_TUI: 'false' };

/** Runs the workspace's own Nx (the version package-lock.json pins), offline. */
function nx(args, cwd) {
  const manifest = createRequire(path.join(cwd, 'package.json')).resolve('nx/package.json');
  const bin = path.join(path.dirname(manifest), JSON.parse(fs.readFileSync(manifest, 'utf8')).bin.nx);
  return execFileSync(process.execPath, [bin, ...args], { cwd, env: NX_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

/**
 * One matrix entry per affected stack: `{ project, stack, dir }`, the access project first.
 * @param {{ cwd: string, base?: string, head?: string }} options
 */
export function affectedStacks({ cwd, base, head }) {
  const refs = [...(base ? ['--base', base] : []), ...(head ? ['--head', head] : [])];
  const names = JSON.parse(nx(['show', 'projects', '--affected', ...refs, '--projects', `tag:${ACCOUNT_TAG}`, '--json'], cwd));
  if (names.length === 0) return [];
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'affected-stacks-')), 'graph.json');
  try {
    nx(['graph', `--file=${file}`], cwd);
    const nodes = JSON.parse(fs.readFileSync(file, 'utf8')).graph.nodes;
    const entries = names.map((name) => stackOf(name, nodes[name]?.data));
    return entries.sort((a, b) => (a.project === ACCESS_PROJECT ? -1 : b.project === ACCESS_PROJECT ? 1 : a.project.localeCompare(b.project)));
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

/** The stack and folder of one project, from its `preview` target; an error names what is missing. */
export function stackOf(name, project) {
  const preview = project?.targets?.preview;
  const command = preview?.options?.command;
  const stack = typeof command === 'string' ? /--stack[= ](\S+)/.exec(command)?.[1] : undefined;
  if (!stack) {
    throw new Error(`project "${name}" is tagged ${ACCOUNT_TAG} but its preview target names no stack (expected "pulumi preview --stack <stack> ..." in targets.preview.options.command of ${project?.root ?? name}/package.json).`);
  }
  return { project: name, stack, dir: preview.options.cwd || '.' };
}

/**
 * Splits `stacks` (in order: the access project first) into at most `maxJobs` matrix entries, each a
 * contiguous run of the list; sizes differ by at most one. Returns the matrix, `{ include: [...] }`.
 * @param {{ project: string, stack: string, dir: string }[]} stacks
 * @param {number} [maxJobs]
 */
export function shardStacks(stacks, maxJobs = MAX_JOBS_PER_MATRIX) {
  if (!Number.isInteger(maxJobs) || maxJobs < 1) throw new Error(`maxJobs ${maxJobs} must be a positive integer.`);
  const shards = Math.min(maxJobs, stacks.length);
  const include = [];
  for (let i = 0; i < shards; i++) {
    const share = stacks.slice(Math.floor((i * stacks.length) / shards), Math.floor(((i + 1) * stacks.length) / shards));
    const name = share.length === 1 ? share[0].stack : `${share[0].stack} to ${share.at(-1).stack} (${share.length} stacks)`;
    include.push({ shard: i + 1, shards, name, stacks: share });
  }
  return { include };
}

/**
 * The job outputs for `stacks` (access first), as `key=value` lines for $GITHUB_OUTPUT. Throws, naming the
 * size, when they exceed GitHub's limit of a job's outputs.
 * @param {{ project: string, stack: string, dir: string }[]} stacks
 */
export function githubOutputs(stacks) {
  const accounts = stacks.filter((s) => s.project !== ACCESS_PROJECT);
  const outputs = {
    matrix: JSON.stringify(shardStacks(stacks)),
    count: String(stacks.length),
    accounts: JSON.stringify(shardStacks(accounts)),
    'accounts-count': String(accounts.length),
    access: String(stacks.length !== accounts.length),
  };
  const text = Object.entries(outputs).map(([k, v]) => `${k}=${v}\n`).join('');
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_OUTPUT_BYTES) {
    throw new Error(
      `the job outputs for ${stacks.length} stacks would be ${bytes} bytes, over GitHub's limit of ${MAX_OUTPUT_BYTES} bytes (1 MB) for a job's outputs; shorten the project names, stack names or folders, or run the stacks from more than one workflow.`,
    );
  }
  return { outputs, text, bytes };
}

function main() {
  const { values } = parseArgs({ options: { base: { type: 'string' }, head: { type: 'string' }, cwd: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log('Usage: node scripts/affected-stacks.mjs [--base <ref>] [--head <ref>] [--cwd <workspace>]');
    return 0;
  }
  const cwd = path.resolve(values.cwd ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
  let stacks;
  try {
    stacks = affectedStacks({ cwd, base: values.base || process.env.NX_BASE, head: values.head || process.env.NX_HEAD });
  } catch (e) {
    console.error(`affected-stacks: ${e.stderr ? String(e.stderr).trim() : e.message}`);
    return 1;
  }
  let outputs;
  try {
    outputs = githubOutputs(stacks);
  } catch (e) {
    console.error(`affected-stacks: ${e.message}`);
    return 1;
  }
  console.log(outputs.outputs.matrix);
  if (process.env.GITHUB_OUTPUT) fs.appendFileSync(process.env.GITHUB_OUTPUT, outputs.text);
  const jobs = JSON.parse(outputs.outputs.matrix).include.length;
  const list = stacks.length <= 20 ? stacks.map((s) => `${s.project} (stack ${s.stack})`).join(', ') : `${stacks.slice(0, 20).map((s) => s.project).join(', ')} and ${stacks.length - 20} more`;
  console.error(`affected-stacks: ${stacks.length === 0 ? 'no stack is affected' : `${stacks.length} stack(s) in ${jobs} job(s): ${list}`}.`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main();
