import {
  ASSUME_ROLE,
  ASSUME_ROLE_WITH_SAML,
  ASSUME_ROLE_WITH_WEB_IDENTITY,
  SET_CONTEXT,
  ALL_TRUST_ACTIONS,
  SET_SOURCE_IDENTITY,
  TAG_SESSION,
  actionBits,
  actionNames,
} from './actions';
import { FENCE_FLAGS, fenceBounds, statementBounds, withinDeclaredPatterns, type Bounds, type FenceFlag } from './bounds';
import { conditionLabel, hasWildcard } from './conditions';
import { FindingSink, prepare, type Prepared } from './context';
import { federationProblem, providerLabel } from './federation';
import type { NormalizedPolicy, NormalizedPrincipal, NormalizedStatement, PrincipalKind } from './model';
import { normalizePolicy, quote } from './normalize';
import { classifyPrincipal, principalJson } from './principals';
import type { Finding, RuleId, TrustGuardConfig } from './types';

/** Optional facts about the role the trust policy belongs to. */
export interface TrustPolicyContext {
  /** The role is service-linked (path `/aws-service-role/`): a service principal there is informational only. */
  readonly serviceLinked?: boolean;
}

/** One edge of the trust graph: a principal that may assume the role through one statement. */
export interface TrustEdge {
  /** Principal reference (`AWS::arn:...`, `Federated::...`, `Service::...`, `*`). */
  readonly principal: string;
  readonly kind: PrincipalKind;
  readonly accountId?: string;
  readonly statementIndex: number;
  /** Trust actions granted, canonical spelling (`sts:AssumeRole`). */
  readonly actions: string[];
  /** Short human labels of the statement's conditions ("ExternalId", "MFA", "OrgID o-...", "sub repo:acme/infra:*"). */
  readonly conditions: string[];
  /** True when a broad-access rule fired for this edge (any principal, untrusted account, unbounded federation, ...). */
  readonly broad: boolean;
  readonly ruleIds: RuleId[];
}

/**
 * Services whose roles are only handed over with iam:PassRole (execution roles, instance profiles):
 * no other account can make the service act with them, so a missing SourceAccount is informational.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
const PASS_ROLE_ONLY = new Set([
  'ec2.amazonaws.com',
  'lambda.amazonaws.com',
  'edgelambda.amazonaws.com',
  'ecs-tasks.amazonaws.com',
  'eks.amazonaws.com',
  'eks-fargate-pods.amazonaws.com',
  'eks-pods.amazonaws.com',
  // EKS Pod Identity: the role reaches pods only through an association made with iam:PassRole.
  // https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html
  'pods.eks.amazonaws.com',
]);

/** Rules whose (non-informational) findings make an edge broad. */
const BROAD_RULES = new Set<RuleId>([
  'trust-any-principal',
  'trust-untrusted-account',
  'trust-external-without-external-id',
  'trust-not-principal',
  'trust-federation-unbounded',
  'trust-wildcard-action',
  'trust-tag-session-broad',
]);

const CANONICAL_TYPES = new Map(['AWS', 'Federated', 'Service', 'CanonicalUser'].map((t) => [t.toLowerCase(), t]));
const AWS_FITS = ASSUME_ROLE;
const MAIN_ACTIONS = ASSUME_ROLE | ASSUME_ROLE_WITH_WEB_IDENTITY | ASSUME_ROLE_WITH_SAML;
const TRUST_ACTION_LIST = 'sts:AssumeRole, sts:AssumeRoleWithWebIdentity, sts:AssumeRoleWithSAML, sts:TagSession, sts:SetSourceIdentity or sts:SetContext';

/** The action a principal assumes roles with; the bare `"Principal": "*"` may use any of them. */
function mainActionOf(pr: NormalizedPrincipal): number {
  if (pr.kind === 'web-identity') return ASSUME_ROLE_WITH_WEB_IDENTITY;
  if (pr.kind === 'saml') return ASSUME_ROLE_WITH_SAML;
  if (pr.type === '*') return MAIN_ACTIONS;
  return AWS_FITS;
}

const SESSION_ACTIONS = TAG_SESSION | SET_SOURCE_IDENTITY | SET_CONTEXT;

