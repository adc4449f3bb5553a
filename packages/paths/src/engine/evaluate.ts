import { likeMatches, type NormalizedCondition, type NormalizedPolicy, type NormalizedPrincipal, type NormalizedStatement } from '@trustline/trust';
import type { PathGuard } from '../types';
import { conditionGuard, denyGuard, evalCondition, substitute, type Facts, type GuardDraft } from './facts';

/** One normalised document and the name a reader knows it by (managed policy ARN, inline id, SCP id). */
export interface DocRef {
  readonly id: string;
  readonly doc: NormalizedPolicy;
}

/** The caller as a trust policy's Principal element sees it. */
export interface CallerIdentity {
  /** Role or user ARN; undefined for accounts, services, providers and anyone. */
  readonly arn?: string;
  /** `role`, `user`, `account`, `service`, `federated`, `anyone`. */
  readonly kind: string;
  readonly accountId?: string;
  /** Role name (for assumed-role session principals). */
  readonly name?: string;
  /** Service principal or provider, as written. */
  readonly id?: string;
}

/** What one policy set says about one request. */
export interface SetVerdict {
  /** An Allow statement matches (perhaps under guards). */
  readonly allowed: boolean;
  /** Guards of the Allow picked (the one with fewest symbolic conditions). */
  readonly allowGuards: readonly GuardDraft[];
  /** `<policy id> statement <Sid|index>` of that Allow. */
  readonly allowReason: string | undefined;
  /** An explicit Deny matches with every condition fixed and true. */
  readonly denied: boolean;
  /** Denies whose conditions are symbolic: each must not hold. */
  readonly denyGuards: readonly GuardDraft[];
}

const ARN_PARTS = 6;

/** ArnLike matching, segment by segment (a wildcard does not cross a colon before the resource part). */
export function arnMatches(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  const p = splitArn(pattern);
  const a = splitArn(arn);
  if (p === undefined || a === undefined) return likeMatches(pattern, arn);
  for (let i = 0; i < ARN_PARTS; i++) if (!likeMatches(p[i], a[i])) return false;
  return true;
}

function splitArn(s: string): string[] | undefined {
  const out: string[] = [];
  let from = 0;
  for (let i = 0; i < ARN_PARTS - 1; i++) {
    const c = s.indexOf(':', from);
    if (c < 0) return undefined;
    out.push(s.slice(from, c));
    from = c + 1;
  }
  out.push(s.slice(from));
  return out;
}

/** Whether the statement's Resource/NotResource covers `arn` (policy variables replaced from `facts`; an unknown one matches anything). */
export function resourceMatches(s: NormalizedStatement, arn: string, facts: Facts): boolean {
  if (!s.hasResource) return true;
  let hit = false;
  for (const raw of s.resources) {
    const r = substitute(raw, facts) ?? raw.replace(/\$\{[^}]*\}/g, '*');
    if (arnMatches(r, arn)) {
      hit = true;
      break;
    }
  }
  return s.notResource ? !hit : hit;
}

/** Whether a Principal value names the caller. */
export function principalNames(pr: NormalizedPrincipal, caller: CallerIdentity): boolean {
  switch (pr.kind) {
    case 'any':
      return true;
    case 'account':
      if (pr.wildcard) return caller.arn !== undefined ? likeMatches(pr.value, caller.arn) || likeMatches(pr.value, `arn:aws:iam::${caller.accountId ?? ''}:root`) : caller.kind === 'anyone';
      return caller.accountId !== undefined && caller.accountId === pr.accountId && (caller.kind === 'role' || caller.kind === 'user' || caller.kind === 'account');
    case 'role':
    case 'user':
      if (pr.wildcard) return caller.arn !== undefined && likeMatches(pr.value, caller.arn);
      return caller.arn === pr.value;
    case 'assumed-role':
      return caller.kind === 'role' && caller.accountId === pr.accountId && caller.name === pr.name;
    case 'service':
      return caller.kind === 'service' && caller.id === pr.value;
    case 'web-identity':
    case 'saml':
      return caller.kind === 'federated' && caller.id === pr.value;
    default:
      return false;
  }
}

