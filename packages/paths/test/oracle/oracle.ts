/**
 * The oracle (issue 18, item 5): every (caller, role) hop of a snapshot decided by an independent evaluator,
 * `@cloud-copilot/iam-simulate` (AGPL-3.0: a devDependency imported by test files only; eslint refuses it anywhere
 * else), one `sts:AssumeRole` request at a time, and the brute-force transitive closure over those decisions.
 *
 * What the oracle reads of the snapshot is plumbing, not IAM semantics: it decodes documents, resolves managed
 * policy ARNs, groups and boundaries, and lists each account's OU path. What it encodes itself, because
 * iam-simulate takes them as inputs rather than deciding them:
 * - the request context a caller's origin fixes: aws:PrincipalArn (the role ARN for a role session, the principal
 *   being its assumed-role session ARN), aws:PrincipalAccount, aws:PrincipalOrgID and aws:PrincipalOrgPaths (for
 *   accounts of the organization), aws:PrincipalTag/*, aws:PrincipalIsAWSService;
 * - which SCPs and RCPs apply: none for the management account (SCPs and RCPs do not apply to it), none when the
 *   snapshot has no policy of that type (the type is off), none on the caller side for callers outside the
 *   organization; else one level per root, OU and account, the root first;
 * - outside callers (an account outside the snapshot, `anyone`) have unknown policies: identity Allow `*`, no SCP,
 *   no boundary, and an unknown ARN and tags, tried as a few candidates.
 *
 * Guards. The keys a caller chooses or the environment sets that the generator uses are varied:
 * `sts:ExternalId` (absent, or each of EXTERNAL_IDS), `aws:MultiFactorAuthPresent` (absent, "true", "false"), and
 * for a role whose trust allows sts:TagSession, `aws:PrincipalTag/team` (its own tags, or a session tag "red" or
 * "blue": whoever assumed it chose its sessions' tags). Only the keys the hop's documents name are varied.
 * A hop is `always` when it is allowed with none of them supplied, `may` when it is allowed under some combination.
 * The engine must then report: always-reachable = closure over `always` hops; reachable = closure over `may` hops.
 *
 * The same-account grey zone (issue 18, S2), mapped explicitly. iam-simulate allows a same-account AssumeRole
 * whose trust names the caller directly even when the caller's identity policies do not allow it, and denies it
 * when the caller's boundary does not (a grant to a role ARN is cut by that role's boundary). The engine reports
 * every such hop `conditional` with the guard `grey-zone:same-account-trust`, never `always`, never dropped. So a
 * same-account hop whose trust names the caller's ARN and that iam-simulate allows without an identity allow, or
 * denies but allows once the caller is given an identity allow and no boundary, is `grey`: the engine must have it,
 * not as `always`. A same-account hop iam-simulate allows through a wildcard trust (`*`) without an identity allow
 * is `wildcard-grey`: either answer accepted, never `always` (see {@link HopDecision}); so is a hop of the service
 * that iam-simulate allows only through a trust of `*` (it lets {"AWS": "*"} match a service principal).
 *
 * Outside callers and the service: the engine routes trusts of `*` to its `anyone` entry rather than to the
 * outside account or the service, so for those callers what the oracle reaches must be reached by the caller or
 * by `anyone` in the engine (compare.ts).
 */
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import type { OrgSnapshot, SnapshotAccount } from '../../src/types';
import { EXTERNAL_IDS, OTHER_ORG_ID, OUTSIDE_ACCOUNT, SERVICE } from './generate';

/** The account `anyone` stands for: outside the organization and named by no policy. */
export const ANYONE_ACCOUNT = '999999999999';

/**
 * One hop's decision. `always`: allowed with no caller-chosen or environment key supplied. `conditional`: allowed
 * only when some of them are supplied. `grey`: the same-account grey zone (the trust names the caller's ARN and
 * only the caller's identity policies or boundary lack the allow): the engine must report it `conditional`, never
 * `always`, never drop it. `wildcard-grey`: iam-simulate allows a same-account hop through a trust statement that
 * matches the caller by a wildcard (`*`) while the caller's identity policies or boundary do not allow it; IAM's
 * documentation does not settle it (the exception for role trust says the trust "must explicitly allow"), so
 * either answer of the engine is accepted, never `always`. `either`: an outside caller whose unknown ARN, tags or
 * organization decide; the engine must have the hop, `always` or not.
 */