/** The trust actions through which `pr` can get in, so a Deny fence must cover all of them to bound it. */
function reachableActions(pr: NormalizedPrincipal): number {
  if (pr.type === '*') return ALL_TRUST_ACTIONS;
  return mainActionOf(pr) | SESSION_ACTIONS;
}

/**
 * Per flag, the trust actions that Deny fences cover: `all` from fences of `"Principal": "*"` (every
 * caller), `aws` from those and from fences of `{"AWS": "*"}` (AWS callers only, not services or
 * federated callers).
 */
interface Fences {
  readonly all: Record<FenceFlag, number>;
  readonly aws: Record<FenceFlag, number>;
}
type Fenced = Readonly<Record<FenceFlag, boolean>>;
const NOT_FENCED: Fenced = Object.freeze({ identity: false, arn: false, externalId: false, service: false });

function collectFences(model: NormalizedPolicy, p: Prepared): Fences | undefined {
  let fences: Fences | undefined;
  let unreadable: Set<number> | undefined;
  for (const s of model.statements) {
    // A miscased "deny" is not trusted to fence: the safe reading assumes it may not deny.
    if (s.effect !== 'Deny' || s.conditions.length === 0 || s.effectMiscased !== undefined) continue;
    const everyone = s.principals.some((pr) => pr.kind === 'any' && pr.type === '*');
    if (!everyone && !s.principals.some((pr) => pr.kind === 'any')) continue;
    // A condition IAM would refuse, or one the normaliser had to drop, leaves the fence unknown.
    unreadable ??= new Set(model.problems.filter((pr) => pr.field === 'Condition' && pr.statementIndex !== null).map((pr) => pr.statementIndex as number));
    if (unreadable.has(s.index)) continue;
    const fence = fenceBounds(s, p);
    if (fence === undefined) continue;
    fences ??= { all: { identity: 0, arn: 0, externalId: 0, service: 0 }, aws: { identity: 0, arn: 0, externalId: 0, service: 0 } };
    for (const flag of FENCE_FLAGS) {
      if (!fence.flags[flag]) continue;
      fences.aws[flag] |= s.actionMask;
      if (everyone && !fence.exceptServices) fences.all[flag] |= s.actionMask;
    }
  }
  return fences;
}

/** What the Deny fences guarantee about `pr`'s callers in Allow statement `s`. */
function fencedFor(s: NormalizedStatement, pr: NormalizedPrincipal, fences: Fences | undefined): Fenced {
  if (fences === undefined) return NOT_FENCED;
  const required = s.actionMask & reachableActions(pr);
  if (required === 0) return NOT_FENCED;
  const masks = pr.type === 'AWS' ? fences.aws : fences.all;
  return {
    identity: (required & ~masks.identity) === 0,
    arn: (required & ~masks.arn) === 0,
    externalId: (required & ~masks.externalId) === 0,
    service: (required & ~masks.service) === 0,
  };
}

function documentChecks(doc: NormalizedPolicy, out: FindingSink): void {
  if (!doc.parsed) {
    const why = doc.problems.length > 0 ? doc.problems[0].message : 'The input is not a policy document.';
    out.add('trust-malformed', 'Document', null, undefined, `The trust policy could not be validated: ${why} Pass the policy as a JSON object or a JSON string.`);
    return;
  }
  if (doc.versionPresent && doc.version !== undefined && doc.version !== '2012-10-17') {
    const v = doc.version;
    const msg = /[\u2010-\u2015\u2212]/.test(v)
      ? `Version ${quote(v)} contains typographic dashes (often copied from a web page); write "2012-10-17" with plain hyphens.`
      : `Version ${quote(v)} is not "2012-10-17"; use "2012-10-17", the only version that supports policy variables and that IAM's examples use.`;
    out.add('trust-malformed', 'Version', null, undefined, msg);
  }
  for (const pr of doc.problems) {
    const subject = pr.statementIndex === null ? pr.field : `Statement::${pr.statementIndex}::${pr.field}`;
    out.add('trust-malformed', subject, pr.statementIndex, undefined, pr.message);
  }
}

