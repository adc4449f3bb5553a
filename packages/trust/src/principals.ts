import { ACCOUNT_ID } from './account-id';
import type { NormalizedPrincipal, Partition, PrincipalKind } from './model';

/**
 * Principal classification. Values repeat a lot across documents (the same hub role, the same
 * services), so each distinct (type, value) pair is parsed once and the frozen result shared.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 */

const WILDCARD = /[*?]/;
/** Left-over template placeholders: `<Source_Account_ID>`, `{{account}}`, `${AccountId}`. */
export const PLACEHOLDER = /<[^>]*>|\{\{|\$\{/;
const ARN = /^arn:([^:]*):(iam|sts)::([^:]*):(.+)$/;
/** IAM names and paths: letters, digits and +=,.@_- (slashes separate path segments). */
const IAM_NAME = /^[\w+=,.@\-/*?]+$/;
const SERVICE = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/;
const CANONICAL_USER = /^[0-9a-f]{64}$/;
/** Identity providers that can be named without an ARN (web identity federation). */
const NAMED_WEB_PROVIDERS = new Set(['cognito-identity.amazonaws.com', 'accounts.google.com', 'graph.facebook.com', 'www.amazon.com']);
const PARTITIONS = new Set(['aws', 'aws-us-gov', 'aws-cn']);

/** Per block type, value -> classification (no key concatenation on the hot path). */
const cache = new Map<string, Map<string, NormalizedPrincipal>>();
let cached = 0;
const CACHE_LIMIT = 8192;

function make(
  type: string,
  value: string,
  kind: PrincipalKind,
  extra?: { partition?: Partition; accountId?: string; name?: string; wildcard?: boolean; problem?: string },
): NormalizedPrincipal {
  // One object shape for every principal (absent fields are undefined) keeps the rules' property reads monomorphic.
  return Object.freeze({
    type,
    value,
    ref: type === '*' ? '*' : `${type}::${value}`,
    kind,
    partition: extra?.partition,
    accountId: extra?.accountId,
    name: extra?.name,
    wildcard: extra?.wildcard ?? false,
    problem: extra?.problem,
  });
}

const invalid = (type: string, value: string, problem: string) => make(type, value, 'invalid', { problem });

/** Parses an `arn:<partition>:iam|sts::<account>:<resource>` principal. */
function classifyArn(type: string, value: string): NormalizedPrincipal {
  const m = ARN.exec(value);
  if (m === null) return invalid(type, value, 'is not an IAM or STS ARN of the form arn:aws:iam::<12-digit account>:role/<name>');
  const [, partitionRaw, service, account, resource] = m;
  let wildcard = false;
  let partition: Partition | undefined;
  if (PARTITIONS.has(partitionRaw)) partition = partitionRaw as Partition;
  else if (WILDCARD.test(partitionRaw)) wildcard = true;
  else return invalid(type, value, `has partition "${partitionRaw}"; allowed are aws, aws-us-gov and aws-cn`);
  let accountId: string | undefined;
  if (ACCOUNT_ID.test(account)) accountId = account;
  else if (WILDCARD.test(account)) wildcard = true;
  else return invalid(type, value, `has account "${account}", which is not a 12-digit AWS account id`);
  if (!IAM_NAME.test(resource)) return invalid(type, value, `has resource "${resource}" with characters IAM does not allow in names`);
  if (WILDCARD.test(resource)) wildcard = true;
  const slash = resource.indexOf('/');
  const head = slash < 0 ? resource : resource.slice(0, slash);
  const rest = slash < 0 ? '' : resource.slice(slash + 1);
  const base = { partition, accountId, wildcard };
  const lastSegment = rest.slice(rest.lastIndexOf('/') + 1);
  if (type === 'AWS') {
    if (service === 'iam') {
      if (resource === 'root') return make(type, value, 'account', base);
      if ((head === 'role' || head === 'user') && lastSegment !== '') {
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html: names are 1 to 64 characters; paths have no empty segments.
        if (lastSegment.length > 64) return invalid(type, value, `has ${head} name "${lastSegment}" longer than the 64 characters IAM allows`);
        if (rest.startsWith('/') || rest.includes('//')) return invalid(type, value, `has an empty segment in ${head} path "${rest}"`);
        return make(type, value, head, { ...base, name: lastSegment });
      }
    } else {
      const parts = rest.split('/');
      if (head === 'assumed-role' && parts.length === 2 && parts[0] !== '' && parts[1] !== '') {
        return make(type, value, 'assumed-role', { ...base, name: parts[0] });
      }
      if (head === 'federated-user' && rest !== '') return make(type, value, 'federated-user', { ...base, name: rest });
    }
    // `arn:aws:iam::*:*`, `arn:aws:iam::111111111111:*`: a wildcard over the whole account, judged as broad, not merely malformed.
    if (WILDCARD.test(head)) return make(type, value, 'account', base);
    return invalid(type, value, `names "${head}", but an AWS principal must be an account root, role, user or assumed-role session`);
  }
  // Federated
  if (service === 'iam' && head === 'saml-provider' && rest !== '') return make(type, value, 'saml', { ...base, name: rest });
  if (service === 'iam' && head === 'oidc-provider' && rest !== '') return make(type, value, 'web-identity', { ...base, name: rest.toLowerCase() });
  return invalid(type, value, 'is neither a saml-provider nor an oidc-provider ARN');
}

function classifyUncached(type: string, value: string): NormalizedPrincipal {
  if (PLACEHOLDER.test(value)) return invalid(type, value, 'still contains a template placeholder; put the real value in');
  switch (type) {
    case '*':
      return make('*', value, 'any');
    case 'AWS':
      if (value === '*') return make(type, value, 'any');
      if (ACCOUNT_ID.test(value)) return make(type, value, 'account', { accountId: value });
      if (value.startsWith('arn:')) return classifyArn(type, value);
      if (/^\d{1,11}$/.test(value)) return invalid(type, value, `is neither "*", a 12-digit account id nor an IAM ARN (an account id written as a JSON number loses its leading zeros; write it as a string such as "${value.padStart(12, '0')}")`);
      return invalid(type, value, 'is neither "*", a 12-digit account id nor an IAM ARN');
    case 'Federated':
      if (value.startsWith('arn:')) return classifyArn(type, value);
      if (NAMED_WEB_PROVIDERS.has(value.toLowerCase())) return make(type, value, 'web-identity', { name: value.toLowerCase() });
      return invalid(type, value, 'is neither a SAML or OIDC provider ARN nor a known web identity provider (cognito-identity.amazonaws.com, accounts.google.com, graph.facebook.com, www.amazon.com)');
    case 'Service':
      if (SERVICE.test(value)) return make(type, value, 'service', { name: value.endsWith('.cn') ? value.slice(0, -3) : value });
      if (WILDCARD.test(value)) return invalid(type, value, 'has a wildcard; IAM accepts only exact service principals such as "events.amazonaws.com"');
      return invalid(type, value, 'is not a service principal of the form "<service>.amazonaws.com"');
    case 'CanonicalUser':
      if (CANONICAL_USER.test(value)) return make(type, value, 'canonical-user');
      return invalid(type, value, 'is not a 64-character canonical user id');
    default:
      return invalid(type, value, `uses principal type "${type}"; allowed are AWS, Federated, Service and CanonicalUser`);
  }
}

/** Classifies one principal value of the given block type (`*` for the bare `"Principal": "*"`). */
export function classifyPrincipal(type: string, value: string): NormalizedPrincipal {
  let byValue = cache.get(type);
  if (byValue === undefined) {
    byValue = new Map();
    cache.set(type, byValue);
  }
  let p = byValue.get(value);
  if (p === undefined) {
    p = classifyUncached(type, value);
    if (++cached > CACHE_LIMIT) {
      cache.clear();
      cached = 0;
    } else byValue.set(value, p);
  }
  return p;
}

/**
 * Where a principal stands before any condition is read: the first question every trust rule asks
 * (the analyzer picks the rule from it), and the one the components' builder asks of each principal
 * it is given.
 * - `invalid`: not a principal value IAM accepts (the principal's `problem` says why);
 * - `broad`: `"*"` in any form, or an AWS ARN with a wildcard; trusted only when a condition bounds the caller;
 * - `trusted`: an AWS principal (account root or bare id, role, user, session) in an account of the organization;
 * - `external`: one in a declared third-party account, acceptable only with an exact sts:ExternalId;
 * - `untrusted`: one in any other account;
 * - `other`: service, web-identity, SAML and canonical-user principals, judged by their own rules.
 */
export type PrincipalStanding = 'invalid' | 'broad' | 'trusted' | 'external' | 'untrusted' | 'other';

/** The accounts a standing is judged against; {@link accountSets} builds them from a config. */
export interface AccountSets {
  /** The organization's own accounts (`trustedAccounts`). */
  readonly trusted: ReadonlySet<string>;
  /** Declared third-party accounts (`externalAccounts`), by id. */
  readonly external: ReadonlyMap<string, unknown>;
}

/** Where `pr` stands against `accounts` (see {@link PrincipalStanding}). */
export function principalStanding(pr: NormalizedPrincipal, accounts: AccountSets): PrincipalStanding {
  switch (pr.kind) {
    case 'invalid':
      return 'invalid';
    case 'any':
      return 'broad';
    case 'account':
    case 'role':
    case 'user':
    case 'assumed-role':
    case 'federated-user': {
      // A wildcard in the partition or account leaves no account id: broad, whatever the sets hold.
      if (pr.wildcard) return 'broad';
      const account = pr.accountId ?? '';
      if (accounts.trusted.has(account)) return 'trusted';
      return accounts.external.has(account) ? 'external' : 'untrusted';
    }
    default:
      return 'other';
  }
}

/** The root principal of an account (`arn:aws:iam::<account>:root`): every identity there that its IAM policies allow. */
export function accountRootArn(accountId: string, partition: Partition = 'aws'): string {
  return `arn:${partition}:iam::${accountId}:root`;
}

/** The principal as JSON, the way a reader finds it in the document: `{"AWS":"*"}` or `"*"`. */
export function principalJson(p: NormalizedPrincipal): string {
  if (p.type === '*') return '"*"';
  return needsEscape(p.type) || needsEscape(p.value) ? `{${JSON.stringify(p.type)}:${JSON.stringify(p.value)}}` : `{"${p.type}":"${p.value}"}`;
}
/** True when JSON.stringify would escape something in `s` (quote, backslash, control or line-separator characters). */
function needsEscape(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c === 34 || c === 92 || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}

/**
 * The 12-digit account of an IAM or STS principal ARN (a role, user, account root or assumed-role session,
 * in any partition), or undefined when `arn` is none of those. The one ARN reader outside the analyzer:
 * the registry, the pack's provider checks, the preview and the generators call it.
 */
export function principalAccount(arn: string): string | undefined {
  return classifyPrincipal('AWS', arn).accountId;
}
