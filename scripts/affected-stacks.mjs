#!/usr/bin/env node
// The Pulumi stacks a change affects, as a GitHub Actions matrix. CI fans out one job per stack from this
// list, so the workflows never name an account: onboarding one (npm run account:add) adds its project,
// tagged scope:account, and the next run picks it up.
//
//   node scripts/affected-stacks.mjs [--base <ref>] [--head <ref>]
//
// Affected = `nx show projects --affected` (Nx's own answer: a project's files, what it depends on, and
// workspace-wide inputs such as accounts.json), filtered to projects tagged scope:account (every account
// project, and the access project). Each one's stack and folder are read from its Nx `preview` target
// (`pulumi preview --stack <stack>`, run in `cwd`). Prints {"include": [...]} on stdout; under GitHub
// Actions it also writes the outputs `matrix`, `count`, `accounts` (the same without the access
// project), `accounts-count` and `access` ("true" when the access project is affected) to $GITHUB_OUTPUT.
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
  const matrix = { include: stacks };
  const accounts = { include: stacks.filter((s) => s.project !== ACCESS_PROJECT) };
  console.log(JSON.stringify(matrix));
  if (process.env.GITHUB_OUTPUT) {
    const outputs = {
      matrix: JSON.stringify(matrix),
      count: String(stacks.length),
      accounts: JSON.stringify(accounts),
      'accounts-count': String(accounts.include.length),
      access: String(stacks.some((s) => s.project === ACCESS_PROJECT)),
    };
    fs.appendFileSync(process.env.GITHUB_OUTPUT, Object.entries(outputs).map(([k, v]) => `${k}=${v}\n`).join(''));
  }
  console.error(`affected-stacks: ${stacks.length === 0 ? 'no stack is affected' : stacks.map((s) => `${s.project} (stack ${s.stack})`).join(', ')}.`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main();
