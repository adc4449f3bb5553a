import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProblemsError } from '@trustline/contract';
import { JsonError, readJson } from '@trustline/json';
import {
  DEFAULT_MAX_HOPS,
  COLLECT_REPORT_FILE,
  analyseSnapshot,
  entryOf,
  ORGANIZATION_FILE,
  accountFileId,
  parsePathsConfig,
  readSnapshot,
  roleArns,
  runProblems,
  snapshotFromCode,
  type Declared,
  type PathEntry,
  type SnapshotFile,
  type SnapshotLocation,
  type SnapshotProblem,
  type SnapshotRead,
} from '@trustline/paths';
import { REGISTRY_FILE, findRegistryFile } from '@trustline/registry';
import { containsUnknown, declaredFrom, loadConfigFile, loadRegistryFor, registryAccountNames } from '@trustline/trust-guard';
import { pulumiCode, type PulumiCode } from '../inputs/code';
import { parseArgs } from './args';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CliIO } from './io';
import { hasMandatory, renderPathsJson, renderPathsMermaid, renderPathsText, type PathsReport } from './paths-report';
import { renderPathsSarif } from './sarif';

export const PATHS_USAGE = `Usage: trust-guard paths <SNAPSHOT-DIR | FILE...> [--to ARN|ACCOUNT]... [--from ARN]... [--max-hops N] [--all]
                        [--format text|json|sarif|mermaid] [--config FILE] [--registry FILE] [--declared]

Who can reach each privileged role, through which chain of sts:AssumeRole* hops, under which
conditions, across the whole organization; then the path rules on what it finds.

A SNAPSHOT-DIR holds organization.json (its schema: packages/paths/organization.schema.json) and one
\`aws iam get-account-authorization-details\` output per account, named <accountId>.json (one page or
a list of pages); \`trust-guard collect\` writes one, with collect.json saying why an account could not
be read. Other .json files in it, and FILEs given one by one, are read as loose GAAD output (the
account is the one its ARNs name) or a single trust policy document.

FILEs may instead be \`pulumi preview --json --show-sames\` output or \`pulumi stack export\` files, one
per stack: their IAM roles, policies, users and groups, each in the account its provider's role chain
ends in, plus the registry's declared principals (the hub), judged as \`npm start\` judges the code.

Options:
  --to ARN|ACCOUNT  ask about this role, or every deploy and privileged role of this registry account
                    (key or id); repeat for more. Default: every registry deploy role and every role
                    whose policies allow "*" or "iam:*".
  --from ARN        only the paths from this principal (role or user ARN, account id, provider ARN,
                    service principal or *); repeat for more
  --max-hops N      longest chain considered (default ${DEFAULT_MAX_HOPS})
  --all             every simple path up to --max-hops, not only the shortest from each entry point
  --format FORMAT   text (default), json (schemaVersion 1), sarif (SARIF 2.1.0) or mermaid (a flowchart
                    for a GitHub job summary)
  --config FILE     trust-guard configuration; its "paths" section sets the path rules' levels,
                    "longChainHops" and "exemptions"
  --registry FILE   account registry (default: accounts.json in SNAPSHOT-DIR, else $TRUSTLINE_REGISTRY,
                    else the nearest accounts.json)
  --declared        declared vs actual only: the registry's deploy roles as targets and the drift rules
                    (path-undeclared: every edge into a deploy role from a caller the registry does not
                    declare; path-guard-weaker: an edge without the account's declared externalId;
                    path-declared-dead: a declared principal or deploy role the snapshot lacks or whose
                    edge does not exist)

Exit status: 0 no mandatory finding, 1 at least one mandatory finding, 2 bad usage or input that could
not be read whole (every problem is listed with its file, line and column; paths are still reported, and
those through an unreadable account are "unknown").
`;

const FORMATS = ['text', 'json', 'sarif', 'mermaid'] as const;
type Format = (typeof FORMATS)[number];

/** The snapshot's files by role, and the registry file a snapshot folder carries, if any. */
interface Gathered {
  readonly organization?: SnapshotFile;
  /** collect.json, beside organization.json in a folder `trust-guard collect` wrote. */
  readonly collect?: SnapshotFile;
  readonly accounts: SnapshotFile[];
  readonly loose: SnapshotFile[];
  readonly registryInFolder?: string;
  readonly problems: SnapshotProblem[];
}

