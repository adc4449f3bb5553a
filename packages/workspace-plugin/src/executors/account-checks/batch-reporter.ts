import * as fs from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

/** Where {@link BatchReporter} writes its report; set by the batch executor (test.ts). */
export const REPORT_ENV = 'TRUSTLINE_BATCH_TEST_REPORT';

/** One test file's outcome: what the batch executor needs to give each project its own result. */
export interface ModuleReport {
  readonly file: string;
  readonly state: string;
  /** Errors outside any test (the file could not be loaded, an unhandled rejection). */
  readonly errors: readonly string[];
  readonly tests: readonly { readonly name: string; readonly state: string; readonly errors: readonly string[] }[];
}

const describe = (e: { message?: string; diff?: string; stack?: string }): string =>
  [e.stack ?? e.message ?? '', e.diff ? `\n${e.diff}` : ''].join('');

/**
 * A vitest reporter for the account-test batch: counts finished test files on stderr (progress for
 * a batch of hundreds), and writes every file's outcome, with assertion diffs (vitest's JSON reporter
 * drops them), to the file named by `$TRUSTLINE_BATCH_TEST_REPORT`.
 */
export default class BatchReporter implements Reporter {
  private done = 0;
  private total = 0;

  onTestRunStart(specifications: readonly unknown[]): void {
    this.total = specifications.length;
  }

  onTestModuleEnd(): void {
    this.done++;
    if (this.done === this.total || this.done % 25 === 0) process.stderr.write(`vitest (batched): ${this.done}/${this.total} test files done\n`);
  }

  onTestRunEnd(testModules: readonly TestModule[], unhandledErrors: readonly { message?: string; stack?: string }[]): void {
    const modules: ModuleReport[] = testModules.map((m) => ({
      file: m.moduleId,
      state: m.state(),
      errors: m.errors().map(describe),
      tests: [...m.children.allTests()].map((t) => ({ name: t.fullName, state: t.result().state, errors: (t.result().errors ?? []).map(describe) })),
    }));
    const file = process.env[REPORT_ENV];
    if (!file) throw new Error(`BatchReporter needs $${REPORT_ENV}: the file to write the batch's test report to.`);
    fs.writeFileSync(file, JSON.stringify({ modules, unhandledErrors: unhandledErrors.map(describe) }));
  }
}
