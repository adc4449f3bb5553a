import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AccountRegistry } from '@trustline/registry';
import type { PackPolicies } from './engine';
import type { previewStack } from './stack';
import { MIN_STACKS_PER_WORKER } from './options';
import { failedStack, type StackResult } from './result';
import type { ProjectSpec } from './workspace';

/**
 * stack.ts, passed in rather than imported: it loads Pulumi, the AWS SDK classes and the pack (seconds of
 * CPU), so only a thread that runs programs loads it: a worker thread, or the main thread when it runs the
 * stacks itself, once the registry and projects are known good. A worker thread cannot `import()`
 * TypeScript (only tsx's CommonJS hook is registered there), so it requires it statically.
 */
export interface StackModule {
  readonly previewStack: typeof previewStack;
}

/** What a worker thread is started with. */
export interface WorkerData {
  readonly workspace: string;
  readonly projects: readonly ProjectSpec[];
}

/** Main thread to worker: run the stack at `index` of the project list, or stop. */
export type ToWorker = { readonly type: 'run'; readonly index: number } | { readonly type: 'stop' };

/** Worker to main thread: ready for a stack, or a stack's result. */
export type FromWorker = { readonly type: 'ready' } | { readonly type: 'done'; readonly index: number; readonly stack: StackResult; readonly ms: number };

/**
 * How many worker threads a preview of `stacks` stacks uses by default: one per core, but none (0: run in
 * the main thread) unless every worker gets at least {@link MIN_STACKS_PER_WORKER} stacks, because each
 * worker loads the Pulumi runtime, the AWS SDK classes and the pack again.
 */
export function defaultWorkers(stacks: number, cores = os.availableParallelism()): number {
  const workers = Math.min(cores, Math.floor(stacks / MIN_STACKS_PER_WORKER));
  return workers >= 2 ? workers : 0;
}

/** A stack trace's text without its frames: Node's own text for an error captured with no frames. */
const firstLineOnly = (error: Error): string => Error.prototype.toString.call(error);

/**
 * Runs one stack in this thread: the program under mocks, then the pack. A program that leaves a rejected
 * promise nobody awaits (a throw inside an apply) fails its stack, as Pulumi's language host fails the
 * program, instead of crashing the process.
 */
export async function runStack(workspace: string, project: ProjectSpec, registry: AccountRegistry, pack: PackPolicies, stackModule: StackModule): Promise<StackResult> {
  const { previewStack } = stackModule;
  const stray: unknown[] = [];
  const onRejection = (reason: unknown) => void stray.push(reason);
  process.on('unhandledRejection', onRejection);
  // Pulumi's SDK captures `new Error().stack` for every promise it creates (runtime/debuggable.js, kept
  // only to debug leaked promises) and every resource it registers (Resource.callsites in resource.js,
  // which lifts the frame limit itself). With source maps on (tsx turns them on) each capture maps every
  // frame: a quarter of the preview's CPU; building the ten frames of each promise's trace was another
  // tenth. Resource.callsites sets the limit to Infinity and parses the text of every frame (a file URL
  // each): formatting them was another 6% of a stack's time, so while a program runs a stack's text is
  // its first line only, what a zero-frame capture prints. Results carry error messages, never stacks, so
  // nothing the preview prints changes (the recording monitor ignores the source positions).
  const sourceMaps = process.sourceMapsEnabled;
  const frames = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  process.setSourceMapsEnabled(false);
  Error.stackTraceLimit = 0;
  Error.prepareStackTrace = firstLineOnly;
  try {
    const stack = await previewStack(workspace, project, registry, pack);
    // Unhandled rejections are reported once the microtask queue drains.
    await new Promise<void>((resolve) => setImmediate(resolve));
    return stray.length > 0 && stack.status !== 'error' ? failedStack(workspace, project, stray[0]) : stack;
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = frames;
    process.setSourceMapsEnabled(sourceMaps);
    process.off('unhandledRejection', onRejection);
  }
}

/** Called when a stack starts (on a worker) and when its result is in. */
export interface StackEvents {
  start(index: number): void;
  done(index: number, stack: StackResult, ms: number): void;
}

/**
 * Runs the stacks on `workers` worker threads (preview-worker.ts), handing out one stack at a time to
 * whichever worker is free, and returns the results in project order whatever order they finished in.
 * A worker that dies fails the stack it was running with the cause; stacks no worker is left to run fail
 * the same way, so every project still gets a result.
 */
export function runStacksOnWorkers(
  workspace: string,
  projects: readonly ProjectSpec[],
  workers: number,
  events: StackEvents,
): Promise<StackResult[]> {
  return new Promise((resolve) => {
    const results: (StackResult | undefined)[] = new Array(projects.length).fill(undefined);
    let next = 0;
    let finished = 0;
    let alive = 0;
    const data: WorkerData = { workspace, projects };
    const failAll = (cause: string) => {
      for (let i = 0; i < projects.length; i++) {
        if (results[i]) continue;
        results[i] = failedStack(workspace, projects[i], new Error(cause));
        events.done(i, results[i] as StackResult, 0);
      }
    };
    const settle = () => {
      if (finished === projects.length) resolve(results as StackResult[]);
    };
    for (let w = 0; w < Math.min(workers, projects.length); w++) {
      const worker = new Worker(path.join(__dirname, 'preview-worker.cjs'), { workerData: data, execArgv: [] });
      alive++;
      let running: number | undefined;
      let lastError: unknown;
      const dispatch = () => {
        if (next < projects.length) {
          running = next++;
          events.start(running);
          worker.postMessage({ type: 'run', index: running } satisfies ToWorker);
        } else {
          running = undefined;
          worker.postMessage({ type: 'stop' } satisfies ToWorker);
        }
      };
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'done') {
          results[message.index] = message.stack;
          finished++;
          events.done(message.index, message.stack, message.ms);
        }
        dispatch();
        settle();
      });
      worker.on('error', (e) => (lastError = e));
      worker.on('exit', (code) => {
        alive--;
        if (running !== undefined && !results[running]) {
          const cause = lastError ?? new Error(`the worker thread running it exited with code ${code}`);
          results[running] = failedStack(workspace, projects[running], cause);
          finished++;
          events.done(running, results[running] as StackResult, 0);
        }
        if (alive === 0 && next < projects.length) {
          next = projects.length;
          failAll(`no worker thread was left to run it (the last one exited with code ${code}${lastError instanceof Error ? `: ${lastError.message}` : ''})`);
          finished = projects.length;
        }
        settle();
      });
    }
  });
}