function statementShapeChecks(s: NormalizedStatement, out: FindingSink): void {
  const i = s.index;
  if (s.effect === undefined) {
    out.add('trust-malformed', `Statement::${i}::Effect`, i, undefined, `Statement ${i} has no valid Effect; write "Effect": "Allow" or "Effect": "Deny" (case-sensitive).`);
  } else if (s.effectMiscased !== undefined) {
    const canonical = s.effect;
    const how = canonical === 'Allow' ? 'its principals are judged as allowed' : 'it is not counted as a Deny that bounds the other statements';
    // Informational, under its own key: IAM accepts the spelling, so it must never block a deploy.
    out.add('trust-malformed', `Statement::${i}::EffectCase`, i, undefined, `Statement ${i} has "Effect": ${quote(s.effectMiscased)}. IAM's reference calls Effect case-sensitive, yet IAM accepts this spelling (AWS Control Tower Account Factory for Terraform deploys a role with "allow"); ${how}. Write "Effect": "${canonical}".`, true);
  }
  if (s.principalMissing) {
    out.add('trust-malformed', `Statement::${i}::Principal`, i, undefined, `Statement ${i} has no Principal; a trust policy must name who may assume the role, e.g. {"AWS": "arn:aws:iam::111111111111:role/deploy"}.`);
  }
  if (s.actionMissing) {
    out.add('trust-malformed', `Statement::${i}::Action`, i, undefined, `Statement ${i} has no Action; use "sts:AssumeRole" (or the federation action the principal needs).`);
  } else if (s.actions.length > 0 && s.actionMask === 0 && !s.notAction) {
    out.add('trust-malformed', `Statement::${i}::Action`, i, undefined, `Statement ${i} has actions ${quote(s.actions)} but a trust policy can only grant ${TRUST_ACTION_LIST}.`);
  }
  if (s.hasResource) {
    out.add('trust-malformed', `Statement::${i}::Resource`, i, undefined, `Statement ${i} has ${s.notResource ? 'NotResource' : 'Resource'} ${quote(s.resources)}, which IAM refuses in a trust policy (the role itself is the resource); remove it.`);
  }
  for (const f of s.unknownFields) {
    out.add('trust-malformed', `Statement::${i}::${f}`, i, undefined, `Statement ${i} has unknown field ${quote(f)}; allowed are Sid, Effect, Principal, NotPrincipal, Action, NotAction and Condition.`);
  }
}

function actionChecks(s: NormalizedStatement, out: FindingSink): void {
  const i = s.index;
  if (s.notAction) {
    if (s.actionMask === 0) {
      out.add('trust-malformed', `Statement::${i}::Action`, i, undefined, `Statement ${i} has NotAction ${quote(s.actions)}, which leaves no trust action to grant; use Action and list the actions the principal needs, usually "sts:AssumeRole".`);
      return;
    }
    out.add('trust-wildcard-action', 'Action::NotAction', i, undefined, `Statement ${i} allows NotAction ${quote(s.actions)}, which grants every other trust action (${actionNames(s.actionMask, true).join(', ')}). Use Action and list only the actions the principal needs, usually "sts:AssumeRole".`);
    return;
  }
  // Only an action that expands to every trust action is reported, and then the mask is full.
  if (s.actionMask !== ALL_TRUST_ACTIONS) return;
  const actions = s.actions;
  let seen: Set<string> | undefined;
  for (let k = 0; k < actions.length; k++) {
    const a = actions[k];
    // Judged by what the wildcard expands to: "s*", "st?:*" and "sts:*e*" grant every trust action just like "sts:*".
    if (!hasWildcard(a) || actionBits(a) !== ALL_TRUST_ACTIONS) continue;
    if ((seen ??= new Set()).has(a)) continue;
    seen.add(a);
    const which = a === '*' || a === 'sts:*' ? 'which' : 'which matches every STS trust action just as "sts:*" does, and so';
    out.add('trust-wildcard-action', `Action::${a}`, i, undefined, `Statement ${i} allows action ${quote(a)}, ${which} also grants sts:AssumeRoleWithWebIdentity, sts:AssumeRoleWithSAML, sts:TagSession and sts:SetSourceIdentity. List only the actions the principal needs, usually "sts:AssumeRole".`);
  }
}

