import { ACCOUNT_ID } from './account-id';
import { arnAccount, hasWildcard, keyName, likeMatches, operatorWeakness } from './conditions';
import type { Prepared } from './context';
import type { BaseOperator, NormalizedCondition, NormalizedStatement } from './model';
import { quote } from './normalize';

/** Keys that say where or how a request is made, or what the caller chose to say about itself; not who it is. */
const NOT_IDENTITY = new Set([
  'aws:sourceip',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'sts:externalid',
  'aws:multifactorauthpresent',
  'aws:multifactorauthage',
  'aws:requestedregion',
  'aws:securetransport',
  'aws:currenttime',
  'aws:useragent',
  'aws:referer',
  // The role itself is the resource of a trust policy: these always name our own account.
  'aws:resourceaccount',
  'aws:resourceorgid',
  'aws:resourceorgpaths',
  // Set by the caller or by the caller's own account.
  'aws:principaltype',
  'sts:rolesessionname',
  'sts:sourceidentity',
]);
/** Tags on the caller are set by the caller's own account: any account can tag a role "team=platform". */
const CALLER_SET_PREFIXES = ['aws:principaltag/', 'aws:requesttag/'];

/**
 * Policy variables that name the role's own account or organization. The analyzer judges roles in our
 * accounts, so `aws:PrincipalAccount = ${aws:ResourceAccount}` means "callers of this very account".
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */
const OWN_ACCOUNT_VARIABLE = '${aws:resourceaccount}';
const OWN_ORG_VARIABLE = '${aws:resourceorgid}';
/** True when `v` is the policy variable `name` (lower-case) in any letter case; cheap for ordinary values. */
const isVariable = (v: string, name: string): boolean => v.length === name.length && v.charCodeAt(0) === 36 /* $ */ && v.toLowerCase() === name;

/** What a statement's conditions (ANDed) prove about the caller. */
export interface Bounds {
  /** The caller is one of our identities: our organization, trusted accounts, or trusted principal ARNs. */
  identity: boolean;
  /** Narrowed to named principal ARNs in trusted accounts (what makes trusting an account root acceptable). */
  arn: boolean;
  /** An exact sts:ExternalId is required. */
  externalId: boolean;
  /**
   * Values of a positive StringLike sts:ExternalId condition with wildcards (ORed), to compare with the
   * patterns a vendor declares (see {@link withinDeclaredPatterns}); undefined when there is none.
   */
  externalIdPatterns: readonly string[] | undefined;
  /** For service principals: an exact aws:SourceAccount/SourceArn/SourceOrgID of ours. */
  service: boolean;
  /** Accounts outside trustedAccounts and externalAccounts that aws:SourceAccount/aws:SourceArn name. */
  serviceForeign: string[] | undefined;
  /** Why a present identity-like condition did not bound the caller (a clause for messages). */
  note: string | undefined;
  /** Condition values with template placeholders left in. */
  placeholders: string[] | undefined;
  /** Present keys that do not identify the caller (for the note). */
  otherKeys: string[] | undefined;
}

/** The flags of {@link Bounds} that a Deny fence can supply. */
export type FenceFlag = 'identity' | 'arn' | 'externalId' | 'service';
export const FENCE_FLAGS: readonly FenceFlag[] = ['identity', 'arn', 'externalId', 'service'];

/** What a Deny fence guarantees, and about whom. */
export interface Fence {
  readonly flags: Readonly<Record<FenceFlag, boolean>>;
  /**
   * True when the fence lets AWS service principals through (`BoolIfExists aws:PrincipalIsAWSService
   * false`, the data-perimeter pattern): its flags then hold for AWS principals only.
   */
  readonly exceptServices: boolean;
}

const emptyBounds = (): Bounds => ({ identity: false, arn: false, externalId: false, externalIdPatterns: undefined, service: false, serviceForeign: undefined, note: undefined, placeholders: undefined, otherKeys: undefined });

const describe = (c: NormalizedCondition): string => `${c.operator} ${keyName(c.key)} ${quote(c.values.length === 1 ? c.values[0] : c.values)}`;

