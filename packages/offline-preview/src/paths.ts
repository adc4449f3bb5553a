import { CODE_IAM_TYPES, DEFAULT_MAX_HOPS, analyseSnapshot, parsePathsConfig, pathsJson, roleArns, snapshotFiles, snapshotFromCode, type CodeResource, type OrgSnapshot, type PathsReport } from '@trustline/paths';
import type { AccountRegistry } from '@trustline/registry';
import { containsUnknown, createStaging, declaredFrom, outProblem, registryAccountNames } from '@trustline/trust-guard';
import type { ProviderChain, StackResult } from './result';

/**
 * The code graph: who can reach each deploy role and privileged role through what the programs declare,
 * before anything is deployed. Each stack hands over its IAM registrations ({@link codeResources}); the
 * path engine's `snapshotFromCode` turns them and the registry's declared principals into one snapshot, and
 * `analyseSnapshot` runs the engine and the path rules on it, as `trust-guard paths` does on a live one.
 */

interface Registration {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  readonly provider?: { readonly urn: string };
}

const IAM_TYPES = new Set(CODE_IAM_TYPES);

/**
 * A stack's IAM registrations, each placed in the account its provider's role chain ends in (else the
 * provider's first allowed account, as the trust graph does), or null when that is not known.
 */
export function codeResources(resources: readonly Registration[], providers: readonly ProviderChain[]): CodeResource[] {
  const byProvider = new Map(providers.map((p) => [p.urn, p]));
  return resources
    .filter((r) => IAM_TYPES.has(r.type))
    .map((r) => {
      const provider = r.provider ? byProvider.get(r.provider.urn) : undefined;
      return { type: r.type, urn: r.urn, name: r.name, inputs: r.inputs, propertyDependencies: r.propertyDependencies, account: provider?.accountId ?? provider?.allowedAccountIds[0] ?? null, region: provider?.region ?? null };
    });
}

/** The paths section of the result: `trust-guard paths --format json`'s body (no schemaVersion of its own). */
export type PreviewPaths = ReturnType<typeof pathsJson>;

export interface CodePaths {
  /** The code graph as an organization snapshot (no organization: the code declares no OUs, SCPs or RCPs). */
  readonly snapshot: OrgSnapshot;
  readonly report: PathsReport;
  readonly json: PreviewPaths;
  readonly mandatory: number;
  readonly advisory: number;
}

/**
 * Runs the engine and the path rules (default levels) on the code graph of `stacks`. Input problems (a
 * role whose trust policy is not known before deploy, a resource whose account is not known, a program
 * that could not run, so the graph misses its stack) are listed with the resource's URN; they do not change
 * the exit status themselves (a program that failed already makes it 2).
 */
export function codePaths(stacks: readonly (StackResult & { readonly iam?: readonly CodeResource[] })[], registry: AccountRegistry, registryFile: string): CodePaths {
  const declared = declaredFrom(registry);
  const { snapshot, problems } = snapshotFromCode(
    stacks.flatMap((s) => s.iam ?? []),
    declared,
    { isUnknown: containsUnknown },
  );
  const analysis = analyseSnapshot(snapshot, declared, parsePathsConfig(undefined), { maxHops: DEFAULT_MAX_HOPS, all: false });
  // Without --to, target selection cannot fail.
  if (!analysis.ok) throw new Error(`offline-preview: the code graph's targets: ${analysis.problems.join(' ')}`);
  const names = registryAccountNames(registry);
  const report: PathsReport = {
    command: 'offline-preview paths (code graph)',
    targets: analysis.targets,
    judgement: analysis.judgement,
    problems: [
      ...stacks.filter((s) => s.status === 'error').map((s) => ({ file: s.program, message: `project "${s.project}" could not be run, so the code graph misses its resources; fix the program first.` })),
      ...problems.map((p) => ({ file: p.urn, message: p.message })),
      ...analysis.graph.problems.map((p) => ({ file: 'code graph', ...(p.accountId !== undefined && { accountId: p.accountId }), message: `${p.where}: ${p.message}` })),
    ],
    accountNames: names,
    header: { registry: registryFile, accounts: snapshot.accounts.length, unreadable: 0, roles: roleArns(analysis.graph).length, maxHops: DEFAULT_MAX_HOPS, all: false },
  };
  const mandatory = analysis.judgement.findings.filter((f) => f.severity === 'mandatory').length;
  return { snapshot, report, json: pathsJson(report), mandatory, advisory: analysis.judgement.findings.length - mandatory };
}

/** The path report and code snapshot behind each result's `paths` section, for the text report and `--paths-out`. */
const reports = new WeakMap<object, CodePaths>();

/** Remembers the code graph a result's `paths` section was made from. */
export function keepPathsReport<T extends object>(result: T, paths: CodePaths): T {
  reports.set(result, paths);
  return result;
}

/** The path report a result's `paths` section was made from, if it was made in this process. */
export function pathsReportOf(result: object): PathsReport | undefined {
  return reports.get(result)?.report;
}

/** The code snapshot a result's `paths` section was made from, if it was made in this process. */
export function codeSnapshotOf(result: object): OrgSnapshot | undefined {
  return reports.get(result)?.snapshot;
}

/** How `--paths-out` names itself in the atomic folder writer's messages. */
const PATHS_OUT = { option: '--paths-out', command: 'npm start -- --paths-out', withOrganization: false } as const;

/** Why `--paths-out DIR` cannot receive the code's snapshot (checked before the preview runs), or undefined. */
export function pathsOutProblem(out: string): string | undefined {
  return outProblem(out, PATHS_OUT);
}

/**
 * Writes the code snapshot to `out` as the folder `trust-guard paths` reads (one
 * get-account-authorization-details page per account, `snapshotFiles` of @trustline/paths), atomically:
 * the files go to a staging folder renamed into place at the end. Returns the file names written.
 */
export function writeCodeSnapshot(snapshot: OrgSnapshot, out: string): string[] {
  const problem = pathsOutProblem(out);
  if (problem !== undefined) throw new Error(problem);
  const files = snapshotFiles(snapshot);
  const staging = createStaging(out);
  try {
    for (const f of files) staging.writeText(f.name, f.text);
    staging.commit();
  } catch (e) {
    staging.abandon();
    throw e;
  }
  return files.map((f) => f.name);
}
