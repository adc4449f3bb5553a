import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type BatchTask, type TaskResult, ownerOf } from './batch';
import { type ModuleReport, REPORT_ENV } from './batch-reporter';

/** Runs a command; resolves with its exit code and everything it printed (stderr also passes through, for progress). */
function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => {
      output += b.toString();
      process.stderr.write(b);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

const mark = (state: string): string => (state === 'passed' ? '✓' : state === 'failed' ? '✗' : '-');

/**
 * Runs each project's tests as `vitest run --root <root>` would, in one vitest process for the whole
 * batch: each project's test files, and nothing else, are selected by folder. Test files share worker
 * processes (`--no-isolate`), so the Pulumi SDK and the AWS provider SDK load once per worker instead
 * of once per project; every account test still runs its program afresh (`vi.resetModules()` before
 * the import, see @trustline/testing) under its own mocks. A project fails when one of its tests fails,
 * when one of its test files cannot be loaded, when it has no test file (as `vitest run` does), and
 * every project fails when the run itself fails outside any file.
 */
export async function testProjects(tasks: readonly BatchTask[], workspaceRoot: string): Promise<Record<string, TaskResult>> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-account-tests-'));
  const reportFile = path.join(tmp, 'report.json');
  try {
    // The package's own bin (`vitest.mjs`); its exports map does not expose the file itself.
    const vitest = path.join(path.dirname(require.resolve('vitest/package.json', { paths: [workspaceRoot] })), 'vitest.mjs');
    // A trailing slash keeps projects/a/ from selecting projects/ab/.
    const filters = tasks.map((t) => `${t.root.replace(/\/+$/, '')}/`);
    const { code, output } = await run(
      process.execPath,
      [vitest, 'run', '--root', workspaceRoot, '--no-isolate', '--passWithNoTests', `--reporter=${path.join(__dirname, 'batch-reporter.ts')}`, ...filters],
      workspaceRoot,
      { ...process.env, [REPORT_ENV]: reportFile },
    );
    let report: { modules: ModuleReport[]; unhandledErrors: string[] } | undefined;
    try {
      report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as typeof report;
    } catch {
      report = undefined;
    }
    const results: Record<string, TaskResult> = {};
    if (!report) {
      for (const t of tasks) {
        results[t.id] = { success: false, terminalOutput: `${output}\nvitest (batched) exited ${code} without a report, so no test of ${t.root} counts as passed.\n` };
      }
      return results;
    }
    const lines = new Map<string, string[]>(tasks.map((t) => [t.id, []]));
    const failed = new Set<string>();
    const files = new Map<string, number>(tasks.map((t) => [t.id, 0]));
    for (const m of report.modules) {
      const owner = ownerOf(m.file, tasks, workspaceRoot);
      if (!owner) continue;
      files.set(owner.id, (files.get(owner.id) ?? 0) + 1);
      const bad = m.tests.filter((t) => t.state === 'failed');
      if (m.state !== 'passed' || bad.length > 0 || m.errors.length > 0) failed.add(owner.id);
      const out = lines.get(owner.id) ?? [];
      out.push(`${mark(m.state)} ${path.relative(workspaceRoot, m.file)} (${m.tests.length} test(s), ${bad.length} failed)`);
      for (const t of m.tests) out.push(`  ${mark(t.state)} ${t.name}`);
      for (const t of bad) out.push(...t.errors.map((e) => `\n${t.name}\n${e}`));
      out.push(...m.errors);
    }
    for (const t of tasks) {
      const count = files.get(t.id) ?? 0;
      const out = lines.get(t.id) ?? [];
      if (count === 0) out.push(`No test files found in ${t.root}; every account project has index.test.ts.`);
      if (report.unhandledErrors.length > 0) out.push('The batched vitest run had errors outside any test file:', ...report.unhandledErrors);
      const ok = count > 0 && !failed.has(t.id) && report.unhandledErrors.length === 0;
      results[t.id] = { success: ok, terminalOutput: `${out.join('\n')}\nvitest (batched): ${t.root}: ${ok ? 'passed' : 'failed'}.\n` };
    }
    return results;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
