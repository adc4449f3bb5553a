import { ESLint } from 'eslint';
import { type BatchTask, type TaskResult, ownerOf } from './batch';

/**
 * Lints each project as `eslint --max-warnings=0 <root>` would (the workspace's flat config, run from the
 * workspace root), in one ESLint run over every project of the batch: the config and the parser load
 * once. A project fails on any error or warning in its own files.
 */
export async function lintProjects(tasks: readonly BatchTask[], workspaceRoot: string): Promise<Record<string, TaskResult>> {
  const eslint = new ESLint({ cwd: workspaceRoot, errorOnUnmatchedPattern: false });
  const lintResults = await eslint.lintFiles(tasks.map((t) => t.root));
  const formatter = await eslint.loadFormatter('stylish');
  const byTask = new Map<string, ESLint.LintResult[]>(tasks.map((t) => [t.id, []]));
  for (const r of lintResults) {
    const owner = ownerOf(r.filePath, tasks, workspaceRoot);
    if (owner) byTask.get(owner.id)?.push(r);
  }
  const results: Record<string, TaskResult> = {};
  for (const task of tasks) {
    const mine = byTask.get(task.id) ?? [];
    const problems = mine.reduce((n, r) => n + r.errorCount + r.warningCount, 0);
    const files = mine.length;
    const report = await formatter.format(mine);
    results[task.id] = {
      success: problems === 0 && files > 0,
      terminalOutput:
        files === 0
          ? `eslint (batched): no files to lint in ${task.root}; an account project has at least index.ts.\n`
          : `${report}eslint (batched): ${task.root}: ${files} file(s), ${problems} problem(s) (warnings count: --max-warnings=0).\n`,
    };
  }
  return results;
}
