import { arnAccount, keyName, likeMatches, type NormalizedCondition } from '@trustline/trust';
import type { PathGuard } from '../types';

/**
 * Three-valued condition evaluation. A request's keys are either fixed by where the caller comes from
 * (its ARN, account, organization, OU path, tags) or by the target (its account, tags), and then
 * known here, or chosen by the caller / set by the environment (ExternalId, SourceIdentity, request
 * tags, MFA, source IP, time), and then unknown: a condition on an unknown key is kept as a guard.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */

/** What is known about one side of a request. `undefined` from {@link Facts.get}: unknown (symbolic). `[]`: absent. */
export interface Facts {
  get(key: string): readonly string[] | undefined;
  /** Values an unknown key is known not to take (an outside account's organization id is not ours). */
  excluded(key: string): readonly string[] | undefined;
  /** The account that an unknown aws:PrincipalArn belongs to, when only the account is known. */
  readonly principalAccount: string | undefined;
}

const NONE: readonly string[] = [];
const NO_MAP: ReadonlyMap<string, never> = new Map<string, never>();

/** Facts from a fixed key map and tag maps (`aws:principaltag/` and `aws:resourcetag/` prefixes). */
export class KeyFacts implements Facts {
  constructor(
    private readonly keys: ReadonlyMap<string, readonly string[]>,
    /** Prefix (lower-case, ending in `/`) -> tags (lower-case keys): every tag known, an absent tag is absent. */
    private readonly tags: ReadonlyMap<string, ReadonlyMap<string, string>> = NO_MAP,
    private readonly excludedKeys: ReadonlyMap<string, readonly string[]> = NO_MAP,
    readonly principalAccount: string | undefined = undefined,
  ) {}

  get(key: string): readonly string[] | undefined {
    const v = this.keys.get(key);
    if (v !== undefined) return v;
    const slash = key.indexOf('/');
    if (slash > 0) {
      const tags = this.tags.get(key.slice(0, slash + 1));
      if (tags !== undefined) {
        const t = tags.get(key.slice(slash + 1));
        return t === undefined ? NONE : [t];
      }
    }
    return undefined;
  }

  excluded(key: string): readonly string[] | undefined {
    return this.excludedKeys.get(key);
  }
}

/** Caller facts first, then the target's (resource keys). */
export class LayeredFacts implements Facts {
  constructor(
    private readonly caller: Facts,
    private readonly target: Facts,
  ) {}
  get(key: string): readonly string[] | undefined {
    return this.caller.get(key) ?? this.target.get(key);
  }
  excluded(key: string): readonly string[] | undefined {
    return this.caller.excluded(key) ?? this.target.excluded(key);
  }
  get principalAccount(): string | undefined {
    return this.caller.principalAccount;
  }
}

export const NO_FACTS: Facts = new KeyFacts(new Map());

const VARIABLE = /\$\{([^}]*)\}/g;

/**
 * Replaces policy variables (`${aws:username}`, `${aws:PrincipalTag/team}`) with their known values.
 * Undefined when a variable is unknown or multi-valued. `${*}`, `${?}`, `${$}` are the escapes IAM defines.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */
export function substitute(value: string, facts: Facts): string | undefined {
  if (!value.includes('${')) return value;
  let unknown = false;
  const out = value.replace(VARIABLE, (whole, name: string) => {
    if (name === '*' || name === '?' || name === '$') return name;
    const v = facts.get(name.toLowerCase());
    if (v === undefined || v.length !== 1) {
      unknown = true;
      return whole;
    }
    return v[0];
  });
  return unknown ? undefined : out;
}

function matchOne(c: NormalizedCondition, pattern: string, value: string): boolean | undefined {
  switch (c.baseOperator) {
    case 'StringEquals':
    case 'StringNotEquals':
      return pattern === value;
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      return pattern.toLowerCase() === value.toLowerCase();
    case 'StringLike':
    case 'StringNotLike':
    case 'ArnEquals':
    case 'ArnNotEquals':
    case 'ArnLike':
    case 'ArnNotLike':
      return likeMatches(pattern, value);
    case 'Bool':
      return pattern.toLowerCase() === value.toLowerCase();
    case 'NumericEquals':
    case 'NumericNotEquals':
    case 'NumericLessThan':
    case 'NumericLessThanEquals':
    case 'NumericGreaterThan':
    case 'NumericGreaterThanEquals': {
      const a = Number(value);
      const b = Number(pattern);
      if (Number.isNaN(a) || Number.isNaN(b)) return undefined;
      switch (c.baseOperator) {
        case 'NumericLessThan':
          return a < b;
        case 'NumericLessThanEquals':
          return a <= b;
        case 'NumericGreaterThan':
          return a > b;
        case 'NumericGreaterThanEquals':
          return a >= b;
        default:
          return a === b;
      }
    }
    default:
      // Dates, IP ranges and binary values are never fixed by the caller's origin: kept symbolic.
      return undefined;
  }
}

