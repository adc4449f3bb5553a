import * as path from 'node:path';
import type { ExecutorContext, TaskGraph } from '@nx/devkit';

/** What a batch reports for each of its tasks: Nx caches each task's result and output on its own. */
export interface TaskResult {
  readonly success: boolean;
  readonly terminalOutput: string;
}

/** One task of a batch: its id and its project's folder, relative to the workspace (`projects/dev`). */
export interface BatchTask {
  readonly id: string;
  readonly root: string;
}

/** The tasks of a batch with their project roots, in the batch's order. */
export function batchTasks(taskGraph: TaskGraph, context: ExecutorContext): BatchTask[] {
  const projects = context.projectsConfigurations?.projects ?? {};
  return Object.values(taskGraph.tasks).map((task) => {
    const project = projects[task.target.project];
    if (!project) throw new Error(`Task ${task.id}: project "${task.target.project}" is not in the workspace's project configurations.`);
    return { id: task.id, root: project.root };
  });
}

/**
 * The task whose project folder holds `file` (absolute or relative to `workspaceRoot`), or undefined
 * for a file outside every task's folder (a shared library a program imports). The longest root wins,
 * so a project nested in another's folder gets its own files.
 */
export function ownerOf(file: string, tasks: readonly BatchTask[], workspaceRoot: string): BatchTask | undefined {
  const relative = path.relative(workspaceRoot, path.resolve(workspaceRoot, file)).split(path.sep).join('/');
  let owner: BatchTask | undefined;
  for (const task of tasks) {
    const root = task.root.replace(/\/+$/, '');
    if ((relative === root || relative.startsWith(`${root}/`)) && (!owner || root.length > owner.root.length)) owner = task;
  }
  return owner;
}

/** Runs a batch's implementation for the one task an executor is given when Nx does not batch. */
export async function runSingle(
  context: ExecutorContext,
  batch: (tasks: readonly BatchTask[], workspaceRoot: string) => Promise<Record<string, TaskResult>>,
): Promise<{ success: boolean }> {
  const project = context.projectName ? context.projectsConfigurations?.projects[context.projectName] : undefined;
  if (!project || !context.projectName) throw new Error('An account check runs for one project; Nx gave it none.');
  const id = `${context.projectName}:${context.targetName ?? ''}`;
  const results = await batch([{ id, root: project.root }], context.root);
  const result = results[id];
  process.stdout.write(result.terminalOutput);
  return { success: result.success };
}
