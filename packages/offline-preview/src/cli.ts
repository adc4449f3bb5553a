import { buildTrustGraph, writeGraphFiles } from './graph';
import { parseArgs, USAGE, UsageError } from './options';
import { codeSnapshotOf, pathsOutProblem, writeCodeSnapshot } from './paths';
import { loadWorkspaceRegistry, runOfflinePreview } from './preview';
import { progressReporter, type ProgressStream } from './progress';
import { renderJson, renderText } from './render';
import { LoadError } from './workspace';

/** The streams the CLI writes to (injectable for tests). */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: ProgressStream;
}

/**
 * `npm start -- [options]`: runs the offline preview and prints it. Returns the exit status: 0 no
 * mandatory finding, 1 a mandatory finding, 2 the command line, the registry or a program could not be
 * loaded. All logic lives in the exported functions; this is the shell around them.
 */
export async function main(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let options;
  try {
    options = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(`offline-preview: ${e.message}\nRun "npm start -- --help" for the options.\n`);
    return 2;
  }
  if (options.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  // A folder that cannot receive the snapshot is a usage error before the preview runs, not after.
  const outProblem = options.pathsOut === undefined ? undefined : pathsOutProblem(options.pathsOut);
  if (outProblem !== undefined) {
    io.stderr.write(`offline-preview: ${outProblem}\n`);
    return 2;
  }

  let result;
  try {
    result = await runOfflinePreview({ workspace: options.workspace, projects: options.projects, workers: options.workers, onProgress: progressReporter(io.stderr) });
  } catch (e) {
    io.stderr.write(`${e instanceof LoadError ? e.message : `offline-preview: ${(e as Error).stack ?? String(e)}`}\n`);
    return 2;
  }
  for (const s of result.stacks) if (s.error) io.stderr.write(`${s.error}\n`);

  if (options.graph) {
    if (result.summary.errors > 0) {
      io.stderr.write('offline-preview: the trust graph was not written, because a program could not be run (it would be incomplete).\n');
    } else {
      const { registry } = loadWorkspaceRegistry(result.workspace);
      const changed = writeGraphFiles(result.workspace, buildTrustGraph(result, registry));
      io.stderr.write(changed.length > 0 ? `offline-preview: trust graph written: ${changed.join(', ')}.\n` : 'offline-preview: trust graph is up to date.\n');
    }
  }

  if (options.pathsOut !== undefined) {
    const snapshot = codeSnapshotOf(result);
    if (result.summary.errors > 0 || snapshot === undefined) {
      io.stderr.write(`offline-preview: the code snapshot was not written to ${options.pathsOut}, because a program could not be run (it would be incomplete).\n`);
    } else {
      const files = writeCodeSnapshot(snapshot, options.pathsOut);
      io.stderr.write(`offline-preview: code snapshot written to ${options.pathsOut} (${files.length} account files); read it with: npx trust-guard paths ${options.pathsOut}\n`);
    }
  }

  io.stdout.write(options.json ? renderJson(result) : renderText(result));
  return result.exitCode;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`offline-preview: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