/**
 * true / false when the condition's outcome is fixed by the facts; undefined when it depends on a key
 * the caller chooses or the environment sets (then it is a guard). IfExists, Null, ForAllValues and
 * ForAnyValue follow IAM: a negated operator or IfExists holds for an absent key, ForAllValues holds for
 * an absent key, ForAnyValue does not.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html
 */
export function evalCondition(c: NormalizedCondition, facts: Facts): boolean | undefined {
  if (c.baseOperator === undefined) return undefined;
  const request = facts.get(c.key);
  if (request === undefined) return evalUnknown(c, facts);
  if (c.baseOperator === 'Null') {
    const absent = request.length === 0;
    return c.values.some((v) => (v.toLowerCase() === 'true') === absent);
  }
  if (request.length === 0) {
    if (c.ifExists || c.qualifier === 'ForAllValues') return true;
    if (c.qualifier === 'ForAnyValue') return false;
    return c.negated;
  }
  const patterns: string[] = [];
  for (const raw of c.values) {
    const v = substitute(raw, facts);
    if (v === undefined) return undefined;
    patterns.push(v);
  }
  const satisfies = (value: string): boolean | undefined => {
    let any = false;
    for (const p of patterns) {
      const m = matchOne(c, p, value);
      if (m === undefined) return undefined;
      if (m) {
        any = true;
        break;
      }
    }
    return c.negated ? !any : any;
  };
  if (c.qualifier === 'ForAllValues') {
    for (const v of request) {
      const s = satisfies(v);
      if (s !== true) return s;
    }
    return true;
  }
  // ForAnyValue, or a single-valued key (a multi-valued one without a qualifier matches on any value).
  let unknown = false;
  for (const v of request) {
    const s = satisfies(v);
    if (s === true) return true;
    if (s === undefined) unknown = true;
  }
  return unknown ? undefined : false;
}

const POSITIVE = new Set(['StringEquals', 'StringEqualsIgnoreCase', 'StringLike', 'ArnEquals', 'ArnLike']);

/** An unknown key can still be decided when every value it must equal is one it is known not to take. */
function evalUnknown(c: NormalizedCondition, facts: Facts): boolean | undefined {
  if (c.key === 'aws:principalorgpaths' && c.baseOperator !== undefined && namesOnlyExcludedOrgs(c, facts)) {
    // The caller's paths, if any, are none of these: a negated operator holds (absent key too), unless
    // ForAnyValue needs a value to be present; a positive one never holds when it needs a present key.
    if (c.negated) return c.qualifier === 'ForAnyValue' ? undefined : true;
    if (POSITIVE.has(c.baseOperator) && !c.ifExists && c.qualifier !== 'ForAllValues') return false;
  }
  if (c.baseOperator === undefined || c.qualifier !== undefined) return undefined;
  const excluded = facts.excluded(c.key);
  const allExcluded = excluded !== undefined && c.values.every((v) => !/[*?$]/.test(v) && excluded.includes(v));
  // The value, if present, is none of the listed ones: a negated operator holds (it holds for an absent key too).
  if (allExcluded && c.negated) return true;
  if (!POSITIVE.has(c.baseOperator) || c.ifExists) return undefined;
  if (allExcluded) return false;
  if (c.key === 'aws:principalarn' && facts.principalAccount !== undefined) {
    // Only the caller's account is known: an ARN pattern in another (concrete) account can never match.
    const own = facts.principalAccount;
    if (c.values.every((v) => {
      const a = arnAccount(v);
      return a !== undefined && !/[*?$]/.test(a) && a !== own;
    })) return false;
  }
  return undefined;
}

/**
 * aws:PrincipalOrgPaths of a caller whose organization id is known not to be ours: every path it may have
 * starts with its own organization id, so patterns that all start with a literal excluded id followed by
 * `/` match none of its paths.
 */