function gather(inputs: readonly string[], cwd: string): Gathered {
  const out: { organization?: SnapshotFile; collect?: SnapshotFile; accounts: SnapshotFile[]; loose: SnapshotFile[]; registryInFolder?: string; problems: SnapshotProblem[] } = { accounts: [], loose: [], problems: [] };
  const take = (shown: string, absolute: string) => {
    let bytes: Uint8Array;
    try {
      bytes = fs.readFileSync(absolute);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      out.problems.push({ file: shown, message: `cannot read ${shown}: ${err.code === 'ENOENT' ? 'no such file' : err.message}.` });
      return;
    }
    const base = path.basename(shown);
    if (base === COLLECT_REPORT_FILE) {
      out.collect = { name: shown, bytes };
    } else if (base === ORGANIZATION_FILE) {
      if (out.organization !== undefined) out.problems.push({ file: shown, message: `${shown} is a second ${ORGANIZATION_FILE} (the first was ${out.organization.name}); give one organization.` });
      else out.organization = { name: shown, bytes };
    } else if (accountFileId(base) !== undefined) out.accounts.push({ name: shown, bytes });
    else out.loose.push({ name: shown, bytes });
  };
  for (const input of inputs) {
    const absolute = path.resolve(cwd, input);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch {
      out.problems.push({ file: input, message: `cannot read ${input}: no such file or folder.` });
      continue;
    }
    if (!stat.isDirectory()) {
      take(input, absolute);
      continue;
    }
    for (const name of fs.readdirSync(absolute).sort()) {
      if (!name.endsWith('.json')) continue;
      if (name === REGISTRY_FILE) {
        out.registryInFolder = path.join(absolute, name);
        continue;
      }
      take(path.join(input, name), path.join(absolute, name));
    }
  }
  return out;
}

/** The loose files that are Pulumi previews or stack exports, read as code; the others are kept for the snapshot reader. */
function pulumiInputs(loose: readonly SnapshotFile[]): { keep: SnapshotFile[]; code: { file: string; read: PulumiCode }[] } {
  const keep: SnapshotFile[] = [];
  const code: { file: string; read: PulumiCode }[] = [];
  for (const f of loose) {
    let doc;
    try {
      doc = readJson(f.bytes, { file: f.name });
    } catch (e) {
      if (!(e instanceof JsonError)) throw e;
      keep.push(f); // the snapshot reader reports it, with its position
      continue;
    }
    const read = pulumiCode(f.name, doc);
    if (read !== undefined) code.push({ file: f.name, read });
    else keep.push(f);
  }
  return { keep, code };
}

/**
 * The snapshot of what Pulumi files declare (`snapshotFromCode`, as `npm start` builds it from the programs):
 * their IAM resources in the accounts of their providers, and the registry's declared principals. Each file
 * is one stack; several files, several stacks (and accounts). A problem of the code graph (a value not known
 * before deploy, a resource in no known account) names the file and the resource's place in it.
 */
function codeSnapshot(code: readonly { file: string; read: PulumiCode }[], declared: Declared): SnapshotRead {
  const where = new Map<string, SnapshotLocation>();
  for (const c of code) for (const [urn, at] of c.read.places) where.set(urn, { file: c.file, ...at });
  const built = snapshotFromCode(
    code.flatMap((c) => c.read.resources),
    declared,
    { isUnknown: containsUnknown },
  );
  const locations = new Map<string, SnapshotLocation>();
  for (const [urn, arn] of built.roleArns) {
    const at = where.get(urn);
    if (at !== undefined) locations.set(arn, at);
  }
  const problems: SnapshotProblem[] = [
    ...code.flatMap((c) => c.read.problems),
    ...built.problems.map((p) => {
      const at = where.get(p.urn);
      return { file: at?.file ?? code[0].file, ...(at !== undefined && { line: at.line, column: at.column }), message: `${p.message} (${p.urn})` };
    }),
  ];
  return { snapshot: built.snapshot, problems, locations };
}

export { entryOf } from '@trustline/paths';
export { declaredFrom } from '@trustline/trust-guard';

