import { driftReport, type DeployRoleDrift } from './drift';
import { buildAccessGraph, edgesInto, findCycles, privilegedRoles, roleArns, whatCanReach, whoCanReach, type AccessGraph } from './engine';
import { judgePaths, type Declared, type PathJudgement, type PathsConfig } from './rules';
import type { SnapshotProblem } from './snapshot';
import { selectTargets } from './targets';
import type { AccessPath, OrgSnapshot, PathEntry, TargetPaths } from './types';

export interface AnalyseOptions {
  readonly maxHops: number;
  /** Every simple path, not only the shortest per entry point. */
  readonly all: boolean;
  /** `--to` values (role ARNs, account keys or ids); empty: every deploy role and privileged role. */
  readonly to?: readonly string[];
  /** Only the paths from these entry points. */
  readonly from?: readonly PathEntry[];
  /** Declared vs actual (`--declared`): only the registry's deploy roles and the drift rules; takes no `to` or `from`. */
  readonly declaredOnly?: boolean;
  /** The time exemptions expire against. @default now */
  readonly now?: Date;
}

export type Analysis =
  | { readonly ok: true; readonly graph: AccessGraph; readonly targets: TargetPaths[]; readonly judgement: PathJudgement; readonly deployRoles?: readonly DeployRoleDrift[] }
  | { readonly ok: false; readonly problems: string[] };

/**
 * One run of the engine and the path rules over a snapshot: the graph, the targets (registry deploy roles
 * and privileged roles, or the `to` ones) with who can reach each, and the rules' judgement. The one
 * sequence `trust-guard paths` and the offline preview's code graph both run.
 */
export function analyseSnapshot(snapshot: OrgSnapshot, declared: Declared, config: PathsConfig, options: AnalyseOptions): Analysis {
  const graph = buildAccessGraph(snapshot);
  if (options.declaredOnly === true) {
    if ((options.to?.length ?? 0) > 0 || (options.from?.length ?? 0) > 0) return { ok: false, problems: ['--declared compares every deploy role of the registry with the snapshot; it takes no --to or --from.'] };
    const drift = driftReport(snapshot, declared, { maxHops: options.maxHops, all: options.all, config, graph, ...(options.now !== undefined && { now: options.now }) });
    const roles = new Set(roleArns(graph));
    return { ok: true, graph, targets: drift.targets.filter((t) => roles.has(t.target)), judgement: { findings: drift.findings, exempted: drift.exempted, expired: drift.expired }, deployRoles: drift.deployRoles };
  }
  const selection = selectTargets(declared, privilegedRoles(graph), roleArns(graph), options.to ?? []);
  if (!selection.ok) return { ok: false, problems: selection.problems };
  const query = { maxHops: options.maxHops, all: options.all };
  const fromPaths = options.from === undefined || options.from.length === 0 ? undefined : options.from.flatMap((f) => whatCanReach(graph, f, query));
  const targets: TargetPaths[] = selection.targets.map((t) => ({
    ...t,
    paths: fromPaths === undefined ? whoCanReach(graph, t.target, query) : fromPaths.filter((p) => p.hops[p.hops.length - 1] === t.target),
  }));
  // path-declared-dead asks once per declared principal and deploy role: one 1-hop search per principal, not per pair.
  const oneHop = new Map<string, ReadonlySet<string>>();
  const canAssume = (principal: string, role: string): boolean => {
    let reach = oneHop.get(principal);
    if (reach === undefined) oneHop.set(principal, (reach = assumable(graph, principal)));
    return reach.has(role);
  };
  // path-undeclared judges every edge into a deploy role (also one no shortest path passes), unless --from narrows the run.
  const judgement = judgePaths({ snapshot, declared, targets, cycles: findCycles(graph), canAssume, ...(fromPaths === undefined && { edgesInto: (r: string) => edgesInto(graph, r) }) }, config, options.now);
  return { ok: true, graph, targets, judgement };
}

/** What a `--from` value is: a role or user ARN, an account id, a provider ARN, a service principal, or `*`. */
export function entryOf(value: string): PathEntry | undefined {
  if (value === '*') return { kind: 'anyone', id: '*' };
  if (/^\d{12}$/.test(value)) return { kind: 'account', id: value };
  if (/^arn:aws[\w-]*:iam::\d{12}:role\//.test(value)) return { kind: 'role', id: value };
  if (/^arn:aws[\w-]*:iam::\d{12}:user\//.test(value)) return { kind: 'user', id: value };
  if (/^arn:aws[\w-]*:iam::\d{12}:(oidc|saml)-provider\//.test(value)) return { kind: 'federated', id: value };
  if (/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(value)) return { kind: 'service', id: value };
  return undefined;
}

/** The roles the principal assumes in one hop (the engine's edges), for path-declared-dead. */
function assumable(graph: AccessGraph, principal: string): ReadonlySet<string> {
  const entry = entryOf(principal);
  if (entry === undefined) return new Set();
  return new Set(whatCanReach(graph, entry, { maxHops: 1 }).map((p: AccessPath) => p.hops[0]));
}

/**
 * Every fault of one run, once each: the reader's problems, then the engine's that the reader has not already
 * named (a document the reader could not read is reported by the reader, with its position; the engine's note
 * on it, "judged as granting nothing", names the same fault). An engine problem is put in the file `fileOf`
 * gives for its account (or `fallback`).
 */
export function runProblems(read: readonly SnapshotProblem[], graph: AccessGraph, fileOf: (accountId: string) => string | undefined, fallback: string): SnapshotProblem[] {
  const faulty = read.flatMap((p) => (p.document !== undefined ? [p.document] : []));
  return [
    ...read,
    ...graph.problems
      .filter((p) => !faulty.some((owner) => p.where === owner || p.where.endsWith(` ${owner}`)))
      .map((p) => ({ file: (p.accountId !== undefined ? fileOf(p.accountId) : undefined) ?? fallback, ...(p.accountId !== undefined && { accountId: p.accountId }), message: `${p.where}: ${p.message}` })),
  ];
}
