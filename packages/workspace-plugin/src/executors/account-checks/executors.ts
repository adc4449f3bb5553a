import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { type TaskResult, batchTasks, runSingle } from './batch';
import { lintProjects } from './lint';
import { testProjects } from './test';
import { typecheckProjects } from './typecheck';

/*
 * Account projects are many and alike, so their checks run in Nx batches (executors.json sets
 * `preferBatch`): Nx hands every ready task of one executor to its batch implementation at once, still
 * hashes, caches and reports each task on its own, and `nx affected` still picks which tasks exist.
 * See https://nx.dev/docs/extending-nx/task-running-lifecycle (batch implementations).
 */

/** One finished task, in the shape Nx's batch runner streams: it prints and caches each as it arrives. */
interface BatchTaskResult {
  readonly task: string;
  readonly result: TaskResult & { readonly startTime: number; readonly endTime: number };
}

type Batch = (taskGraph: TaskGraph, inputs: Record<string, unknown>, overrides: unknown, context: ExecutorContext) => AsyncGenerator<BatchTaskResult>;

// Yielded one by one rather than returned as a record: Nx prints a batch task's output only when the
// batch streams its results (a returned record is cached but its output is not shown).
const batchOf = (check: typeof typecheckProjects): Batch =>
  async function* (taskGraph, _inputs, _overrides, context) {
    const startTime = Date.now();
    const results = await check(batchTasks(taskGraph, context), context.root);
    const endTime = Date.now();
    for (const [task, result] of Object.entries(results)) yield { task, result: { ...result, startTime, endTime } };
  };

export const typecheckBatch = batchOf(typecheckProjects);
export const lintBatch = batchOf(lintProjects);
export const testBatch = batchOf(testProjects);

export const typecheckExecutor = (_options: unknown, context: ExecutorContext) => runSingle(context, typecheckProjects);
export const lintExecutor = (_options: unknown, context: ExecutorContext) => runSingle(context, lintProjects);
export const testExecutor = (_options: unknown, context: ExecutorContext) => runSingle(context, testProjects);
