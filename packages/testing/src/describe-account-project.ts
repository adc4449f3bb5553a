import { type RecordedProgram, recordProgram } from '@trustline/components';
import { describe, expect, it, vi } from 'vitest';
import * as checks from './account-project-checks';

export interface AccountProjectTestOptions {
  /** The project folder (the test's `__dirname`): where `Pulumi.yaml` and `Pulumi.<key>.yaml` are. */
  readonly dir: string;
  /**
   * Imports the program: `() => import('./index')`. Called after `vi.resetModules()`, so every call
   * registers the program's resources afresh.
   */
  readonly importProgram: () => Promise<unknown>;
  /** The account's values, written out as literals in the project's test. */
  readonly expected: checks.AccountProjectExpectations;
}

/**
 * Registers the checks every account project's test runs: project and stack files, the one account
 * provider (hub role then deploy role, pinned to the account), every AWS resource going through it, and
 * the stack outputs. The program runs once under mocks, shared by the `it` blocks.
 */
export function describeAccountProject(options: AccountProjectTestOptions): void {
  const { dir, importProgram, expected } = options;
  const { key } = expected;

  describe(`project ${key}`, () => {
    let recording: Promise<RecordedProgram> | undefined;
    const run = (): Promise<RecordedProgram> =>
      (recording ??= recordProgram({
        project: key,
        stack: key,
        config: checks.programConfig(checks.readProjectFiles(dir, key).stackFile),
        program: () => {
          vi.resetModules();
          return importProgram();
        },
      }));

    it('is a TypeScript project named after the account, with its stack config pinned', () => {
      expect(checks.checkProjectFiles(checks.readProjectFiles(dir, key), expected)).toEqual([]);
    });

    it('deploys through one provider that chains hub -> deploy role and is pinned to the account', async () => {
      const { resources } = await run();
      expect(checks.checkProvider(resources, expected)).toEqual([]);
    });

    it('creates every AWS resource through that provider, none through a default provider', async () => {
      const { resources } = await run();
      expect(checks.checkAwsResources(resources, expected)).toEqual([]);
    });

    it('exports the account id and the baseline names', async () => {
      const { outputs } = await run();
      expect(checks.checkOutputs(outputs, expected)).toEqual([]);
    });
  });
}