/** Whether the statement's Principal/NotPrincipal applies to the caller (identity policies have none: always). */
export function statementNames(s: NormalizedStatement, caller: CallerIdentity): boolean {
  if (s.principalMissing) return true;
  const named = s.principals.some((p) => principalNames(p, caller));
  return s.notPrincipal ? !named : named;
}

/** Symbolic conditions of a statement, or `false` when one is fixed and false. */
export function residue(conds: readonly NormalizedCondition[], facts: Facts): NormalizedCondition[] | false {
  const out: NormalizedCondition[] = [];
  for (const c of conds) {
    const v = evalCondition(c, facts);
    if (v === false) return false;
    if (v === undefined) out.push(c);
  }
  return out;
}

/**
 * A request to judge. A Deny with NotPrincipal "will always deny any IAM principal that has a permissions
 * boundary policy attached, regardless of the values specified in the NotPrincipal element" (IAM User Guide,
 * reference_policies_elements_notprincipal: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html):
 * {@link Request.callerHasBoundary} makes such a Deny apply to the caller even when it is listed.
 */
export interface Request {
  /** Trust action bit (`ASSUME_ROLE`, ...). */
  readonly action: number;
  /** The role assumed. */
  readonly resource: string;
  readonly facts: Facts;
  /** For resource policies (trust, RCP): the caller, to match Principal. */
  readonly caller?: CallerIdentity;
  /** Identity policies and SCPs name the resource; a trust policy is the resource's own. */
  readonly checkResource: boolean;
  /** The caller has a permissions boundary: a Deny with NotPrincipal applies to it whatever it lists. */
  readonly callerHasBoundary?: boolean;
}

const NO_CONDITIONS: NormalizedCondition[] = [];
const NO_GUARDS: GuardDraft[] = [];

export const stmtName = (s: NormalizedStatement): string => (s.sid !== undefined && s.sid !== '' ? s.sid : `#${s.index}`);

/**
 * Evaluates a set of policies (identity policies of a principal, a boundary, one SCP level, one RCP
 * level, a trust policy) for one request, three-valued: an Allow that may hold (with its guards), a Deny
 * that surely holds, and the Denies that hold only under symbolic conditions (kept as negated guards).
 */
export function evaluateSet(docs: readonly DocRef[], req: Request, source: PathGuard['source'], what: string): SetVerdict {
  let allowed = false;
  let allowGuards: GuardDraft[] = [];
  let allowReason: string | undefined;
  let denied = false;
  const denyGuards: GuardDraft[] = [];
  for (const d of docs) {
    for (const s of d.doc.statements) {
      if (s.effect === undefined || (s.actionMask & req.action) === 0) continue;
      if (req.checkResource && !resourceMatches(s, req.resource, req.facts)) continue;
      if (req.caller !== undefined && !s.principalMissing && !statementNames(s, req.caller) && !(s.effect === 'Deny' && s.notPrincipal && req.callerHasBoundary === true)) continue;
      const rest = s.conditions.length === 0 ? NO_CONDITIONS : residue(s.conditions, req.facts);
      if (rest === false) continue;
      if (s.effect === 'Deny') {
        if (rest.length === 0) denied = true;
        else denyGuards.push(denyGuard(rest, source, `${what} ${d.id} statement ${stmtName(s)}`));
      } else if (!allowed || rest.length < allowGuards.length) {
        allowed = true;
        const where = `${what} ${d.id} statement ${stmtName(s)}`;
        allowGuards = rest.length === 0 ? NO_GUARDS : rest.map((c) => conditionGuard(c, source, where));
        allowReason = `${d.id} statement ${stmtName(s)}`;
      }
    }
  }
  return { allowed, allowGuards, allowReason, denied, denyGuards };
}
