import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadSampleRegistry } from '@trustline/registry';
import { useSampleOrganization } from '../src';

/** This checkout's root. */
export const WORKSPACE_ROOT = path.resolve(__dirname, '../../..');

/**
 * Temporary copies of this workspace for the end-to-end tests: every file except .git/.nx and build
 * output, node_modules linked entry by entry (see linkNodeModules), and, unless asked otherwise, the
 * frozen sample registry with exactly its projects (rendered by the generator where the checkout lacks
 * one), so the tests never depend on what the live accounts.json holds today.
 */
const SKIP = new Set(['node_modules', '.nx', '.git', 'coverage', 'dist']);
/** node_modules folders whose entries are links relative to the workspace (`../../packages/registry`). */
const WORKSPACE_LINKS = new Set(['@trustline', '.bin']);

export function copyWorkspace(from: string, to: string, skip: (src: string) => boolean = () => false): void {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const src = path.join(from, entry.name);
    const dest = path.join(to, entry.name);
    if (skip(src)) continue;
    if (entry.isDirectory()) {
      fs.mkdirSync(dest);
      copyWorkspace(src, dest, skip);
    } else if (entry.isFile()) {
      fs.copyFileSync(src, dest);
    }
  }
}

/**
 * The copy's node_modules: a real folder whose entries link to the checkout's, so packages resolve as in
 * the repository while npm writes its `.package-lock.json` into the copy (a symlinked folder would let
 * the generator's `npm install --package-lock-only` rewrite the developer's). `@trustline` and `.bin`
 * are rebuilt with the same relative links, so the workspace packages resolve to the copy's sources.
 */
function linkNodeModules(from: string, to: string): void {
  fs.mkdirSync(to);
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dest = path.join(to, entry.name);
    if (WORKSPACE_LINKS.has(entry.name) && entry.isDirectory()) {
      fs.mkdirSync(dest);
      for (const link of fs.readdirSync(src)) fs.symlinkSync(fs.readlinkSync(path.join(src, link)), path.join(dest, link));
    } else if (entry.isFile()) {
      fs.copyFileSync(src, dest);
    } else {
      fs.symlinkSync(src, dest);
    }
  }
}

/** The environment minus the outer vitest's own variables, so the inner runs behave as from a shell. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(VITEST|NODE_ENV$|TEST$|npm_)/.test(k)) env[k] = v;
  }
  delete env.TRUSTLINE_REGISTRY;
  delete env.TRUSTLINE_RAW_ACCOUNT_ID;
  return { ...env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false', FORCE_COLOR: '0', NO_COLOR: '1' };
}


/** A fresh copy in the temp folder; the caller removes it. */
export function workspaceCopy(options: { sample?: boolean } = {}): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-e2e-'));
  // With the sample, only the sample's project folders are copied (useSampleOrganization renders any the
  // checkout lacks): the copy then costs the same whatever number of accounts the checkout holds (at 1,000
  // onboarded accounts, copying every project first outlasted the hooks' limits).
  const sampleProjects = new Set(loadSampleRegistry().accounts.map((a) => path.join(WORKSPACE_ROOT, 'projects', a.key)));
  const otherProject = (src: string) => path.dirname(src) === path.join(WORKSPACE_ROOT, 'projects') && !sampleProjects.has(src);
  copyWorkspace(WORKSPACE_ROOT, copy, options.sample !== false ? otherProject : () => false);
  linkNodeModules(path.join(WORKSPACE_ROOT, 'node_modules'), path.join(copy, 'node_modules'));
  if (options.sample !== false) useSampleOrganization(copy);
  return copy;
}

export interface RunResult {
  readonly status: number | null;
  readonly signal?: NodeJS.Signals | null;
  readonly output: string;
}

/** Runs a command in `cwd` as from a shell (see cleanEnv), waiting for it. */
export function runIn(cwd: string, command: string, args: string[], timeout: number): RunResult {
  const r = spawnSync(command, args, { cwd, env: cleanEnv(), encoding: 'utf8', timeout });
  return { status: r.status, signal: r.signal, output: `${r.stdout}\n${r.stderr}` };
}

/** Starts a command in `cwd` in its own process group (so the whole tree can be killed), without waiting. */
export function startIn(cwd: string, command: string, args: string[]): { pid: number; done: Promise<RunResult> } {
  const child = spawn(command, args, { cwd, env: cleanEnv(), detached: true });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const done = new Promise<RunResult>((resolve) => child.on('close', (status, signal) => resolve({ status, signal, output })));
  return { pid: child.pid as number, done };
}