export type HopDecision = 'never' | 'always' | 'conditional' | 'grey' | 'wildcard-grey' | 'either';

/** A node of the oracle's graph: a snapshot user or role, the outside account, anyone, or a service. */
export interface Caller {
  /** `role:<arn>`, `user:<arn>`, `account:<id>`, `anyone`, `service:<name>`. */
  readonly key: string;
  readonly kind: 'role' | 'user' | 'account' | 'anyone' | 'service';
  readonly id: string;
  readonly accountId?: string;
  /** Candidate (principal, context) pairs; several for an outside caller whose ARN and tags are unknown. */
  readonly candidates: readonly { readonly principal: string; readonly context: Record<string, string | string[]> }[];
  readonly identityPolicies: Simulation['identityPolicies'];
  /** A role whose trust allows sts:TagSession: whoever assumed it chose its sessions' principal tags (varied as a guard). */
  readonly tagsChosen?: boolean;
  readonly boundary?: Simulation['permissionBoundaryPolicies'];
  readonly scps: Simulation['serviceControlPolicies'];
}

export interface OracleResult {
  readonly callers: readonly Caller[];
  readonly roles: readonly string[];
  /** decision[callerKey][roleArn] (absent = never). */
  readonly hops: ReadonlyMap<string, ReadonlyMap<string, HopDecision>>;
  /** Each role's decoded trust policy. */
  readonly trusts: ReadonlyMap<string, unknown>;
  readonly simulations: number;
}

/** Decodes a document as GAAD carries it (object, JSON text or URL-encoded JSON text). */
export function decodeDocument(document: unknown): unknown {
  if (typeof document !== 'string') return document;
  const text = document.trimStart().startsWith('{') ? document : decodeURIComponent(document);
  return JSON.parse(text);
}

