import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadRegistry, REGISTRY_FILE, RegistryError, type AccountRegistry } from '@trustline/registry';
import type { PackPolicies } from './engine';
import { codePaths, keepPathsReport } from './paths';
import { defaultWorkers, runStack, runStacksOnWorkers, type StackEvents } from './parallel';
import type { PreviewResult, StackResult } from './result';
import { summarize } from './summary';
import { discoverProjects, findWorkspaceRoot, LoadError, relativeTo } from './workspace';

/** Progress of a run, for the CLI's progress indicator. */
export type ProgressEvent =
  | { readonly kind: 'start'; readonly project: string; readonly index: number; readonly total: number }
  | {
      readonly kind: 'done';
      readonly project: string;
      readonly index: number;
      readonly total: number;
      /** How many stacks are done, this one included (with workers, stacks finish out of order). */
      readonly completed: number;
      readonly stack: StackResult;
      readonly ms: number;
    };

export interface PreviewOptions {
  /** The workspace (repository root). @default the root found from the current directory */
  readonly workspace?: string;
  /** Project keys to run (`access`, account keys); empty runs all. @default [] */
  readonly projects?: readonly string[];
  /** Called before and after each stack. */
  readonly onProgress?: (event: ProgressEvent) => void;
  /** The pack to judge with. @default trust-guard's resourcePolicies and stackPolicies */
  readonly pack?: PackPolicies;
  /**
   * Worker threads to run the stacks on; 0 or 1 runs them in this thread. A custom `pack` always runs in
   * this thread (policies are functions, which cannot be sent to a worker).
   * @default {@link defaultWorkers} of the number of stacks: one per core for large workspaces
   */
  readonly workers?: number;
}

/** Loads the workspace registry, turning any failure into a {@link LoadError} that names the file. */
export function loadWorkspaceRegistry(workspace: string): { registry: AccountRegistry; file: string } {
  const file = path.join(workspace, REGISTRY_FILE);
  try {
    return { registry: loadRegistry(file), file };
  } catch (e) {
    const detail = e instanceof RegistryError ? e.message : `${file}: ${(e as Error).message}`;
    throw new LoadError(`offline-preview: the account registry cannot be loaded: ${detail}`);
  }
}

/**
 * Runs the access project and every account project (or the selected ones) in-process under Pulumi mocks,
 * judges each stack with the pack's resource and stack policies, and returns the result, stacks in project
 * order. Large workspaces run on worker threads, one per core (see {@link PreviewOptions.workers}); within a
 * thread programs run one after another (the Pulumi runtime is global to it). Throws {@link LoadError} when the registry or the
 * project list cannot be loaded; a program that fails is reported on its stack (status `error`).
 */
export async function runOfflinePreview(options: PreviewOptions = {}): Promise<PreviewResult> {
  const workspace = path.resolve(options.workspace ?? findWorkspaceRoot());
  if (!fs.existsSync(workspace)) throw new LoadError(`offline-preview: workspace ${workspace} does not exist.`);
  const { registry, file } = loadWorkspaceRegistry(workspace);
  const projects = discoverProjects(workspace, registry, options.projects ?? []);
  // Programs and the pack find the registry through $TRUSTLINE_REGISTRY (as in CI), so a workspace other
  // than the current directory is judged against its own accounts.json. Worker threads copy the
  // environment when they start, so it is set first.
  const previousRegistry = process.env.TRUSTLINE_REGISTRY;
  process.env.TRUSTLINE_REGISTRY = file;
  const total = projects.length;
  let completed = 0;
  const events: StackEvents = {
    start: (index) => options.onProgress?.({ kind: 'start', project: projects[index].key, index, total }),
    done: (index, stack, ms) => options.onProgress?.({ kind: 'done', project: projects[index].key, index, total, completed: ++completed, stack, ms }),
  };
  let stacks: StackResult[];
  try {
    const workers = options.pack ? 1 : (options.workers ?? defaultWorkers(total));
    if (workers >= 2) {
      stacks = await runStacksOnWorkers(workspace, projects, workers, events);
    } else {
      // The Pulumi runtime, the AWS SDK classes and the pack take seconds to load: only in a thread that
      // runs programs, and only once the registry and every project are known good, so a bad command line
      // or registry fails at once.
      const stackModule = await import('./stack');
      const pack = options.pack ?? stackModule.trustGuardPack();
      stacks = [];
      // One after another: the Pulumi runtime is global to the thread.
      for (const [i, project] of projects.entries()) {
        events.start(i);
        const started = performance.now();
        const stack = await runStack(workspace, project, registry, pack, stackModule);
        stacks.push(stack);
        events.done(i, stack, performance.now() - started);
      }
    }
  } finally {
    if (previousRegistry === undefined) delete process.env.TRUSTLINE_REGISTRY;
    else process.env.TRUSTLINE_REGISTRY = previousRegistry;
  }
  const registryFile = relativeTo(workspace, file);
  const paths = codePaths(stacks, registry, registryFile);
  return keepPathsReport(summarize(workspace, registryFile, stacks, paths), paths);
}