function namesOnlyExcludedOrgs(c: NormalizedCondition, facts: Facts): boolean {
  const ids = facts.excluded('aws:principalorgid');
  if (ids === undefined || ids.length === 0) return false;
  const ignoreCase = c.baseOperator === 'StringEqualsIgnoreCase';
  return c.values.every((v) => {
    const slash = v.indexOf('/');
    const id = slash > 0 ? v.slice(0, slash) : undefined;
    return id !== undefined && !/[*?$]/.test(id) && ids.some((x) => (ignoreCase ? x.toLowerCase() === id.toLowerCase() : x === id));
  });
}

/** A guard before its hop is known. */
export type GuardDraft = Omit<PathGuard, 'hop'>;

const show = (values: readonly string[]): string => (values.length === 1 ? JSON.stringify(values[0]) : JSON.stringify(values));

/** The condition a guard stands for: one that must hold (an Allow's), or one that must not (a one-condition Deny's). */
const GUARD_CONDITION = new WeakMap<GuardDraft, { readonly c: NormalizedCondition; readonly holds: boolean }>();

/** The guard for a symbolic condition of an Allow: it must hold. */
export function conditionGuard(c: NormalizedCondition, source: PathGuard['source'], where: string): GuardDraft {
  const g: GuardDraft = { source, key: c.key, operator: c.operator, values: c.values, text: `${keyName(c.key)} ${c.operator} ${show(c.values)} (${where})` };
  GUARD_CONDITION.set(g, { c, holds: true });
  return g;
}

/** The guard for a Deny whose conditions are symbolic: they must not all hold. */
export function denyGuard(conds: readonly NormalizedCondition[], source: PathGuard['source'], where: string): GuardDraft {
  const parts = conds.map((c) => `${keyName(c.key)} ${c.operator} ${show(c.values)}`);
  const g: GuardDraft = {
    source,
    key: conds[0].key,
    operator: `Not(${conds.map((c) => c.operator).join(' and ')})`,
    values: conds.flatMap((c) => c.values),
    text: `not (${parts.join(' and ')}) (Deny in ${where})`,
  };
  if (conds.length === 1) GUARD_CONDITION.set(g, { c: conds[0], holds: false });
  return g;
}

/** Keys that may carry several values in one request: a plain operator on them is not a test of one value. */
const MULTI_VALUED = new Set(['aws:tagkeys', 'aws:calledvia', 'aws:principalorgpaths', 'aws:resourceorgpaths', 'aws:principalservicenameslist', 'sts:transitivetagkeys']);
const SINGLE_VALUE_OPERATORS = new Set(['Bool', 'StringEquals', 'StringNotEquals']);

/**
 * Whether the guards of one hop (one request) cannot all be met: for each single-valued key tested with
 * Bool, StringEquals or StringNotEquals (no qualifier, no policy variable), no state of the key (absent,
 * one of the values named, or any other value) meets every condition that must hold and none that must
 * not. E.g. a trust requiring `Bool aws:MultiFactorAuthPresent true` and a caller Deny on the same test.
 */
export function guardsContradict(guards: readonly GuardDraft[]): boolean {
  const byKey = new Map<string, { readonly c: NormalizedCondition; readonly holds: boolean }[]>();
  for (const g of guards) {
    const t = GUARD_CONDITION.get(g);
    if (t === undefined) continue;
    const { c } = t;
    if (c.baseOperator === undefined || !SINGLE_VALUE_OPERATORS.has(c.baseOperator) || c.qualifier !== undefined) continue;
    if (MULTI_VALUED.has(c.key) || c.key.endsWith(':amr') || c.values.some((v) => v.includes('${'))) continue;
    const list = byKey.get(c.key);
    if (list === undefined) byKey.set(c.key, [t]);
    else list.push(t);
  }
  for (const tests of byKey.values()) {
    if (tests.length < 2) continue;
    const bool = tests.some((t) => t.c.baseOperator === 'Bool');
    if (bool && tests.some((t) => t.c.baseOperator !== 'Bool')) continue;
    const norm = (v: string): string => (bool ? v.toLowerCase() : v);
    // undefined: the key is absent. For strings, one value no condition names stands for all such values.
    const states: (string | undefined)[] = bool ? [undefined, 'true', 'false'] : [undefined, '\uE000other', ...new Set(tests.flatMap((t) => t.c.values))];
    const holdsIn = (c: NormalizedCondition, state: string | undefined): boolean => {
      if (state === undefined) return c.ifExists || c.negated;
      const named = c.values.some((v) => norm(v) === state);
      return c.negated ? !named : named;
    };
    if (!states.some((st) => tests.every((t) => holdsIn(t.c, st) === t.holds))) return true;
  }
  return false;
}