/** Judges one principal of an Allow statement; returns true when it is broad (for the TagSession rule). */
function principalChecks(s: NormalizedStatement, pr: NormalizedPrincipal, b: Bounds, fenced: Fenced, p: Prepared, out: FindingSink, ctx: TrustPolicyContext | undefined): boolean {
  const i = s.index;
  const ref = pr.ref;
  const json = principalJson(pr);
  const kind = pr.kind;
  if (kind === 'invalid') {
    out.add('trust-malformed', `Principal::${ref}`, i, ref, `Statement ${i}: principal ${json} ${pr.problem ?? 'is not valid'}.`);
    return false;
  }
  if (kind === 'canonical-user') {
    out.add('trust-malformed', `Principal::${ref}`, i, ref, `Statement ${i}: principal ${json} is a CanonicalUser, which role trust policies do not accept; name an AWS account, role or service instead.`);
    return false;
  }
  const main = mainActionOf(pr);
  if ((s.actionMask & main) === 0 && (s.explicitMask & MAIN_ACTIONS) !== 0) {
    const fits = kind === 'web-identity' ? 'sts:AssumeRoleWithWebIdentity' : kind === 'saml' ? 'sts:AssumeRoleWithSAML' : 'sts:AssumeRole';
    out.add('trust-malformed', `Principal::${ref}`, i, ref, `Statement ${i}: principal ${json} cannot use actions ${quote(s.actions)}; it assumes roles with ${fits}.`);
  }
  const bounded = b.identity || fenced.identity;
  const note = b.note === undefined ? '' : ` ${b.note}.`;
  switch (kind) {
    case 'any': {
      if (bounded) return false;
      const who = pr.type === '*' ? 'anyone (any AWS account, and any federated or service caller)' : 'any AWS account';
      out.add('trust-any-principal', `Principal::${ref}`, i, ref, `Principal ${json} lets ${who} assume this role.${note} Name the role ARNs that need access, or bound it with aws:PrincipalOrgID.`);
      return true;
    }
    case 'account':
    case 'role':
    case 'user':
    case 'assumed-role':
    case 'federated-user': {
      if (pr.wildcard) {
        if (bounded) return false;
        out.add('trust-any-principal', `Principal::${ref}`, i, ref, `Principal ${json} has a wildcard, so it trusts every ${pr.accountId === undefined ? 'account' : 'principal'} that matches it (and IAM refuses wildcards in principal ARNs).${note} Name the exact role ARNs in trusted accounts, or bound it with aws:PrincipalOrgID.`);
        return true;
      }
      const account = pr.accountId ?? '';
      if (p.trusted.has(account)) {
        if (kind === 'account' && !b.arn && !fenced.arn) {
          out.add('trust-account-root', `Principal::${ref}`, i, ref, `Principal ${json} trusts the whole account ${account}: every user or role there that may call sts:AssumeRole gets in. Name the role ARNs that need access, or add "ArnLike": {"aws:PrincipalArn": "arn:aws:iam::${account}:role/<name>"}.`);
        }
        return false;
      }
      if (p.external.has(account)) {
        if (b.externalId || fenced.externalId) return false;
        const declared = p.externalIdPatterns.get(account);
        if (declared !== undefined && b.externalIdPatterns !== undefined && withinDeclaredPatterns(b.externalIdPatterns, declared)) return false;
        const name = p.external.get(account);
        const pattern =
          b.externalIdPatterns === undefined
            ? ''
            : ` The StringLike sts:ExternalId ${quote(b.externalIdPatterns)} is a pattern, and ${declared === undefined ? 'no ExternalId pattern is declared for this vendor' : `it is not within the patterns declared for this vendor ${quote(declared)}`} (declare one under externalAccounts[].externalIdPatterns only if the vendor documents that it fills in the fixed part itself).`;
        out.add('trust-external-without-external-id', `Principal::${ref}`, i, ref, `Principal ${json} is the external account ${account}${name === undefined ? '' : ` (${name})`}, trusted without an exact sts:ExternalId, so anyone who learns the role ARN can make that vendor assume it for them (confused deputy).${pattern} Add "StringEquals": {"sts:ExternalId": "<the unique id agreed with the vendor>"}.`);
        return true;
      }
      if (bounded) return false;
      out.add('trust-untrusted-account', `Principal::${ref}`, i, ref, `Principal ${json} is in account ${account}, which is neither a trusted account nor a declared external account.${note} Remove it, or add the account to trustedAccounts (or to externalAccounts with an sts:ExternalId).`);
      return true;
    }
    case 'service': {
      if ((s.actionMask & ASSUME_ROLE) === 0 || b.service || fenced.service) return false;
      if (b.serviceForeign !== undefined) {
        const accounts = b.serviceForeign.join(', ');
        out.add('trust-untrusted-account', `Principal::${ref}`, i, ref, `Service principal ${json} acts for account ${accounts} (named in aws:SourceAccount or aws:SourceArn), which is neither a trusted account nor a declared external account: resources there can make the service use this role. Name only your own accounts in aws:SourceAccount and aws:SourceArn, or add the account to trustedAccounts.`);
        return true;
      }
      const passRoleOnly = PASS_ROLE_ONLY.has(pr.name ?? '') || ctx?.serviceLinked === true;
      const why = passRoleOnly
        ? ' This service only receives the role through iam:PassRole (or the role is service-linked), so the risk is low.'
        : ' Another account can make the service act with this role (confused deputy).';
      out.add('trust-service-confused-deputy', `Principal::${ref}`, i, ref, `Service principal ${json} is trusted without an exact aws:SourceAccount or aws:SourceArn condition.${why} Add "StringEquals": {"aws:SourceAccount": "<your account id>"} or an exact "aws:SourceArn".`, passRoleOnly);
      return false;
    }
    case 'web-identity':
    case 'saml': {
      if ((s.actionMask & main) === 0) return false;
      if (pr.wildcard) {
        out.add('trust-federation-unbounded', `Principal::${ref}`, i, ref, `Federated principal ${json} has a wildcard, so it trusts every identity provider that matches it (and IAM refuses wildcards in principal ARNs). Name the exact provider ARN in this account.`);
        return true;
      }
      const problem = federationProblem(s, pr);
      if (problem === undefined) return false;
      out.add('trust-federation-unbounded', `Principal::${ref}`, i, ref, `Federated principal ${json} (${providerLabel(pr)}) is not bounded: ${problem.reason}. ${problem.fix}`, problem.informational);
      return !problem.informational;
    }
  }
}