/** Whether an Allow statement of a trust policy grants sts:TagSession (an Action glob that matches it). */
function allowsTagSession(trust: unknown): boolean {
  const statements = ([] as unknown[]).concat((trust as { Statement?: unknown }).Statement ?? []);
  return statements.some((st) => {
    const s = st as { Effect?: string; Action?: unknown };
    const actions = ([] as unknown[]).concat(s.Action ?? []).map(String);
    return s.Effect === 'Allow' && actions.some((a) => new RegExp(`^${a.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i').test('sts:TagSession'));
  });
}

const NAMES_TAG = /aws:principaltag\//i;
const NAMES_EXTERNAL_ID = /sts:externalid/i;
const NAMES_MFA = /aws:multifactorauthpresent/i;

function orgPaths(snapshot: OrgSnapshot, accountId: string): { levels: string[]; path: string } | undefined {
  const org = snapshot.organization;
  const account = org?.accounts.find((a) => a.accountId === accountId);
  if (!org || !account) return undefined;
  const chain: string[] = [];
  let parent = account.parentId;
  const seen = new Set<string>();
  while (parent !== org.rootId && !seen.has(parent)) {
    seen.add(parent);
    chain.unshift(parent);
    const ou = org.organizationalUnits.find((o) => o.id === parent);
    if (!ou) throw new Error(`oracle: OU ${parent} of account ${accountId} is not in the organization`);
    parent = ou.parentId;
  }
  return { levels: [org.rootId, ...chain, accountId], path: `${org.organizationId}/${[org.rootId, ...chain].join('/')}/` };
}

function controlPolicies(snapshot: OrgSnapshot, accountId: string, type: 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY'): Simulation['serviceControlPolicies'] {
  const org = snapshot.organization;
  if (!org || accountId === org.managementAccountId) return [];
  const policies = org.policies.filter((p) => p.type === type);
  const paths = orgPaths(snapshot, accountId);
  if (policies.length === 0 || !paths) return [];
  return paths.levels.map((level) => ({
    orgIdentifier: level,
    policies: policies
      .filter((p) => p.targets.includes(level))
      .map((p) => ({ name: p.id, policy: decodeDocument(p.content) }))
      // RCPFullAWSAccess (the only Allow an RCP may hold) is implicit in iam-simulate, which refuses it when given.
      .filter((p) => type === 'SERVICE_CONTROL_POLICY' || !isFullAccessRcp(p.policy)),
  }));
}

const isFullAccessRcp = (policy: unknown): boolean =>
  JSON.stringify((policy as { Statement?: unknown }).Statement) === JSON.stringify([{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }]);

function principalPolicies(account: SnapshotAccount, p: { arn: string; inlinePolicies: readonly { id: string; document: unknown }[]; managedPolicyArns: readonly string[]; groups?: readonly string[] }) {
  const managed = (arn: string) => {
    const d = account.managedPolicies.get(arn);
    if (d === undefined) throw new Error(`oracle: managed policy ${arn} of ${p.arn} is not in account ${account.accountId}`);
    return { name: arn, policy: decodeDocument(d) };
  };
  const out = [...p.inlinePolicies.map((i) => ({ name: i.id, policy: decodeDocument(i.document) })), ...p.managedPolicyArns.map(managed)];
  for (const g of p.groups ?? []) {
    const group = account.groups.find((x) => x.name === g);
    if (!group) throw new Error(`oracle: group ${g} of ${p.arn} is not in account ${account.accountId}`);
    out.push(...group.inlinePolicies.map((i) => ({ name: i.id, policy: decodeDocument(i.document) })), ...group.managedPolicyArns.map(managed));
  }
  return out;
}

/** The callers of a snapshot: its users and roles, the outside account, anyone, and the service. */
export function callersOf(snapshot: OrgSnapshot): Caller[] {
  const callers: Caller[] = [];
  const org = snapshot.organization;
  for (const account of snapshot.accounts) {
    if (account.status !== 'read') continue;
    const paths = orgPaths(snapshot, account.accountId);
    const orgContext: Record<string, string | string[]> = paths && org ? { 'aws:PrincipalOrgID': org.organizationId, 'aws:PrincipalOrgPaths': [paths.path] } : {};
    const scps = controlPolicies(snapshot, account.accountId, 'SERVICE_CONTROL_POLICY');
    const boundaryOf = (arn?: string) => {
      if (!arn) return undefined;
      const d = account.managedPolicies.get(arn);
      if (d === undefined) throw new Error(`oracle: boundary ${arn} is not in account ${account.accountId}`);
      return [{ name: arn, policy: decodeDocument(d) }];
    };
    const context = (arn: string, tags: Readonly<Record<string, string>>) => ({
      'aws:PrincipalArn': arn,
      'aws:PrincipalAccount': account.accountId,
      'aws:PrincipalIsAWSService': 'false',
      ...orgContext,
      ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:PrincipalTag/${k}`, v])),
    });
    for (const role of account.roles) {
      callers.push({
        key: `role:${role.arn}`,
        kind: 'role',
        id: role.arn,
        accountId: account.accountId,
        tagsChosen: allowsTagSession(decodeDocument(role.trustPolicy)),
        candidates: [{ principal: `arn:aws:sts::${account.accountId}:assumed-role/${role.name}/oracle`, context: context(role.arn, role.tags) }],
        identityPolicies: principalPolicies(account, role),
        boundary: boundaryOf(role.permissionsBoundaryArn),
        scps,
      });
    }
    for (const user of account.users) {
      callers.push({
        key: `user:${user.arn}`,
        kind: 'user',
        id: user.arn,
        accountId: account.accountId,
        candidates: [{ principal: user.arn, context: context(user.arn, user.tags) }],
        identityPolicies: principalPolicies(account, user),
        boundary: boundaryOf(user.permissionsBoundaryArn),
        scps,
      });
    }
  }
  const allowAll = [{ name: 'unknown', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }];
  const outside = (accountId: string) =>
    // Two candidates: a user of no organization without tags, and a role named like dev-* tagged team=red in
    // another organization (the values the generator's conditions test).
    [
      ['user/outside', {}],
      ['role/dev-outside', { 'aws:PrincipalTag/team': 'red', 'aws:PrincipalOrgID': OTHER_ORG_ID, 'aws:PrincipalOrgPaths': [`${OTHER_ORG_ID}/r-bbbb/`] }],
    ].map(([name, extra]) => {
      const arn = `arn:aws:iam::${accountId}:${String(name)}`;
      return { principal: arn, context: { 'aws:PrincipalArn': arn, 'aws:PrincipalAccount': accountId, 'aws:PrincipalIsAWSService': 'false', ...(extra as object) } };
    });
  callers.push({ key: `account:${OUTSIDE_ACCOUNT}`, kind: 'account', id: OUTSIDE_ACCOUNT, accountId: OUTSIDE_ACCOUNT, candidates: outside(OUTSIDE_ACCOUNT), identityPolicies: allowAll, scps: [] });
  callers.push({ key: 'anyone', kind: 'anyone', id: '*', accountId: ANYONE_ACCOUNT, candidates: outside(ANYONE_ACCOUNT), identityPolicies: allowAll, scps: [] });
  callers.push({
    key: `service:${SERVICE}`,
    kind: 'service',
    id: SERVICE,
    candidates: [{ principal: SERVICE, context: { 'aws:PrincipalIsAWSService': 'true', 'aws:PrincipalServiceName': SERVICE } }],
    identityPolicies: [],
    scps: [],
  });
  return callers;
}

