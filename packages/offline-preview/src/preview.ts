import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadRegistry, REGISTRY_FILE, RegistryError, type AccountRegistry } from '@trustline/registry';
import type { PackPolicies } from './engine';
import type { PreviewResult, StackResult } from './result';
import { summarize } from './summary';
import { discoverProjects, findWorkspaceRoot, LoadError, relativeTo } from './workspace';

/** Progress of a run, for the CLI's progress indicator. */
export type ProgressEvent =
  | { readonly kind: 'start'; readonly project: string; readonly index: number; readonly total: number }
  | { readonly kind: 'done'; readonly project: string; readonly index: number; readonly total: number; readonly stack: StackResult; readonly ms: number };

export interface PreviewOptions {
  /** The workspace (repository root). @default the root found from the current directory */
  readonly workspace?: string;
  /** Project keys to run (`access`, account keys); empty runs all. @default [] */
  readonly projects?: readonly string[];
  /** Called before and after each stack. */
  readonly onProgress?: (event: ProgressEvent) => void;
  /** The pack to judge with. @default trust-guard's resourcePolicies and stackPolicies */
  readonly pack?: PackPolicies;
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
 * judges each stack with the pack's resource and stack policies, and returns the result. Programs run one
 * after another (the Pulumi runtime is process-global). Throws {@link LoadError} when the registry or the
 * project list cannot be loaded; a program that fails is reported on its stack (status `error`).
 */
export async function runOfflinePreview(options: PreviewOptions = {}): Promise<PreviewResult> {
  const workspace = path.resolve(options.workspace ?? findWorkspaceRoot());
  if (!fs.existsSync(workspace)) throw new LoadError(`offline-preview: workspace ${workspace} does not exist.`);
  const { registry, file } = loadWorkspaceRegistry(workspace);
  const projects = discoverProjects(workspace, registry, options.projects ?? []);
  // The Pulumi runtime, the AWS SDK classes and the pack take seconds to load: only once the registry and
  // every project are known good, so a bad command line or registry fails at once.
  const { failedStack, previewStack, trustGuardPack } = await import('./stack');
  const pack = options.pack ?? trustGuardPack();

  // Programs and the pack find the registry through $TRUSTLINE_REGISTRY (as in CI), so a workspace other
  // than the current directory is judged against its own accounts.json.
  const previousRegistry = process.env.TRUSTLINE_REGISTRY;
  process.env.TRUSTLINE_REGISTRY = file;
  const stacks: StackResult[] = [];
  // A program that throws inside an apply leaves a rejected promise nobody awaits. Pulumi's language host
  // fails the program for it; here it fails the stack that was running, instead of crashing the process.
  let stray: unknown[] = [];
  const onRejection = (reason: unknown) => void stray.push(reason);
  process.on('unhandledRejection', onRejection);
  try {
    for (const [i, project] of projects.entries()) {
      options.onProgress?.({ kind: 'start', project: project.key, index: i, total: projects.length });
      const started = performance.now();
      stray = [];
      let stack = await previewStack(workspace, project, registry, pack);
      // Unhandled rejections are reported once the microtask queue drains.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (stray.length > 0 && stack.status !== 'error') stack = failedStack(workspace, project, stray[0]);
      stacks.push(stack);
      options.onProgress?.({ kind: 'done', project: project.key, index: i, total: projects.length, stack, ms: performance.now() - started });
    }
  } finally {
    process.off('unhandledRejection', onRejection);
    if (previousRegistry === undefined) delete process.env.TRUSTLINE_REGISTRY;
    else process.env.TRUSTLINE_REGISTRY = previousRegistry;
  }
  return summarize(workspace, relativeTo(workspace, file), stacks);
}