/**
 * Runs every trust rule. When `edges` is given, also records one trust-graph edge per (Allow
 * statement, principal).
 */
function run(doc: unknown, config: TrustGuardConfig, ctx: TrustPolicyContext | undefined, edges: TrustEdge[] | undefined): Finding[] {
  const p = prepare(config);
  const out = new FindingSink(p);
  const model = normalizePolicy(doc);
  documentChecks(model, out);
  const statements = model.statements;
  // Deny fences first: they bound the Allows beside them, whatever their order.
  const fences = collectFences(model, p);
  for (let k = 0; k < statements.length; k++) {
    const s = statements[k];
    const stmtStart = out.findings.length;
    statementShapeChecks(s, out);
    if (s.effect === 'Deny') continue;
    // A statement with an invalid Effect is judged as an Allow: the author meant to grant something.
    const b = statementBounds(s, p);
    if (b.placeholders !== undefined) {
      out.add('trust-malformed', `Statement::${s.index}::Condition`, s.index, undefined, `Statement ${s.index}: condition values ${quote(b.placeholders)} still contain template placeholders; put the real values in.`);
    }
    actionChecks(s, out);
    if (s.notPrincipal) {
      const listed = s.principals.map((pr) => pr.ref).join(', ');
      out.add('trust-not-principal', `Statement::${s.index}`, s.index, undefined, `Statement ${s.index} uses NotPrincipal with Allow: everyone except ${listed || 'the listed principals'} may assume this role. Use Principal and name the role ARNs that need access.`);
      if (edges !== undefined) {
        const labels = s.conditions.map(conditionLabel);
        if (listed !== '') labels.push(`except ${listed}`);
        edges.push(edgeOf('*', 'any', undefined, s, labels, out.findings, stmtStart, out.findings.length));
      }
      continue;
    }
    const stmtEnd = out.findings.length;
    const labels = edges === undefined ? undefined : s.conditions.map(conditionLabel);
    const principals = s.principals;
    // Long principal lists (hostile input) must not make the duplicate check quadratic.
    const seen = principals.length > 16 ? new Set<string>() : undefined;
    for (let k = 0; k < principals.length; k++) {
      let pr = principals[k];
      // {"aws": "*"}: malformed, and judged as {"AWS": "*"} too, so that exempting the malformed finding cannot open the role.
      const canonical = pr.kind === 'invalid' ? CANONICAL_TYPES.get(pr.type.toLowerCase()) : undefined;
      if (canonical !== undefined && canonical !== pr.type) {
        out.add('trust-malformed', `Principal::${pr.ref}`, s.index, pr.ref, `Statement ${s.index}: principal ${principalJson(pr)} ${pr.problem ?? 'is not valid'}; principal types are case-sensitive, write "${canonical}".`);
        pr = classifyPrincipal(canonical, pr.value);
      }
      // A principal listed twice is one principal: one finding, one edge.
      if (seen !== undefined) {
        if (seen.has(pr.ref)) continue;
        seen.add(pr.ref);
      } else if (k > 0 && listedBefore(principals, k)) continue;
      const start = out.findings.length;
      const broad = principalChecks(s, pr, b, fencedFor(s, pr, fences), p, out, ctx);
      if (broad && (s.actionMask & TAG_SESSION) !== 0) {
        out.add('trust-tag-session-broad', `Principal::${pr.ref}`, s.index, pr.ref, `Statement ${s.index} grants sts:TagSession to the broad principal ${principalJson(pr)}: the caller can set session tags that later satisfy ABAC conditions such as aws:PrincipalTag. Narrow the principal first, or drop sts:TagSession.`);
      }
      if (edges !== undefined && labels !== undefined) {
        const e = edgeOf(pr.ref, pr.kind, pr.accountId, s, labels, out.findings, start, out.findings.length);
        // Statement-level findings (wildcard action, placeholders) belong to every edge of the statement.
        for (let f = stmtStart; f < stmtEnd; f++) addRule(e, out.findings[f]);
        edges.push(e);
      }
    }
  }
  return out.findings;
}