/**
 * The contexts varied for guards: none first (the `always` context), then every combination of the varied keys
 * that the hop's documents mention (a key no document names cannot change the answer).
 */
function guardContexts(externalId: boolean, mfa: boolean, tag: boolean): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const ext of externalId ? [undefined, ...EXTERNAL_IDS] : [undefined])
    for (const m of mfa ? [undefined, 'true', 'false'] : [undefined])
      for (const t of tag ? [undefined, 'red', 'blue'] : [undefined])
        out.push({ ...(ext ? { 'sts:ExternalId': ext } : {}), ...(m ? { 'aws:MultiFactorAuthPresent': m } : {}), ...(t ? { 'aws:PrincipalTag/team': t } : {}) });
  return out;
}

/** One simulation's answer, best first. */
const ONE = ['allowed', 'grey', 'wildcard-grey', 'denied'] as const;
type One = (typeof ONE)[number];
const better = (a: One, b: One): One => (ONE.indexOf(a) <= ONE.indexOf(b) ? a : b);
const ALLOW_ALL = { name: 'oracle-identity-allow', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };

/** Decides every (caller, role) hop of the snapshot. */
export async function decideHops(snapshot: OrgSnapshot): Promise<OracleResult> {
  const callers = callersOf(snapshot);
  const roles: { arn: string; accountId: string; trust: unknown; trustText: string; rcps: Simulation['resourceControlPolicies'] }[] = [];
  for (const account of snapshot.accounts)
    if (account.status === 'read')
      for (const role of account.roles) {
        const trust = decodeDocument(role.trustPolicy);
        roles.push({ arn: role.arn, accountId: account.accountId, trust, trustText: JSON.stringify(trust), rcps: controlPolicies(snapshot, account.accountId, 'RESOURCE_CONTROL_POLICY') });
      }
  let simulations = 0;
  const hops = new Map<string, Map<string, HopDecision>>();

  const run = async (caller: Caller, candidate: Caller['candidates'][number], role: (typeof roles)[number], guard: Record<string, string>, identityAllowed: boolean) => {
    const simulation: Simulation = {
      request: {
        principal: candidate.principal,
        action: 'sts:AssumeRole',
        resource: { resource: role.arn, accountId: role.accountId },
        contextVariables: { ...candidate.context, ...guard },
      },
      identityPolicies: identityAllowed ? [...caller.identityPolicies, ALLOW_ALL] : caller.identityPolicies,
      serviceControlPolicies: caller.scps,
      resourceControlPolicies: role.rcps,
      resourcePolicy: role.trust,
      ...(caller.boundary && !identityAllowed ? { permissionBoundaryPolicies: caller.boundary } : {}),
    };
    simulations++;
    const r = await runSimulation(simulation, {});
    if (r.resultType === 'error') throw new Error(`oracle: iam-simulate refused the request ${caller.key} -> ${role.arn}: ${JSON.stringify(r.errors)}`);
    if (r.resultType !== 'single') throw new Error(`oracle: iam-simulate answered ${r.resultType} for ${caller.key} -> ${role.arn}`);
    if (r.result.ignoredContextKeys?.length) throw new Error(`oracle: iam-simulate ignored context keys ${r.result.ignoredContextKeys.join(', ')}`);
    return r;
  };

  const simulate = async (caller: Caller, candidate: Caller['candidates'][number], role: (typeof roles)[number], guard: Record<string, string>): Promise<One> => {
    const sameAccount = caller.accountId === role.accountId && (caller.kind === 'role' || caller.kind === 'user');
    // A trust statement names this very caller (its role or user ARN, or its session ARN): the S2 grey zone.
    const names = (statement: unknown) => {
      const text = JSON.stringify(statement);
      return text.includes(`"${caller.id}"`) || text.includes(`"${candidate.principal}"`);
    };
    const named = sameAccount && names(role.trust);
    const r = await run(caller, candidate, role, guard, false);
    const a = r.result.analysis;
    const identityOk = a.identityAnalysis?.result === 'Allowed' && (a.permissionBoundaryAnalysis === undefined || a.permissionBoundaryAnalysis.result === 'Allowed');
    if (r.overallResult === 'Allowed') {
      const byName = () => (a.resourceAnalysis?.allowStatements ?? []).some((st) => names(st.statement.toJSON()));
      // iam-simulate lets a trust of {"AWS": "*"} match a service principal; IAM's documentation names services
      // only through "Service", and the engine routes `*` to `anyone`: either answer accepted.
      if (caller.kind === 'service') return byName() ? 'allowed' : 'wildcard-grey';
      if (!sameAccount || identityOk) return 'allowed';
      // Allowed on the trust alone: through a statement naming the caller (grey) or only through a wildcard.
      return byName() ? 'grey' : 'wildcard-grey';
    }
    // Denied. When the trust names the caller in its own account, ask whether only the identity side was missing:
    // the same request with an identity allow and no boundary (the caller's own Denies kept).
    if (named && !identityOk) {
      const again = await run(caller, candidate, role, guard, true);
      if (again.overallResult === 'Allowed' && (again.result.analysis.resourceAnalysis?.allowStatements ?? []).some((st) => names(st.statement.toJSON()))) return 'grey';
    }
    return 'denied';
  };

  for (const caller of callers) {
    const row = new Map<string, HopDecision>();
    const callerText = JSON.stringify([caller.identityPolicies, caller.boundary, caller.scps]);
    for (const role of roles) {
      const text = callerText + role.trustText + JSON.stringify(role.rcps);
      const contexts = guardContexts(NAMES_EXTERNAL_ID.test(text), NAMES_MFA.test(text), (caller.tagsChosen ?? false) && NAMES_TAG.test(text));
      const perCandidate: HopDecision[] = [];
      for (const candidate of caller.candidates) {
        const base = await simulate(caller, candidate, role, contexts[0]);
        let decision: HopDecision;
        if (base === 'allowed') decision = 'always';
        else {
          let best: One = base;
          for (const g of contexts.slice(1)) {
            best = better(best, await simulate(caller, candidate, role, g));
            if (best === 'allowed') break;
          }
          decision = best === 'allowed' ? 'conditional' : best === 'denied' ? 'never' : best;
        }
        perCandidate.push(decision);
      }
      const distinct = [...new Set(perCandidate)];
      const decision: HopDecision = distinct.length === 1 ? distinct[0] : distinct.every((d) => d === 'never') ? 'never' : 'either';
      if (decision !== 'never') row.set(role.arn, decision);
    }
    hops.set(caller.key, row);
  }
  return { callers, roles: roles.map((r) => r.arn), hops, trusts: new Map(roles.map((r) => [r.arn, r.trust])), simulations };
}

