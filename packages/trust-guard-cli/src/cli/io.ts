import * as fs from 'node:fs';

/** Where a CLI command writes and what it reads from its environment; tests pass a recording one. */
export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Reads all of standard input (the FILE `-`); absent where there is none. */
  stdin?: () => Uint8Array;
}

/**
 * The real process's streams, environment and working directory. The working directory is `INIT_CWD` when
 * set: `npx trust-guard` (and `npm exec`, `npm run`) change cwd to the package root, and npm keeps the
 * directory the user ran the command in there, so relative FILE, --config and --registry paths resolve
 * where the user typed them. https://docs.npmjs.com/cli/v10/commands/npm-run-script
 */
export function processIO(): CliIO {
  return {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    env: process.env,
    cwd: process.env.INIT_CWD || process.cwd(),
    stdin: () => fs.readFileSync(0),
  };
}

/** Exit statuses shared by every subcommand. */
export const EXIT_OK = 0;
/** At least one mandatory finding. */
export const EXIT_FINDINGS = 1;
/** Bad usage, configuration, or input that cannot be read or recognised. */
export const EXIT_USAGE = 2;
