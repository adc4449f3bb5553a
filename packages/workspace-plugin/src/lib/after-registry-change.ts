import { execSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { logger } from '@nx/devkit';
import { withFileLock } from '@trustline/registry';

/** Records added or removed `projects/*` workspaces in package-lock.json without touching node_modules. */
export const LOCKFILE_COMMAND = 'npm install --package-lock-only --ignore-scripts --no-audit --no-fund';

/** The offline preview (`npm start`), whose `--graph` rewrites docs/trust-graph.* and the README block. */
export const GRAPH_CLI = 'packages/offline-preview/src/cli.ts';
export const GRAPH_COMMAND = `npx --no-install tsx ${GRAPH_CLI} --graph`;

/**
 * How the callbacks run a command: an object, so tests replace `run` instead of starting npm.
 * `stdout: 'ignore'` drops a command's report (the preview prints every stack) and keeps its stderr.
 */
export const shell = {
  run(command: string, cwd: string, stdout: 'inherit' | 'ignore' = 'inherit'): void {
    execSync(command, { cwd, stdio: ['ignore', stdout, 'inherit'] });
  },
};

export interface AfterRegistryChangeOptions {
  /** Skip {@link LOCKFILE_COMMAND}. */
  readonly skipInstall?: boolean;
  /** Skip {@link GRAPH_COMMAND}. */
  readonly skipGraph?: boolean;
}

/**
 * Whether a step's result is already on disk, asked again once its lock is held: a concurrent command
 * may have done it meanwhile (its `npm install` saw our project folder too), and a rerun after a crash
 * must redo exactly the steps that did not finish.
 */
export interface StepChecks {
  /** package-lock.json already records what the step would record. */
  readonly lockfileDone?: (root: string) => boolean;
  /** The trust graph already draws what the step would draw. */
  readonly graphDone?: (root: string) => boolean;
}

export const LOCKFILE = 'package-lock.json';
/** The committed trust graph (Mermaid); the README block and the .dot file are written with it. */
export const GRAPH_FILE = 'docs/trust-graph.mmd';
/** The graph step locks README.md (README.md.lock), one of the files it rewrites, which every workspace has. */
const GRAPH_LOCK_TARGET = 'README.md';

/** Whether package-lock.json records the workspace at `projectRoot` (`projects/<key>`). */
export function lockfileRecords(root: string, projectRoot: string): boolean {
  try {
    const lock = JSON.parse(fs.readFileSync(path.join(root, LOCKFILE), 'utf8')) as { packages?: Record<string, unknown> };
    return lock.packages?.[projectRoot] !== undefined;
  } catch {
    return false;
  }
}

/**
 * Whether the committed trust graph draws the account: its node label `account <key> (<id>)`, with any
 * id when `accountId` is not known (the registry entry is already gone).
 */
export function graphDraws(root: string, key: string, accountId?: string): boolean {
  let text: string;
  try {
    text = fs.readFileSync(path.join(root, GRAPH_FILE), 'utf8');
  } catch {
    return false;
  }
  return accountId ? text.includes(`"account ${key} (${accountId})"`) : new RegExp(`"account ${key} \\(\\d{12}\\)"`).test(text);
}

/**
 * The steps of {@link afterRegistryChange} whose result is not on disk yet, which a rerun after an
 * interruption must still do: one sentence part each, `${LOCKFILE} <lockfile>` and
 * `the trust graph (${GRAPH_FILE}) <graph>`, with what each generator expects of the file.
 */
export function stepsLeftUndone(
  root: string,
  options: AfterRegistryChangeOptions,
  checks: Required<StepChecks>,
  expected: { readonly lockfile: string; readonly graph: string },
): string[] {
  return [
    ...(!options.skipInstall && !checks.lockfileDone(root) ? [`${LOCKFILE} ${expected.lockfile}`] : []),
    ...(!options.skipGraph && fs.existsSync(path.join(root, GRAPH_CLI)) && !checks.graphDone(root) ? [`the trust graph (${GRAPH_FILE}) ${expected.graph}`] : []),
  ];
}

/**
 * The line both generators log with their changes, dry run included: Nx lists only the files it
 * writes, yet a real run then also rewrites package-lock.json and the trust graph. `hasGraphCli`:
 * whether {@link GRAPH_CLI} is in the workspace (without it the callback skips the graph).
 * Undefined when both steps are skipped.
 */
export function afterRegistryChangeNotice(options: AfterRegistryChangeOptions, hasGraphCli: boolean): string | undefined {
  const steps = [
    ...(options.skipInstall ? [] : ['npm install --package-lock-only (package-lock.json)']),
    ...(options.skipGraph || !hasGraphCli ? [] : ['redraw the trust graph (README.md, docs/trust-graph.*)']),
  ];
  return steps.length === 0 ? undefined : `Afterwards (skipped in --dry-run): ${steps.join('; ')}.`;
}

/**
 * What the account generators' callbacks run once the changes are on disk (Nx runs no callback on
 * `--dry-run`). Returns the commands it ran, in order.
 *
 * 1. {@link LOCKFILE_COMMAND}: each `projects/<key>` is an npm workspace, so without it `npm ci` in CI
 *    refuses the stale lockfile.
 * 2. {@link GRAPH_COMMAND}: the committed trust graph draws every registry account, and the offline
 *    preview's test fails while it is out of date. A failure here is a warning naming the command to
 *    rerun: the account change itself is complete.
 */
export function afterRegistryChange(root: string, options: AfterRegistryChangeOptions, checks: StepChecks = {}): string[] {
  const ran: string[] = [];
  if (!options.skipInstall) {
    // One npm at a time: each rewrites package-lock.json from the project folders it sees when it starts.
    withFileLock(path.join(root, LOCKFILE), () => {
      if (checks.lockfileDone?.(root)) {
        logger.info(`${LOCKFILE} already records the change; not running npm install.`);
        return;
      }
      logger.info(`Recording the workspaces in package-lock.json (${LOCKFILE_COMMAND})...`);
      shell.run(LOCKFILE_COMMAND, root);
      ran.push(LOCKFILE_COMMAND);
    });
  }
  if (!options.skipGraph) {
    if (!fs.existsSync(path.join(root, GRAPH_CLI))) {
      logger.info(`Not redrawing the trust graph: ${GRAPH_CLI} is not in this workspace.`);
      return ran;
    }
    try {
      withFileLock(path.join(root, GRAPH_LOCK_TARGET), () => {
        if (checks.graphDone?.(root)) {
          logger.info(`The trust graph (${GRAPH_FILE}) already shows the change; not redrawing it.`);
          return;
        }
        logger.info(`Redrawing the trust graph in docs/ and README.md (${GRAPH_COMMAND})...`);
        shell.run(GRAPH_COMMAND, root, 'ignore');
        ran.push(GRAPH_COMMAND);
      });
    } catch (e) {
      logger.warn(
        `The trust graph was not redrawn (${GRAPH_COMMAND} failed: ${(e as Error).message.split('\n')[0]}). ` +
          'Fix what the preview reports (npm start), then run npm start -- --graph and commit docs/trust-graph.* and README.md.',
      );
    }
  }
  return ran;
}
