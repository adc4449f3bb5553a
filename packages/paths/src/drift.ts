/**
 * Declared vs code vs live: what the registry declares (`Declared`) against a snapshot, whatever produced
 * it (GAAD files, `trust-guard collect`, the code's graph). Pure: no I/O. `trust-guard paths --declared`,
 * the live scan and collect call {@link driftReport}.
 */
import { buildAccessGraph, edgesInto, whoCanReach, type AccessGraph, type BuildProblem, type QueryOptions } from './engine';
import { PATH_RULE_IDS, judgePaths, type Declared, type PathJudgement, type PathRuleId, type PathsConfig } from './rules';
import { lastCaller } from './rules/describe';
import type { OrgSnapshot, PathGuard, TargetPaths, Verdict } from './types';

/** The path rules that compare the snapshot with the registry: undeclared edges, weaker guards, dead declared edges. */
export const DRIFT_RULE_IDS = ['path-undeclared', 'path-guard-weaker', 'path-declared-dead'] as const satisfies readonly PathRuleId[];

/** One edge into a deploy role, as the snapshot has it. */
export interface DriftEdge {
  /** The caller (role or user ARN, `arn:…:root` of an account, provider, service or `*`). */
  readonly caller: string;
  /** True when the caller is one of the account's declared trustedPrincipals. */
  readonly declared: boolean;
  readonly verdict: Verdict;
  /** The guards of this one hop. */
  readonly guards: readonly PathGuard[];
}

/** Declared against actual for one registry account's deploy role. */
export interface DeployRoleDrift {
  readonly account: string;
  readonly deployRoleArn: string;
  /** Whether the snapshot has the deploy role (false: it has the account but not the role; undefined: the account is not in the snapshot or unreadable). */
  readonly inSnapshot: boolean | undefined;
  readonly declaredPrincipals: readonly string[];
  readonly externalId?: string;
  /** Every edge into the deploy role, declared or not, sorted by caller. */
  readonly edges: readonly DriftEdge[];
}

export interface DriftReport extends PathJudgement {
  /** The deploy roles' paths (shortest from each entry point), for a report or a picture. */
  readonly targets: readonly TargetPaths[];
  /** Per registry account, declared against actual edges into its deploy role. */
  readonly deployRoles: readonly DeployRoleDrift[];
  /** What the engine met while building the graph (only when it built it: a given `graph` carries its own). */
  readonly problems: readonly BuildProblem[];
}

export interface DriftOptions extends QueryOptions {
  /** The `paths` settings: levels and exemptions of the drift rules (the other path rules are not run). */
  readonly config?: PathsConfig;
  readonly now?: Date;
  /** The graph already built from this snapshot, so it is not built twice. */
  readonly graph?: AccessGraph;
}

/**
 * Compares a snapshot with what the registry declares: every edge into a deploy role from a caller the
 * registry does not declare (`path-undeclared`), every edge that lacks a declared guard
 * (`path-guard-weaker`: the account's `externalId`), every declared principal or deploy role the snapshot
 * lacks or whose edge does not exist (`path-declared-dead`). Exemptions and levels come from `config`.
 */
export function driftReport(snapshot: OrgSnapshot, declared: Declared, options: DriftOptions = {}): DriftReport {
  const graph = options.graph ?? buildAccessGraph(snapshot);
  const query: QueryOptions = { ...(options.maxHops !== undefined && { maxHops: options.maxHops }), ...(options.all !== undefined && { all: options.all }) };
  const edges = new Map<string, ReturnType<typeof edgesInto>>();
  const into = (role: string) => {
    let e = edges.get(role);
    if (e === undefined) edges.set(role, (e = edgesInto(graph, role)));
    return e;
  };
  const targets: TargetPaths[] = declared.accounts.map((a) => ({ target: a.deployRoleArn, why: `deploy role of account ${a.key}`, paths: whoCanReach(graph, a.deployRoleArn, query) }));
  const base = options.config ?? { rules: {}, exemptions: [] };
  const rules = Object.fromEntries(PATH_RULE_IDS.map((id) => [id, (DRIFT_RULE_IDS as readonly string[]).includes(id) ? base.rules[id] : 'disabled']).filter(([, level]) => level !== undefined));
  const judgement = judgePaths(
    { snapshot, declared, targets, cycles: [], canAssume: (principal, role) => into(role).some((p) => lastCaller(p) === principal), edgesInto: into },
    { ...base, rules },
    options.now,
  );
  const accounts = new Map(snapshot.accounts.map((a) => [a.accountId, a]));
  const deployRoles: DeployRoleDrift[] = declared.accounts.map((a) => {
    const acct = accounts.get(a.accountId);
    return {
      account: a.key,
      deployRoleArn: a.deployRoleArn,
      inSnapshot: acct === undefined || acct.status !== 'read' ? undefined : acct.roles.some((r) => r.arn === a.deployRoleArn),
      declaredPrincipals: a.trustedPrincipals,
      ...(a.externalId !== undefined && { externalId: a.externalId }),
      edges: into(a.deployRoleArn)
        .map((p) => ({ caller: lastCaller(p), declared: a.trustedPrincipals.includes(lastCaller(p)), verdict: p.verdict, guards: p.guards }))
        .sort((x, y) => (x.caller < y.caller ? -1 : x.caller > y.caller ? 1 : 0)),
    };
  });
  return { ...judgement, targets, deployRoles, problems: options.graph === undefined ? graph.problems : [] };
}