/** `trust-guard paths`: see {@link PATHS_USAGE}. */
export async function pathsCommand(argv: readonly string[], io: CliIO): Promise<number> {
  let args;
  try {
    args = parseArgs(argv, { values: ['to', 'from', 'max-hops', 'format', 'config', 'registry'], flags: ['all', 'help', 'declared'], repeatable: ['to', 'from'] });
  } catch (e) {
    io.stderr(`trust-guard paths: ${(e as Error).message}\n${PATHS_USAGE}`);
    return EXIT_USAGE;
  }
  if (args.options.help) {
    io.stdout(PATHS_USAGE);
    return EXIT_OK;
  }
  const usage = (message: string) => {
    io.stderr(`trust-guard paths: ${message}\n`);
    return EXIT_USAGE;
  };
  const format = (args.options.format ?? 'text') as Format;
  if (!FORMATS.includes(format)) return usage(`--format ${JSON.stringify(format)} is not supported; use "text", "json", "sarif" or "mermaid".`);
  const maxHopsText = args.options['max-hops'];
  const maxHops = typeof maxHopsText === 'string' ? Number(maxHopsText) : DEFAULT_MAX_HOPS;
  if (!Number.isInteger(maxHops) || maxHops < 1 || maxHops > 64) return usage(`--max-hops ${JSON.stringify(maxHopsText)} must be a whole number of hops from 1 to 64.`);
  if (args.positionals.length === 0) return usage(`name a snapshot folder or at least one FILE.\n${PATHS_USAGE}`);
  const froms: PathEntry[] = [];
  for (const value of args.lists.from ?? []) {
    const entry = entryOf(value);
    if (entry === undefined) return usage(`--from ${JSON.stringify(value)} is not a role or user ARN, an account id, an OIDC or SAML provider ARN, a service principal (ec2.amazonaws.com) or *.`);
    froms.push(entry);
  }

  const gathered = gather(args.positionals, io.cwd);
  const registryFile = typeof args.options.registry === 'string' ? args.options.registry : gathered.registryInFolder;
  const registry = loadRegistryFor({ file: registryFile, env: io.env, cwd: io.cwd });
  if (registry instanceof Error) return usage(`the account registry is needed for the deploy roles, environments and declared principals, and it could not be loaded: ${registry.message} Pass --registry FILE, or put accounts.json in the snapshot folder.`);
  const config = loadConfigFile(typeof args.options.config === 'string' ? args.options.config : undefined, registry, io.cwd, typeof args.options.registry === 'string' ? args.options.registry : undefined);
  if (!config.ok) return usage(config.error);
  let pathsConfig;
  try {
    pathsConfig = parsePathsConfig(config.config.paths, typeof args.options.config === 'string' ? args.options.config : 'trust-guard configuration');
  } catch (e) {
    if (e instanceof ProblemsError) return usage(e.message);
    throw e;
  }

  const { keep, code } = pulumiInputs(gathered.loose);
  if (code.length > 0) {
    const others = [gathered.organization, gathered.collect, ...gathered.accounts, ...keep].flatMap((f) => (f === undefined ? [] : [f.name]));
    if (others.length > 0) {
      return usage(
        `${code.map((c) => c.file).join(', ')} ${code.length === 1 ? 'is' : 'are'} Pulumi output (the code's resources) and ${others.slice(0, 3).join(', ')}${others.length > 3 ? ', ...' : ''} ${others.length === 1 ? 'is' : 'are'} not; ` +
          'give either Pulumi previews or stack exports (one per stack), or an organization snapshot (organization.json and get-account-authorization-details files), not both.',
      );
    }
  }
  const declared = declaredFrom(registry);
  const read =
    code.length > 0
      ? codeSnapshot(code, declared)
      : readSnapshot({
          ...(gathered.organization !== undefined && { organization: gathered.organization }),
          ...(gathered.collect !== undefined && { collect: gathered.collect }),
          accounts: gathered.accounts,
          loose: keep,
        });
  // The --to values are checked before the input problems are gathered, as a usage error.
  const options = { maxHops, all: args.options.all === true };
  const analysis = analyseSnapshot(read.snapshot, declared, pathsConfig, { ...options, to: args.lists.to ?? [], from: froms, declaredOnly: args.options.declared === true });
  if (!analysis.ok) return usage(analysis.problems.join('\n'));
  const { graph, targets, judgement, deployRoles } = analysis;
  // Where a fault about an account is shown: its GAAD file, or the first Pulumi file with a resource in it.
  const accountFiles = new Map<string, string>(gathered.accounts.map((f) => [accountFileId(f.name) as string, f.name]));
  for (const c of code) for (const r of c.read.resources) if (r.account !== null && !accountFiles.has(r.account)) accountFiles.set(r.account, c.file);
  const problems: SnapshotProblem[] = [...gathered.problems, ...runProblems(read.problems, graph, (id) => accountFiles.get(id), gathered.organization?.name ?? 'snapshot')];

  // The registry's names win over the organization's account names.
  const names = new Map<string, string>([...(read.snapshot.organization?.accounts ?? []).flatMap((a): [string, string][] => (a.name !== undefined ? [[a.accountId, a.name]] : [])), ...registryAccountNames(registry)]);
  const report: PathsReport = {
    targets,
    judgement,
    ...(deployRoles !== undefined && { deployRoles }),
    problems,
    accountNames: names,
    header: {
      registry: shown(findRegistryFile(registryFile, io.cwd, io.env), io.cwd),
      ...(read.snapshot.organization !== undefined && { organizationId: read.snapshot.organization.organizationId }),
      organizationUnread: gathered.organization !== undefined && read.snapshot.organization === undefined,
      accounts: read.snapshot.accounts.length,
      unreadable: read.snapshot.accounts.filter((a) => a.status === 'unreadable').length,
      roles: roleArns(graph).length,
      maxHops,
      all: options.all,
    },
  };
  const render = { text: renderPathsText, json: renderPathsJson, mermaid: renderPathsMermaid, sarif: (r: PathsReport) => renderPathsSarif(r, { cwd: io.cwd, accountFiles, locations: read.locations }) }[format];
  io.stdout(render(report));
  if (problems.length > 0) {
    if (format !== 'text') io.stderr(`${problems.map((p) => `trust-guard paths: ${p.file}${p.line !== undefined ? `:${p.line}:${p.column ?? 1}` : ''}: ${p.message}`).join('\n')}\n`);
    return EXIT_USAGE;
  }
  return hasMandatory(judgement) ? EXIT_FINDINGS : EXIT_OK;
}

/** A path as typed, relative to the working directory when inside it. */
function shown(file: string, cwd: string): string {
  const relative = path.relative(cwd, path.resolve(cwd, file));
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
