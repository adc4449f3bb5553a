import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Tree, logger } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { sampleRegistryText } from '@trustline/registry';
import { GRAPH_CLI, GRAPH_COMMAND, LOCKFILE_COMMAND, accountGenerator, shell } from '../src';
import { FsTree, flushChanges } from 'nx/src/generators/tree';
import { onTestFinished, vi } from 'vitest';

export { WORKSPACE_ROOT } from './workspace-copy';
/**
 * The frozen sample registry of @trustline/testing, copied into every test tree. Never the live
 * accounts.json: it grows whenever a team onboards an account, and these tests list accounts.
 */
export const SAMPLE_REGISTRY = sampleRegistryText();

const WORKSPACES = ['packages/*', 'policies/*', 'access', 'projects/*'];

/** Package manifests of the workspace's own projects, so name clashes are detected as in the real repo. */
const OWN_PROJECTS: Record<string, string> = {
  'packages/registry': 'registry',
  'packages/components': 'components',
  'packages/workspace-plugin': 'workspace-plugin',
  'packages/trust-guard': 'trust-guard',
  'packages/trust-guard-cli': 'trust-guard-cli',
  'policies/trust-guard': 'trust-guard-pack',
  access: 'access',
  'projects/dev': 'dev',
  'projects/prod': 'prod',
  'projects/test': 'test',
};

/** The registry package's sources, so account lookups in a test tree resolve to its exports as in the workspace. */
const REGISTRY_ROOT = path.join(__dirname, '../../registry');
const REGISTRY_SOURCES = fs
  .readdirSync(path.join(REGISTRY_ROOT, 'src'))
  .filter((f) => f.endsWith('.ts') && !/\.(test|spec)\.ts$/.test(f))
  .map((f) => [`packages/registry/src/${f}`, fs.readFileSync(path.join(REGISTRY_ROOT, 'src', f), 'utf8')] as const);

function seed(tree: Tree, registry: string): Tree {
  tree.write('package.json', `${JSON.stringify({ name: 'trustline', private: true, workspaces: WORKSPACES }, null, 2)}\n`);
  tree.write('accounts.json', registry);
  for (const [root, name] of Object.entries(OWN_PROJECTS)) {
    const pkg = { name: `@trustline/${name}`, nx: { name, tags: [root.startsWith('projects/') || root === 'access' ? 'scope:account' : 'scope:lib'] } };
    const entry = root === 'packages/registry' ? { main: 'src/index.ts', types: 'src/index.ts' } : {};
    tree.write(`${root}/package.json`, `${JSON.stringify({ ...pkg, ...entry }, null, 2)}\n`);
  }
  for (const [file, text] of REGISTRY_SOURCES) tree.write(file, text);
  return tree;
}

/** An in-memory workspace holding a copy of the sample registry (or `registry`). */
export function virtualWorkspace(registry: string = SAMPLE_REGISTRY): Tree {
  return seed(createTreeWithEmptyWorkspace(), registry);
}

/**
 * A workspace on disk in a fresh temp folder, as `nx g` sees it: generators run on an FsTree and
 * their changes reach the disk only when flushed. Returns the tree factory and the folder.
 */