function listedBefore(principals: readonly NormalizedPrincipal[], k: number): boolean {
  const ref = principals[k].ref;
  for (let j = 0; j < k; j++) if (principals[j].ref === ref) return true;
  return false;
}

type MutableEdge = { -readonly [K in keyof TrustEdge]: TrustEdge[K] };

function addRule(e: MutableEdge, f: Finding): void {
  if (!e.ruleIds.includes(f.ruleId)) e.ruleIds.push(f.ruleId);
  if (f.severity !== 'informational' && BROAD_RULES.has(f.ruleId)) e.broad = true;
}

function edgeOf(principal: string, kind: PrincipalKind, accountId: string | undefined, s: NormalizedStatement, conditions: string[], findings: readonly Finding[], from: number, to: number): MutableEdge {
  const e: MutableEdge = {
    principal,
    kind,
    ...(accountId !== undefined && { accountId }),
    statementIndex: s.index,
    actions: actionNames(s.actionMask, true),
    conditions: conditions.slice(),
    broad: false,
    ruleIds: [],
  };
  for (let f = from; f < to; f++) addRule(e, findings[f]);
  return e;
}

/**
 * Judges a role trust policy (JSON string, object, or URL-encoded JSON) against the config. Returns one
 * finding per offending principal (or statement, or document problem) with the configured severity;
 * disabled rules are dropped. Never throws, on any input.
 */
export function analyzeTrustPolicy(doc: unknown, config: TrustGuardConfig, context?: TrustPolicyContext): Finding[] {
  try {
    return run(doc, config, context, undefined);
  } catch (e) {
    return internalError(e, config);
  }
}

/** The trust graph of one policy: one edge per (Allow statement, principal), with the rules that fired. */
export function trustEdges(doc: unknown, config: TrustGuardConfig, context?: TrustPolicyContext): TrustEdge[] {
  const edges: TrustEdge[] = [];
  try {
    run(doc, config, context, edges);
  } catch {
    return [];
  }
  return edges;
}

/** A bug in the analyzer must not pass a policy: it becomes a "could not be validated" finding. */
export function internalError(e: unknown, config: TrustGuardConfig): Finding[] {
  const out = new FindingSink(prepare(config));
  out.add('trust-malformed', 'Document', null, undefined, `The trust policy could not be validated: the analyzer failed (${e instanceof Error ? e.message : String(e)}). Report this with the policy that caused it.`);
  return out.findings;
}