const PLACEHOLDER = /<[^>]*>|\{\{|\$\{(?!aws:|saml:|sts:|[*?$]\})/i;

/** Values compared case-insensitively by the operator are compared lower-cased here too. */
function comparable(c: NormalizedCondition, v: string): string {
  return c.baseOperator === 'StringEqualsIgnoreCase' ? v.toLowerCase() : v;
}

/**
 * Judges one positive-or-not condition and ORs what it proves into `b` (conditions are ANDed, so one
 * bound is enough). A condition narrows only when it is an identity bound with exact, trusted values:
 * positive operator, no IfExists, no ForAllValues, every value (values are ORed) trusted.
 */
function judge(c: NormalizedCondition, p: Prepared, b: Bounds): void {
  const values = c.values;
  switch (c.key) {
    case 'aws:principalorgid':
    case 'aws:principalorgpaths':
    case 'aws:principalaccount':
    case 'aws:principalarn': {
      const weak = operatorWeakness(c);
      if (weak !== undefined) {
        b.note ??= `The condition ${describe(c)} does not bound the caller: ${weak}`;
        return;
      }
      const bad = untrustedValue(c, p);
      if (bad === undefined) {
        b.identity = true;
        if (c.key === 'aws:principalarn' && values.every(namesPrincipals)) b.arn = true;
      } else {
        b.note ??= `The condition ${describe(c)} does not bound the caller: ${bad}`;
      }
      return;
    }
    case 'sts:externalid':
      // StringEquals, or StringEqualsIgnoreCase / StringLike without wildcards: an exact shared id.
      if (
        operatorWeakness(c) === undefined &&
        (c.baseOperator === 'StringEquals' || c.baseOperator === 'StringEqualsIgnoreCase' || c.baseOperator === 'StringLike') &&
        values.every((v) => v.length >= 2 && !hasWildcard(v))
      ) {
        b.externalId = true;
      } else if (operatorWeakness(c) === undefined && c.baseOperator === 'StringLike' && c.qualifier === undefined) {
        b.externalIdPatterns = b.externalIdPatterns === undefined ? values : b.externalIdPatterns.concat(values);
      }
      (b.otherKeys ??= []).push(c.key);
      return;
    case 'aws:sourceaccount':
      if (operatorWeakness(c) !== undefined || !values.every((v) => ACCOUNT_ID.test(v) || isVariable(v, OWN_ACCOUNT_VARIABLE))) return;
      if (serviceAccounts(values, p, b)) b.service = true;
      return;
    case 'aws:sourcearn': {
      if (operatorWeakness(c) !== undefined) return;
      const accounts: string[] = [];
      for (const v of values) {
        const account = arnAccount(v);
        // ARNs without an account field (S3 buckets) are exact only without wildcards.
        if (account === undefined || (account === '' && hasWildcard(v))) return;
        if (account !== '') {
          if (!ACCOUNT_ID.test(account) && !isVariable(account, OWN_ACCOUNT_VARIABLE)) return;
          accounts.push(account);
        }
      }
      if (serviceAccounts(accounts, p, b)) b.service = true;
      return;
    }
    case 'aws:sourceorgid':
      if (operatorWeakness(c) === undefined && p.org !== undefined && values.every((v) => comparable(c, v) === p.org || isVariable(v, OWN_ORG_VARIABLE))) b.service = true;
      return;
    case 'aws:sourceorgpaths':
      if (operatorWeakness(c) === undefined && p.org !== undefined && values.every((v) => v.startsWith(p.org + '/'))) b.service = true;
      return;
    default:
      if (NOT_IDENTITY.has(c.key) || CALLER_SET_PREFIXES.some((prefix) => c.key.startsWith(prefix))) (b.otherKeys ??= []).push(c.key);
  }
}

/**
 * True when every value of a StringLike sts:ExternalId condition lies within one of the patterns the
 * vendor declares: the same pattern, a literal value the pattern matches, or (for a declared
 * `<fixed part>*`) a pattern whose fixed part starts with that fixed part.
 */
export function withinDeclaredPatterns(values: readonly string[], declared: readonly string[]): boolean {
  if (values.length === 0) return false;
  return values.every((v) =>
    declared.some((d) => {
      if (v === d) return true;
      if (!hasWildcard(v)) return likeMatches(d, v);
      const fixed = d.slice(0, d.length - 1);
      return d.endsWith('*') && !hasWildcard(fixed) && v.startsWith(fixed);
    }),
  );
}

/** True when every account is trusted or declared external; records the others in `b.serviceForeign`. */
function serviceAccounts(accounts: readonly string[], p: Prepared, b: Bounds): boolean {
  let ok = true;
  for (const a of accounts) {
    if (p.trusted.has(a) || p.external.has(a) || isVariable(a, OWN_ACCOUNT_VARIABLE)) continue;
    ok = false;
    if (!(b.serviceForeign ??= []).includes(a)) b.serviceForeign.push(a);
  }
  return ok;
}

/**
 * Judges every condition of one statement in one pass. Conditions are ANDed, so one narrowing
 * condition narrows the statement.
 */
export function statementBounds(s: NormalizedStatement, p: Prepared): Bounds {
  const b = emptyBounds();
  const conds = s.conditions;
  for (let i = 0; i < conds.length; i++) {
    const c = conds[i];
    const values = c.values;
    for (let j = 0; j < values.length; j++) {
      if (PLACEHOLDER.test(values[j])) (b.placeholders ??= []).push(values[j]);
    }
    judge(c, p, b);
  }
  if (!b.identity && b.note === undefined && b.otherKeys !== undefined) {
    b.note = `A condition on ${[...new Set(b.otherKeys)].map(keyName).join(' and ')} does not identify the caller`;
  }
  return b;
}

/**
 * True when an `aws:PrincipalArn` value names principals inside its account rather than the whole
 * account: `role/deploy-*`, `role/ci/*`, `root`, but not `*`, `role/*` or `user/?*`. The analyzer
 * judges an account root narrowed with it; the components' builder judges each narrowing it is given.
 */
export function namesPrincipals(v: string): boolean {
  const m = /^arn:[^:]*:[^:]*:[^:]*:[^:]*:(.*)$/.exec(v);
  if (m === null) return false;
  const resource = m[1];
  if (resource === '' || hasWildcard(resource[0])) return false;
  const slash = resource.indexOf('/');
  return slash < 0 || (slash + 1 < resource.length && !hasWildcard(resource[slash + 1]));
}

/** Why a positive identity condition's values are not all ours, or undefined when they are. */
function untrustedValue(c: NormalizedCondition, p: Prepared): string | undefined {
  const org = p.org === undefined ? undefined : comparable(c, p.org);
  for (const raw of c.values) {
    const v = comparable(c, raw);
    switch (c.key) {
      case 'aws:principalorgid':
        if (isVariable(v, OWN_ORG_VARIABLE)) break;
        if (hasWildcard(v)) return `${quote(raw)} is a wildcard that matches other organizations`;
        if (v !== org) return org === undefined ? `no organizationId is configured to compare ${quote(raw)} with` : `${quote(raw)} is not our organization ${p.org}`;
        break;
      case 'aws:principalorgpaths':
        if (org === undefined || !v.startsWith(org + '/')) return `${quote(raw)} is not a path in our organization${p.org === undefined ? '' : ` ${p.org}`}`;
        break;
      case 'aws:principalaccount':
        if (isVariable(v, OWN_ACCOUNT_VARIABLE)) break;
        if (!p.trusted.has(v)) return hasWildcard(v) ? `${quote(raw)} is a wildcard` : `${quote(raw)} is not a trusted account`;
        break;
      default: {
        const account = arnAccount(v);
        if (account === undefined) return `${quote(raw)} is not an ARN`;
        if (!p.trusted.has(account) && !isVariable(account, OWN_ACCOUNT_VARIABLE)) {
          return hasWildcard(account) ? `${quote(raw)} has a wildcard account, and any account can create a principal with that name` : `${quote(raw)} is in account ${account}, which is not trusted`;
        }
      }
    }
  }
  return undefined;
}

/** The positive operator whose negation `op` is (StringNotEquals -> StringEquals), for the fence twins. */
const POSITIVE_OF: Partial<Record<BaseOperator, BaseOperator>> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
};

/**
 * What a Deny statement guarantees about every caller that gets past it, or undefined when it is not a
 * fence. A Deny whose conditions are all negated (`StringNotEquals aws:PrincipalOrgID <our org>`) denies
 * unless one of the positive twins holds, so the callers it lets through are those that satisfy some
 * twin: it supplies a flag only when every twin does (an extra ANDed condition, such as
 * `Bool aws:SecureTransport false`, lets everyone through whenever it is false, and so is not a twin).
 * A negated operator and its IfExists form both deny when the key is absent, so IfExists is fine here;
 * ForAnyValue/ForAllValues are not (ForAnyValue is false for an absent key, and the Deny would not apply).
 * `Bool(IfExists) aws:PrincipalIsAWSService false` is the one other condition allowed: its twin admits
 * only AWS services, so the fence still bounds AWS principals (AWS's data-perimeter trust policy).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * https://github.com/aws-samples/data-perimeter-policy-examples
 */
export function fenceBounds(s: NormalizedStatement, p: Prepared): Fence | undefined {
  if (s.effect !== 'Deny' || s.notPrincipal || s.conditions.length === 0) return undefined;
  const all: Record<FenceFlag, boolean> = { identity: true, arn: true, externalId: true, service: true };
  let exceptServices = false;
  let twins = 0;
  for (const c of s.conditions) {
    if (c.key === 'aws:principalisawsservice' && c.baseOperator === 'Bool' && c.qualifier === undefined && c.values.length > 0 && c.values.every((v) => v.toLowerCase() === 'false')) {
      exceptServices = true;
      continue;
    }
    twins++;
    const positive = c.baseOperator === undefined ? undefined : POSITIVE_OF[c.baseOperator];
    if (positive === undefined || c.qualifier !== undefined) return undefined;
    const twin: NormalizedCondition = { ...c, operator: positive, baseOperator: positive, negated: false, ifExists: false };
    const b = emptyBounds();
    judge(twin, p, b);
    let any = false;
    for (const flag of FENCE_FLAGS) {
      all[flag] &&= b[flag];
      any ||= all[flag];
    }
    if (!any) return undefined;
  }
  return twins === 0 ? undefined : { flags: all, exceptServices };
}
