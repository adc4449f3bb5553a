/** The project key that selects the access project (root `Pulumi.yaml`, stack `identity`). */
export const ACCESS_PROJECT = 'access';

/** What `npm start -- ...` was asked to do. */
export interface CliOptions {
  /** Project keys to run (`access` or registry account keys), in the order given; empty means all. */
  readonly projects: readonly string[];
  /** Print the result as JSON (schema version 1) instead of text. */
  readonly json: boolean;
  /** Write the trust graph (docs/trust-graph.mmd, docs/trust-graph.dot, the README block). */
  readonly graph: boolean;
  /** The workspace to preview; undefined means the repository root found from the current directory. */
  readonly workspace?: string;
  /** Worker threads to run stacks on; undefined lets the preview choose (see `defaultWorkers`). */
  readonly workers?: number;
  readonly help: boolean;
}

/** A command line that cannot be understood. The CLI prints the message and the usage, and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Below this many stacks per worker a worker's start (loading Pulumi and the AWS SDK, about 1 s) costs more than it saves. */
export const MIN_STACKS_PER_WORKER = 40;

export const USAGE = `Usage: npm start -- [options]

Runs the access project and every account project of the registry in-process under Pulumi mocks (no cloud
credentials), and judges each stack with the trust-guard policy pack's resource and stack policies.

Options:
  --project <key>    Run only this project (repeatable). "access" is the access project; any other key
                     is a registry account with a project in projects/<key>/.
  --json             Print the result as JSON (schemaVersion 1, see packages/offline-preview/README.md).
  --graph            Also write docs/trust-graph.mmd, docs/trust-graph.dot and the README trust-graph block.
  --workspace <dir>  The workspace to preview (default: the repository root found from the current directory).
  --workers <n>      Run stacks on n worker threads (default: one per core for large workspaces, none
                     below ${MIN_STACKS_PER_WORKER} stacks per worker). Output order does not depend on it.
  -h, --help         Show this help.

Exit status: 0 no mandatory finding, 1 at least one mandatory finding, 2 a program, the registry or the
command line could not be loaded.
`;

const KEY = /^[a-z][a-z0-9-]{0,38}[a-z0-9]$/;

/**
 * Parses the CLI arguments (without `node` and the script). Accepts `--opt value` and `--opt=value`.
 * Throws {@link UsageError} naming the bad argument and what is allowed.
 */
export function parseArgs(argv: readonly string[]): CliOptions {
  const projects: string[] = [];
  let json = false;
  let graph = false;
  let help = false;
  let workspace: string | undefined;
  let workers: number | undefined;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) {
        if (inline === '') throw new UsageError(`option ${name} needs a value after "=".`);
        return inline;
      }
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`option ${name} needs a value (for example ${name === '--project' ? '--project dev' : '--workspace ./repo'}).`);
      i++;
      return next;
    };
    const flag = (): true => {
      if (inline !== undefined) throw new UsageError(`option ${name} takes no value, but got "${inline}".`);
      return true;
    };

    switch (name) {
      case '--project': {
        const key = value();
        if (!KEY.test(key)) {
          throw new UsageError(`--project "${key}" is not a project key; use "access" or a registry account key (lower-case letters, digits and dashes, such as "dev").`);
        }
        if (!projects.includes(key)) projects.push(key);
        break;
      }
      case '--workspace':
        if (workspace !== undefined) throw new UsageError(`option --workspace was given twice ("${workspace}" and the next); give one workspace.`);
        workspace = value();
        break;
      case '--workers': {
        const text = value();
        if (!/^[1-9][0-9]{0,2}$/.test(text)) throw new UsageError(`--workers "${text}" is not a number of threads; use a whole number from 1 to 999 (1 runs every stack in the main thread).`);
        workers = Number(text);
        break;
      }
      case '--json':
        json = flag();
        break;
      case '--graph':
        graph = flag();
        break;
      case '-h':
      case '--help':
        help = flag();
        break;
      default:
        throw new UsageError(
          arg.startsWith('-')
            ? `unknown option "${arg}"; allowed: --project <key>, --json, --graph, --workspace <dir>, --workers <n>, --help.`
            : `unexpected argument "${arg}"; select projects with --project ${arg}.`,
        );
    }
  }
  if (graph && projects.length > 0) {
    // The graph files and the README block describe the whole workspace; a partial graph would overwrite them.
    throw new UsageError(`--graph draws every stack of the workspace and cannot be combined with --project (${projects.join(', ')}); run npm start -- --graph alone.`);
  }
  return { projects, json, graph, help, ...(workspace !== undefined ? { workspace } : {}), ...(workers !== undefined ? { workers } : {}) };
}