/** The caller node a role becomes once assumed. */
export const roleKey = (arn: string) => `role:${arn}`;

/**
 * Roles reachable from `start` within `maxHops` hops over the hops `use` accepts (breadth-first; a walk that
 * revisits a role is never shorter, so this is the set the engine's simple paths reach).
 */
export function closure(result: Pick<OracleResult, 'hops'>, start: string, maxHops: number, use: (d: HopDecision) => boolean): Set<string> {
  const dist = new Map<string, number>();
  let frontier = [start];
  for (let depth = 1; depth <= maxHops && frontier.length; depth++) {
    const next: string[] = [];
    for (const from of frontier)
      for (const [role, d] of result.hops.get(from) ?? [])
        if (use(d) && !dist.has(role)) {
          dist.set(role, depth);
          next.push(roleKey(role));
        }
    frontier = next;
  }
  return new Set(dist.keys());
}

/** Hops the engine must have. */
export const mustHave = (d: HopDecision) => d === 'always' || d === 'conditional' || d === 'grey' || d === 'either';
/** Hops the engine may have. */
export const mayHave = (d: HopDecision) => d !== 'never';
/** Hops the engine must report `always`. */
export const mustBeAlways = (d: HopDecision) => d === 'always';
/** Hops the engine may report `always`. */
export const mayBeAlways = (d: HopDecision) => d === 'always' || d === 'either';
