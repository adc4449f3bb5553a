import { ASSUME_ROLE, actionNames } from './actions';
import { statementBounds, type Bounds } from './bounds';
import { conditionLabel } from './conditions';
import { FindingSink, prepare, type Prepared } from './context';
import { collectFences, fencedFor, type Fenced } from './fences';
import type { NormalizedPrincipal, NormalizedStatement, PrincipalKind } from './model';
import { normalizePolicy } from './normalize';
import { classifyPrincipal, principalStanding } from './principals';
import { BROAD_RULES, type RuleId } from './rules';
// The rule files are imported directly (not through rules/index) so the hot path calls them without re-export indirection.
import { judgeTrustedRoot } from './rules/trust-account-root';
import { judgeAnyPrincipal } from './rules/trust-any-principal';
import { judgeExternalAccount } from './rules/trust-external-without-external-id';
import { judgeFederated } from './rules/trust-federation-unbounded';
import {
  judgePrincipalShape,
  reportAnalyzerFailure,
  reportDocumentProblems,
  reportPlaceholders,
  reportPrincipalTypeCase,
  reportStatementShape,
} from './rules/trust-malformed';
import { reportNotPrincipal } from './rules/trust-not-principal';
import { reportServiceWithoutSource } from './rules/trust-service-confused-deputy';
import { judgeTagSession } from './rules/trust-tag-session-broad';
import { judgeUntrustedAccount, reportForeignServiceAccount } from './rules/trust-untrusted-account';
import { judgeActions } from './rules/trust-wildcard-action';
import type { Finding, TrustGuardConfig } from './types';

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

const CANONICAL_TYPES = new Map(['AWS', 'Federated', 'Service', 'CanonicalUser'].map((t) => [t.toLowerCase(), t]));
/**
 * Judges one principal of an Allow statement: its standing (see `principalStanding`: broad, trusted,
 * external, untrusted account) or, for the others, its kind picks the rule that decides it. Returns true when the principal is broad (for the TagSession rule).
 */
function principalChecks(s: NormalizedStatement, pr: NormalizedPrincipal, b: Bounds, fenced: Fenced, p: Prepared, out: FindingSink, ctx: TrustPolicyContext | undefined): boolean {
  if (!judgePrincipalShape(s, pr, out)) return false;
  switch (principalStanding(pr, p)) {
    case 'broad':
      return judgeAnyPrincipal(s, pr, b, fenced, out);
    case 'trusted':
      if (pr.kind === 'account') judgeTrustedRoot(s, pr, pr.accountId ?? '', b, fenced, out);
      return false;
    case 'external':
      return judgeExternalAccount(s, pr, pr.accountId ?? '', b, fenced, p, out);
    case 'untrusted':
      return judgeUntrustedAccount(s, pr, pr.accountId ?? '', b, fenced, out);
    case 'other':
      break;
    default:
      return false;
  }
  switch (pr.kind) {
    case 'service': {
      if ((s.actionMask & ASSUME_ROLE) === 0 || b.service || fenced.service) return false;
      if (b.serviceForeign !== undefined) {
        reportForeignServiceAccount(s, pr, b.serviceForeign, out);
        return true;
      }
      reportServiceWithoutSource(s, pr, ctx?.serviceLinked === true, out);
      return false;
    }
    case 'web-identity':
    case 'saml':
      return judgeFederated(s, pr, out);
    default:
      return false;
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
  reportDocumentProblems(model, out);
  const statements = model.statements;
  // Deny fences first: they bound the Allows beside them, whatever their order.
  const fences = collectFences(model, p);
  for (let k = 0; k < statements.length; k++) {
    const s = statements[k];
    const stmtStart = out.findings.length;
    reportStatementShape(s, out);
    if (s.effect === 'Deny') continue;
    // A statement with an invalid Effect is judged as an Allow: the author meant to grant something.
    const b = statementBounds(s, p);
    if (b.placeholders !== undefined) reportPlaceholders(s, b.placeholders, out);
    judgeActions(s, out);
    if (s.notPrincipal) {
      const listed = reportNotPrincipal(s, out);
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
        reportPrincipalTypeCase(s, pr, canonical, out);
        pr = classifyPrincipal(canonical, pr.value);
      }
      // A principal listed twice is one principal: one finding, one edge.
      if (seen !== undefined) {
        if (seen.has(pr.ref)) continue;
        seen.add(pr.ref);
      } else if (k > 0 && listedBefore(principals, k)) continue;
      const start = out.findings.length;
      if (principalChecks(s, pr, b, fencedFor(s, pr, fences), p, out, ctx)) judgeTagSession(s, pr, out);
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
  reportAnalyzerFailure(e, out);
  return out.findings;
}
