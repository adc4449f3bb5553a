import { parseArgs as parseNodeArgs, type ParseArgsConfig } from 'node:util';

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
  /** Write the code graph as an organization snapshot folder here (what `trust-guard paths` reads). */
  readonly pathsOut?: string;
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
  --paths-out <dir>  Also write the code graph as an organization snapshot folder (one
                     get-account-authorization-details file per account), for trust-guard paths <dir>.
                     The folder must be new, empty, or one written by --paths-out before; it is replaced
                     whole, and not written when a program could not be run (it would be incomplete).
  -h, --help         Show this help.

Exit status: 0 no mandatory finding, 1 at least one mandatory finding, 2 a program, the registry or the
command line could not be loaded.
`;

const KEY = /^[a-z][a-z0-9-]{0,38}[a-z0-9]$/;

/** The options for `node:util` `parseArgs`; `--project` and `--workspace` collect every value so repeats can be judged. */
const OPTIONS = {
  project: { type: 'string', multiple: true },
  workspace: { type: 'string', multiple: true },
  workers: { type: 'string' },
  'paths-out': { type: 'string', multiple: true },
  json: { type: 'boolean' },
  graph: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

const ALLOWED = 'allowed: --project <key>, --json, --graph, --workspace <dir>, --workers <n>, --paths-out <dir>, --help.';

/**
 * Parses the CLI arguments (without `node` and the script) with `node:util` `parseArgs`, strict. Accepts
 * `--opt value` and `--opt=value`. Throws {@link UsageError} naming the bad argument and what is allowed.
 */
export function parseArgs(argv: readonly string[]): CliOptions {
  let parsed;
  try {
    parsed = parseNodeArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false, tokens: true });
  } catch (error) {
    throw new UsageError(usageProblem(error, argv));
  }
  for (const token of parsed.tokens) {
    if (token.kind === 'option' && token.inlineValue && token.value === '') throw new UsageError(`option ${token.rawName} needs a value after "=".`);
  }
  const { values } = parsed;
  const projects: string[] = [];
  for (const key of values.project ?? []) {
    if (!KEY.test(key)) {
      throw new UsageError(`--project "${key}" is not a project key; use "access" or a registry account key (lower-case letters, digits and dashes, such as "dev").`);
    }
    if (!projects.includes(key)) projects.push(key);
  }
  const workspaces = values.workspace ?? [];
  if (workspaces.length > 1) throw new UsageError(`option --workspace was given twice ("${workspaces[0]}" and the next); give one workspace.`);
  const workspace = workspaces[0];
  const pathsOuts = values['paths-out'] ?? [];
  if (pathsOuts.length > 1) throw new UsageError(`option --paths-out was given twice ("${pathsOuts[0]}" and the next); give one folder.`);
  const pathsOut = pathsOuts[0];
  if (pathsOut !== undefined && projects.length > 0) {
    // The snapshot is the code graph of the whole workspace; a partial one would show paths missing that exist.
    throw new UsageError(`--paths-out writes the code graph of every stack of the workspace and cannot be combined with --project (${projects.join(', ')}); run npm start -- --paths-out ${pathsOut} alone.`);
  }
  let workers: number | undefined;
  if (values.workers !== undefined) {
    if (!/^[1-9][0-9]{0,2}$/.test(values.workers)) {
      throw new UsageError(`--workers "${values.workers}" is not a number of threads; use a whole number from 1 to 999 (1 runs every stack in the main thread).`);
    }
    workers = Number(values.workers);
  }
  const graph = values.graph ?? false;
  if (graph && projects.length > 0) {
    // The graph files and the README block describe the whole workspace; a partial graph would overwrite them.
    throw new UsageError(`--graph draws every stack of the workspace and cannot be combined with --project (${projects.join(', ')}); run npm start -- --graph alone.`);
  }
  return {
    projects,
    json: values.json ?? false,
    graph,
    help: values.help ?? false,
    ...(workspace !== undefined ? { workspace } : {}),
    ...(workers !== undefined ? { workers } : {}),
    ...(pathsOut !== undefined ? { pathsOut } : {}),
  };
}

/**
 * The sentence for a `parseArgs` error (its own messages name the option but not what `npm start` allows):
 * the first argument the lenient parse shows to be wrong, as typed.
 */
function usageProblem(error: unknown, argv: readonly string[]): string {
  const { tokens } = parseNodeArgs({ args: [...argv], options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind === 'positional') return `unexpected argument "${token.value}"; select projects with --project ${token.value}.`;
    if (token.kind !== 'option') continue;
    const name = token.rawName;
    if (!Object.hasOwn(OPTIONS, token.name)) return `unknown option "${name.startsWith('--') ? argv[token.index] : name}"; ${ALLOWED}`;
    const option = OPTIONS[token.name as keyof typeof OPTIONS];
    if (option.type === 'boolean' && token.value !== undefined) return `option ${name} takes no value, but got "${token.value}".`;
    // A value option at the end, or followed by another option (parseArgs calls that ambiguous).
    if (option.type === 'string' && (token.value === undefined || (!token.inlineValue && token.value.startsWith('-')))) {
      return `option ${name} needs a value (for example ${name === '--project' ? '--project dev' : name === '--paths-out' ? '--paths-out .trust-guard/code-snapshot' : '--workspace ./repo'}).`;
    }
  }
  return (error as Error).message;
}