export function diskWorkspace(registry: string = SAMPLE_REGISTRY): { root: string; tree: () => FsTree; flush: (tree: FsTree) => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-gen-'));
  // Called inside a test: the folder goes with it, pass or fail.
  onTestFinished(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.writeFileSync(path.join(root, 'nx.json'), '{}\n');
  const first = new FsTree(root, false);
  seed(first, registry);
  flushChanges(root, first.listChanges());
  return {
    root,
    tree: () => new FsTree(root, false),
    flush: (tree) => flushChanges(root, tree.listChanges()),
  };
}

/** Every file below `dir` (relative, sorted), skipping nothing. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** Captures what the generators log, keeping test output quiet. */
export function captureLogs(): { info: string[]; warn: string[] } {
  const seen = { info: [] as string[], warn: [] as string[] };
  vi.spyOn(logger, 'info').mockImplementation((m?: unknown) => void seen.info.push(String(m)));
  vi.spyOn(logger, 'warn').mockImplementation((m?: unknown) => void seen.warn.push(String(m)));
  return seen;
}

/** Runs `fn` and returns the error it throws (failing the test when it does not throw). */
export async function rejection(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the generator to refuse, but it succeeded');
}

/**
 * Stands in for npm and the offline preview in the generators' callbacks: the lockfile command records
 * every `projects/*` folder in package-lock.json and the graph command draws every registry account in
 * docs/trust-graph.mmd, as the real commands do (node labels as buildTrustGraph writes them).
 * Returns the commands run, in order.
 */
export function fakeTools(): Array<[string, string]> {
  const ran: Array<[string, string]> = [];
  vi.spyOn(shell, 'run').mockImplementation((command: string, cwd: string) => {
    ran.push([command, cwd]);
    if (command === LOCKFILE_COMMAND) {
      const projects = fs.existsSync(path.join(cwd, 'projects')) ? fs.readdirSync(path.join(cwd, 'projects')) : [];
      const packages = Object.fromEntries(projects.map((p) => [`projects/${p}`, { name: `@trustline/account-${p}` }]));
      fs.writeFileSync(path.join(cwd, 'package-lock.json'), `${JSON.stringify({ lockfileVersion: 3, packages }, null, 2)}\n`);
    } else if (command === GRAPH_COMMAND) {
      const registry = JSON.parse(fs.readFileSync(path.join(cwd, 'accounts.json'), 'utf8').replace(/^\uFEFF/, ''));
      const nodes = registry.accounts.map((a: { key: string; accountId: string }, i: number) => `  n${i}[("account ${a.key} (${a.accountId})")]`);
      fs.mkdirSync(path.join(cwd, 'docs'), { recursive: true });
      fs.writeFileSync(path.join(cwd, 'docs/trust-graph.mmd'), ['flowchart LR', ...nodes, ''].join('\n'));
    }
  });
  return ran;
}

/** Makes the disk workspace hold the offline preview's CLI, so the generators run the graph step. */
export function addGraphCli(root: string): void {
  fs.mkdirSync(path.join(root, path.dirname(GRAPH_CLI)), { recursive: true });
  fs.writeFileSync(path.join(root, GRAPH_CLI), '');
}

/** Removes a temporary workspace copy (test/workspace-copy.ts) when the current test ends, pass or fail. */
export function removeWhenDone(copy: string): void {
  onTestFinished(() => fs.rmSync(copy, { recursive: true, force: true }));
}

/**
 * A generator run as `nx g` does it on disk: the generator on a fresh tree, Nx's flush, then the
 * callback. Returns the callback and the changes Nx listed.
 */
export async function runOnDisk<T>(
  ws: ReturnType<typeof diskWorkspace>,
  generator: (tree: Tree, options: T) => Promise<(() => void | Promise<void>) | void>,
  options: T,
): Promise<{ task: (() => void | Promise<void>) | void; changes: string[] }> {
  const tree = ws.tree();
  const task = await generator(tree, options);
  const changes = tree.listChanges().map((c) => `${c.type} ${c.path}`);
  ws.flush(tree);
  if (task) await task();
  return { task, changes };
}

/** A disk workspace with the offline preview's CLI and fake npm/preview tools, where qa has been onboarded. */
export async function diskWorkspaceWithQa(): Promise<{ ws: ReturnType<typeof diskWorkspace>; ran: Array<[string, string]> }> {
  const ran = fakeTools();
  const ws = diskWorkspace();
  addGraphCli(ws.root);
  await runOnDisk(ws, accountGenerator, { name: 'qa', accountId: '044444444444', environment: 'test' });
  ran.length = 0;
  return { ws, ran };
}
