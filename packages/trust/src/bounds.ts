import { arnAccount, hasWildcard, operatorWeakness } from './conditions';
import { keyName, type Prepared } from './context';
import type { NormalizedCondition, NormalizedStatement } from './model';
import { quote } from './normalize';

const ACCOUNT_ID = /^\d{12}$/;
/** Keys that say where a request comes from, not who makes it. */
const NOT_IDENTITY = new Set(['aws:sourceip', 'aws:sourcevpc', 'aws:sourcevpce', 'sts:externalid', 'aws:multifactorauthpresent', 'aws:multifactorauthage', 'aws:requestedregion', 'aws:securetransport', 'aws:currenttime', 'aws:useragent', 'aws:referer']);

/** What a statement's conditions (ANDed) prove about the caller. */
export interface Bounds {
  /** The caller is one of our identities: our organization, trusted accounts, or trusted principal ARNs. */
  identity: boolean;
  /** Narrowed to principal ARNs in trusted accounts (what makes trusting an account root acceptable). */
  arn: boolean;
  /** An exact StringEquals sts:ExternalId is required. */
  externalId: boolean;
  /** For service principals: an exact aws:SourceAccount/SourceArn/SourceOrgID. */
  service: boolean;
  /** Why a present identity-like condition did not bound the caller (a clause for messages). */
  note: string | undefined;
  /** Condition values with template placeholders left in. */
  placeholders: string[] | undefined;
}

const describe = (c: NormalizedCondition): string => `${c.operator} ${keyName(c.key)} ${quote(c.values.length === 1 ? c.values[0] : c.values)}`;

const PLACEHOLDER = /<[^>]*>|\{\{|\$\{(?!aws:|saml:|sts:|[*?$]\})/i;

/**
 * Judges every condition of one statement in one pass. A condition narrows only when it is an identity
 * bound with exact, trusted values: positive operator, no IfExists, no ForAllValues, every value
 * (values are ORed) trusted. Conditions are ANDed, so one narrowing condition narrows the statement.
 */
export function statementBounds(s: NormalizedStatement, p: Prepared): Bounds {
  const b: Bounds = { identity: false, arn: false, externalId: false, service: false, note: undefined, placeholders: undefined };
  const conds = s.conditions;
  let otherKeys: string[] | undefined;
  for (let i = 0; i < conds.length; i++) {
    const c = conds[i];
    const values = c.values;
    for (let j = 0; j < values.length; j++) {
      if (PLACEHOLDER.test(values[j])) (b.placeholders ??= []).push(values[j]);
    }
    switch (c.key) {
      case 'aws:principalorgid':
      case 'aws:principalorgpaths':
      case 'aws:principalaccount':
      case 'aws:principalarn': {
        const weak = operatorWeakness(c);
        if (weak !== undefined) {
          b.note ??= `The condition ${describe(c)} does not bound the caller: ${weak}`;
          break;
        }
        const bad = untrustedValue(c, p);
        if (bad === undefined) {
          b.identity = true;
          if (c.key === 'aws:principalarn') b.arn = true;
        } else {
          b.note ??= `The condition ${describe(c)} does not bound the caller: ${bad}`;
        }
        break;
      }
      case 'sts:externalid':
        if (
          c.baseOperator === 'StringEquals' &&
          !c.ifExists &&
          c.qualifier === undefined &&
          values.length > 0 &&
          values.every((v) => v.length >= 2 && !hasWildcard(v))
        ) {
          b.externalId = true;
        }
        (otherKeys ??= []).push(c.key);
        break;
      case 'aws:sourceaccount':
        if (operatorWeakness(c) === undefined && values.every((v) => ACCOUNT_ID.test(v))) b.service = true;
        break;
      case 'aws:sourcearn':
        if (operatorWeakness(c) === undefined && values.every((v) => !hasWildcard(v) || ACCOUNT_ID.test(arnAccount(v) ?? ''))) b.service = true;
        break;
      case 'aws:sourceorgid':
        if (operatorWeakness(c) === undefined && p.org !== undefined && values.every((v) => v === p.org)) b.service = true;
        break;
      case 'aws:sourceorgpaths':
        if (operatorWeakness(c) === undefined && p.org !== undefined && values.every((v) => v.startsWith(p.org + '/'))) b.service = true;
        break;
      default:
        if (NOT_IDENTITY.has(c.key)) (otherKeys ??= []).push(c.key);
    }
  }
  if (!b.identity && b.note === undefined && otherKeys !== undefined) {
    b.note = `A condition on ${otherKeys.map(keyName).join(' and ')} does not identify the caller`;
  }
  return b;
}

/** Why a positive identity condition's values are not all ours, or undefined when they are. */
function untrustedValue(c: NormalizedCondition, p: Prepared): string | undefined {
  for (const v of c.values) {
    switch (c.key) {
      case 'aws:principalorgid':
        if (hasWildcard(v)) return `${quote(v)} is a wildcard that matches other organizations`;
        if (v !== p.org) return p.org === undefined ? `no organizationId is configured to compare ${quote(v)} with` : `${quote(v)} is not our organization ${p.org}`;
        break;
      case 'aws:principalorgpaths':
        if (p.org === undefined || !v.startsWith(p.org + '/')) return `${quote(v)} is not a path in our organization${p.org === undefined ? '' : ` ${p.org}`}`;
        break;
      case 'aws:principalaccount':
        if (!p.trusted.has(v)) return hasWildcard(v) ? `${quote(v)} is a wildcard` : `${quote(v)} is not a trusted account`;
        break;
      default: {
        const account = arnAccount(v);
        if (account === undefined) return `${quote(v)} is not an ARN`;
        if (!p.trusted.has(account)) {
          return hasWildcard(account) ? `${quote(v)} has a wildcard account, and any account can create a principal with that name` : `${quote(v)} is in account ${account}, which is not trusted`;
        }
      }
    }
  }
  return undefined;
}

/**
 * True when `s` is a Deny for every principal that applies unless the caller is in our organization
 * (or our trusted accounts): `StringNotEquals aws:PrincipalOrgID <our org>`. Such a statement bounds the
 * Allows beside it. Every condition must be such an exclusion: an extra ANDed condition would let
 * outsiders through whenever it is false.
 */
export function isOrganizationFence(s: NormalizedStatement, p: Prepared): boolean {
  if (s.effect !== 'Deny' || s.notPrincipal || s.conditions.length === 0) return false;
  if (!s.principals.some((pr) => pr.kind === 'any')) return false;
  for (const c of s.conditions) {
    if (!c.negated || c.qualifier !== undefined || c.values.length === 0) return false;
    if (c.baseOperator !== 'StringNotEquals' && c.baseOperator !== 'StringNotEqualsIgnoreCase') return false;
    if (c.key === 'aws:principalorgid') {
      if (p.org === undefined || !c.values.every((v) => v === p.org)) return false;
    } else if (c.key === 'aws:principalaccount') {
      if (!c.values.every((v) => p.trusted.has(v))) return false;
    } else return false;
  }
  return true;
}
