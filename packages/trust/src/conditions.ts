import type { BaseOperator, ConditionQualifier, NormalizedCondition } from './model';

/**
 * Condition operators. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * Parsed once per distinct operator string.
 */

const BASE_OPERATORS: readonly BaseOperator[] = [
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Null',
];
const NEGATED = new Set<BaseOperator>([
  'StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'NumericNotEquals', 'DateNotEquals', 'NotIpAddress', 'ArnNotEquals', 'ArnNotLike',
]);
const BY_LOWER = new Map<string, BaseOperator>(BASE_OPERATORS.map((o) => [o.toLowerCase(), o]));

export interface OperatorInfo {
  readonly baseOperator: BaseOperator | undefined;
  readonly ifExists: boolean;
  readonly qualifier: ConditionQualifier | undefined;
  readonly negated: boolean;
}

const cache = new Map<string, OperatorInfo>();

function parseUncached(operator: string): OperatorInfo {
  let rest = operator.toLowerCase();
  let qualifier: ConditionQualifier | undefined;
  if (rest.startsWith('forallvalues:')) {
    qualifier = 'ForAllValues';
    rest = rest.slice(13);
  } else if (rest.startsWith('foranyvalue:')) {
    qualifier = 'ForAnyValue';
    rest = rest.slice(12);
  }
  let ifExists = false;
  if (rest.endsWith('ifexists') && rest !== 'null') {
    ifExists = true;
    rest = rest.slice(0, -8);
  }
  const base = BY_LOWER.get(rest);
  // NullIfExists does not exist.
  const baseOperator = base === 'Null' && ifExists ? undefined : base;
  return Object.freeze({ baseOperator, ifExists, qualifier, negated: baseOperator !== undefined && NEGATED.has(baseOperator) });
}

export function parseOperator(operator: string): OperatorInfo {
  let info = cache.get(operator);
  if (info === undefined) {
    info = parseUncached(operator);
    if (cache.size > 512) cache.clear();
    cache.set(operator, info);
  }
  return info;
}

const WILDCARD = /[*?]/;
export const hasWildcard = (s: string): boolean => WILDCARD.test(s);

/** True when the StringLike pattern matches `value`: `*` any run, `?` one character (case-sensitive). */
export function likeMatches(pattern: string, value: string): boolean {
  // Iterative glob match with one backtrack point: linear in practice, never exponential.
  let p = 0;
  let v = 0;
  let star = -1;
  let mark = 0;
  while (v < value.length) {
    const c = pattern[p];
    if (c === '?' || (c !== '*' && c === value[v] && p < pattern.length)) {
      p++;
      v++;
    } else if (c === '*') {
      star = p++;
      mark = v;
    } else if (star >= 0) {
      p = star + 1;
      v = ++mark;
    } else return false;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/** Operators that match values positively (String and Arn families, equality or Like). */
const POSITIVE_MATCH = new Set<BaseOperator | undefined>(['StringEquals', 'StringEqualsIgnoreCase', 'StringLike', 'ArnEquals', 'ArnLike']);

/**
 * Why a condition cannot narrow anything, whatever its values: IfExists is true when the key is absent,
 * negated operators admit everyone except the listed values, Null only tests presence, ForAllValues is
 * true when the key is missing, an empty list matches nothing useful. Undefined when the operator can narrow.
 */
export function operatorWeakness(c: NormalizedCondition): string | undefined {
  if (c.baseOperator === undefined) return `operator "${c.operator}" is not an IAM condition operator`;
  if (c.baseOperator === 'Null') return `Null only checks whether ${c.key} is present, not who the caller is`;
  if (c.negated) return `${c.operator} is a negated operator: it admits every caller except the listed values`;
  if (c.ifExists) return `${c.operator} is also true when ${c.key} is absent from the request`;
  if (c.qualifier === 'ForAllValues') return `ForAllValues is true when ${c.key} is missing or single-valued`;
  if (c.values.length === 0) return `${c.key} has an empty value list`;
  if (!POSITIVE_MATCH.has(c.baseOperator)) return `${c.operator} does not match ${c.key} as a string or ARN`;
  return undefined;
}

const ARN_ACCOUNT = /^arn:[^:]*:[^:]*:[^:]*:([^:]*):/;
/** The account field of an ARN value, or undefined when the value is not ARN-shaped. */
export function arnAccount(value: string): string | undefined {
  const m = ARN_ACCOUNT.exec(value);
  return m === null ? undefined : m[1];
}

/** Edge labels of the keys whose values are shown after the label (OrgID, OrgPaths shortened). */
const VALUE_LABELS: Readonly<Record<string, string>> = {
  'aws:principalorgid': 'OrgID', 'aws:principalorgpaths': 'OrgPaths', 'aws:principalarn': 'PrincipalArn', 'aws:principalaccount': 'PrincipalAccount',
  'aws:sourceaccount': 'SourceAccount', 'aws:sourcearn': 'SourceArn', 'aws:sourceip': 'SourceIp',
};

/** Short human label for a condition, used on trust-graph edges: "ExternalId", "MFA", "OrgID o-...". */
export function conditionLabel(c: NormalizedCondition): string {
  const vals = c.values.join(',');
  const prefix = c.negated ? 'not ' : '';
  const suffix = c.ifExists ? ' (if exists)' : '';
  let label: string;
  if (c.key === 'sts:externalid') {
    // A pattern is shown (it may be a vendor's declared tenant pattern); an exact id stays a secret.
    label = c.values.some(hasWildcard) ? `ExternalId like ${vals}` : 'ExternalId';
  } else if (c.key === 'aws:multifactorauthpresent' || c.key === 'aws:multifactorauthage') {
    label = 'MFA';
  } else {
    // Any other key by its name after the service prefix.
    label = `${Object.hasOwn(VALUE_LABELS, c.key) ? VALUE_LABELS[c.key] : c.key.slice(c.key.lastIndexOf(':') + 1)} ${vals}`;
  }
  return prefix + label + suffix;
}

/** Display names for condition keys the messages mention (keys are lower-cased in the model). */
const KEY_NAMES: Record<string, string> = {
  'aws:principalorgid': 'aws:PrincipalOrgID',
  'aws:principalorgpaths': 'aws:PrincipalOrgPaths',
  'aws:principalaccount': 'aws:PrincipalAccount',
  'aws:principalarn': 'aws:PrincipalArn',
  'aws:sourceaccount': 'aws:SourceAccount',
  'aws:sourcearn': 'aws:SourceArn',
  'aws:sourceip': 'aws:SourceIp',
  'aws:sourcevpc': 'aws:SourceVpc',
  'aws:sourcevpce': 'aws:SourceVpce',
  'sts:externalid': 'sts:ExternalId',
  'aws:multifactorauthpresent': 'aws:MultiFactorAuthPresent',
  'aws:resourceorgid': 'aws:ResourceOrgID',
  'aws:resourceaccount': 'aws:ResourceAccount',
  'saml:aud': 'SAML:aud',
};
export const keyName = (key: string): string => (Object.hasOwn(KEY_NAMES, key) ? KEY_NAMES[key] : key);
