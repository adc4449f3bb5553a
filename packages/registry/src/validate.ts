import { ACCOUNT_ID, ORGANIZATION_ID, isObj, parseExternalIdPatterns } from '@trustline/trust';
import { AWS_REGIONS } from './regions';
import type { AccountEntry, AccountRegistry, ExternalAccount, IdentityAccount } from './types';

/** Thrown when a registry does not validate. `problems` holds one sentence per problem. */
export class RegistryError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(
      `${source}: the account registry has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'RegistryError';
  }
}

/** The 12-digit account-id pattern, owned by the trust library; re-exported here for the registry's importers. */
export { ACCOUNT_ID };
/** Registry keys double as Nx project and Pulumi project names. */
export const ACCOUNT_KEY = /^[a-z][a-z0-9-]{0,38}[a-z0-9]$/;
export { ORGANIZATION_ID };
/** IAM role names: 1..64 of [\w+=,.@-]. */
export const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** A role ARN with optional path; partitions aws, aws-us-gov, aws-cn. */
export const ROLE_ARN = /^arn:(aws|aws-us-gov|aws-cn):iam::(\d{12}):role\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;
/** sts:ExternalId: 2..1224 of [\w+=,.@:/-]. */
export const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
/** IAM's range for a role's MaxSessionDuration (900 is only AssumeRole's DurationSeconds floor). https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html */
export const MIN_SESSION_SECONDS = 3600;
export const MAX_SESSION_SECONDS = 43200;

type Obj = Record<string, unknown>;

const TOP_FIELDS = ['$schema', 'organizationId', 'bootstrapRoleName', 'environments', 'identity', 'externalAccounts', 'accounts'];
const IDENTITY_FIELDS = ['key', 'accountId', 'region', 'hubRoleName'];
const EXTERNAL_FIELDS = ['name', 'accountId', 'description', 'externalIdPatterns'];
const ACCOUNT_FIELDS = ['key', 'accountId', 'environment', 'region', 'deployRoleName', 'trustedPrincipals', 'externalId', 'maxSessionDurationSeconds'];

/** Edit distance of two short strings (insertions, deletions, substitutions), for "did you mean". */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/**
 * A misspelt field must not silently drop a setting (an `externalID` would drop the ExternalId requirement).
 * An unknown field that is a near miss of an allowed field the entry lacks is reported once, as the typo it
 * is ("did you mean"); the returned set holds those allowed fields, so their "is missing" is not reported too.
 */
function unknownFields(obj: Obj, allowed: readonly string[], where: string, problems: string[]): Set<string> {
  const misspelt = new Set<string>();
  const shown = allowed.filter((a) => a !== '$schema').join(', ');
  for (const k of Object.keys(obj)) {
    if (allowed.includes(k)) continue;
    const meant = allowed.find((a) => obj[a] === undefined && !misspelt.has(a) && (a.toLowerCase() === k.toLowerCase() || editDistance(a.toLowerCase(), k.toLowerCase()) <= 2));
    const at = `${where}${where ? '.' : ''}`;
    if (meant !== undefined) {
      misspelt.add(meant);
      problems.push(`${at}${k} is not a known field; did you mean "${meant}" (which is missing)? Allowed: ${shown}.`);
    } else {
      problems.push(`${at}${k} is not a known field; allowed: ${shown}.`);
    }
  }
  return misspelt;
}
const show = (v: unknown): string => (v === undefined ? 'missing' : JSON.stringify(v));

/** What a JSON value is, for "is a string, not a number" sentences. */
const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : typeof v === 'string' ? 'a string' : typeof v === 'number' ? 'a number' : `a ${typeof v}`);

/**
 * The problem with a string field, or undefined when `value` is a string that `valid` accepts. A missing
 * field says "is missing" (never "missing is not a known region"), and a value of the wrong JSON type says
 * so, before the field's own rule (`invalid`) is applied.
 */
function stringField(at: string, value: unknown, valid: (v: string) => boolean, hint: string, invalid: (v: string) => string): string | undefined {
  if (value === undefined) return `${at} is missing; ${hint}.`;
  if (typeof value !== 'string') return `${at} ${show(value)} is ${kindOf(value)}, not a string; ${hint}.`;
  return valid(value) ? undefined : invalid(value);
}

function describeAccountId(where: string, value: unknown): string | undefined {
  if (typeof value === 'string' && ACCOUNT_ID.test(value)) return undefined;
  if (value === undefined) return `${where} is missing; write the 12-digit account id as a string, e.g. "012345678901".`;
  if (typeof value === 'number') {
    return `${where} ${value} is a number; write the account id as a 12-digit string so leading zeros survive (e.g. "012345678901").`;
  }
  return `${where} ${show(value)} is not a 12-digit AWS account id (keep it a string: "012345678901").`;
}

/** The problem with a deploy role's MaxSessionDuration: missing, a string, not whole, or outside IAM's range. */
function describeSessionSeconds(at: string, d: unknown): string | undefined {
  const range = `${MIN_SESSION_SECONDS} to ${MAX_SESSION_SECONDS} seconds (IAM's limits for a role's MaxSessionDuration)`;
  if (d === undefined) return `${at} is missing; set the deploy role's MaxSessionDuration, a whole number of seconds from ${range}, e.g. 3600.`;
  if (typeof d === 'string' && d.trim() !== '' && Number.isFinite(Number(d))) return `${at} ${show(d)} is a string; write it as a number without quotes: ${Number(d)}.`;
  if (typeof d !== 'number') return `${at} ${show(d)} is ${kindOf(d)}, not a number; write a whole number of seconds from ${range}, e.g. 3600.`;
  if (!Number.isInteger(d)) return `${at} ${d} is not a whole number of seconds; write a whole number from ${range}.`;
  if (d < MIN_SESSION_SECONDS || d > MAX_SESSION_SECONDS) return `${at} ${d} is outside ${MIN_SESSION_SECONDS}..${MAX_SESSION_SECONDS} seconds (IAM's limits for a role's MaxSessionDuration).`;
  return undefined;
}

/**
 * Validates a parsed registry document and returns it typed. Collects every problem and throws one
 * {@link RegistryError} listing them all, each naming the entry and the field.
 */
export function validateRegistry(input: unknown, source = 'accounts.json'): AccountRegistry {
  const problems: string[] = [];
  if (!isObj(input)) throw new RegistryError(source, ['the registry must be a JSON object with "organizationId", "identity" and "accounts".']);

  const topMisspelt = unknownFields(input, TOP_FIELDS, '', problems);
  const push = (p: string | undefined): void => void (p !== undefined && problems.push(p));
  const KEY_RULE = 'lower-case letters, digits and dashes, 2 to 40 characters, starting with a letter';
  const ROLE_RULE = '1 to 64 of letters, digits and +=,.@_-';
  const keyProblem = (at: string, v: unknown) => stringField(at, v, (x) => ACCOUNT_KEY.test(x), `write a key of ${KEY_RULE}`, (x) => `${at} ${show(x)} is not a valid key (${KEY_RULE}).`);
  const regionProblem = (at: string, v: unknown) =>
    stringField(at, v, (x) => AWS_REGIONS.includes(x), 'name the AWS region, for example "eu-west-1" or "us-east-1"', (x) => `${at} ${show(x)} is not a known AWS region (for example "eu-west-1" or "us-east-1").`);
  const roleProblem = (at: string, v: unknown, example: string) => stringField(at, v, (x) => ROLE_NAME.test(x), `name the IAM role, for example "${example}"`, (x) => `${at} ${show(x)} is not an IAM role name (${ROLE_RULE}).`);

  const org = input.organizationId;
  if (!topMisspelt.has('organizationId')) {
    push(stringField('organizationId', org, (x) => ORGANIZATION_ID.test(x), 'set the AWS Organizations id ("o-" then 10 to 32 lower-case letters or digits)', (x) => `organizationId ${show(x)} is not an AWS Organizations id ("o-" then 10 to 32 lower-case letters or digits).`));
  }
  const bootstrap = input.bootstrapRoleName ?? 'OrganizationAccountAccessRole';
  if (typeof bootstrap !== 'string' || !ROLE_NAME.test(bootstrap)) {
    problems.push(`bootstrapRoleName ${show(bootstrap)} is not an IAM role name (${ROLE_RULE}).`);
  }
  const environments = input.environments ?? ['dev', 'test', 'prod'];
  if (!Array.isArray(environments) || environments.length === 0 || !environments.every((e) => typeof e === 'string' && ACCOUNT_KEY.test(e))) {
    problems.push(`environments ${show(environments)} must be a non-empty list of lower-case names such as ["dev","test","prod"].`);
  }
  const envList: string[] = Array.isArray(environments) ? environments.filter((e): e is string => typeof e === 'string') : [];

  // identity. When it is unusable, the trustedPrincipals that name other accounts cannot be checked against
  // it; they are left out rather than each reported as a problem of its own (one typo, one message).
  const identity = input.identity;
  let identityUsable = false;
  if (!isObj(identity)) {
    if (!topMisspelt.has('identity')) {
      problems.push(
        identity === undefined
          ? 'identity is missing; add the identity account as an object with "key", "accountId" and "region" (trustedPrincipals naming other accounts are checked once it is there).'
          : `identity ${show(identity)} is ${kindOf(identity)}, not an object with "key", "accountId" and "region" (trustedPrincipals naming other accounts are checked once it is fixed).`,
      );
    }
  } else {
    const misspelt = unknownFields(identity, IDENTITY_FIELDS, 'identity', problems);
    if (!misspelt.has('key')) push(keyProblem('identity.key', identity.key));
    const idProblem = misspelt.has('accountId') ? undefined : describeAccountId('identity.accountId', identity.accountId);
    if (idProblem) problems.push(idProblem.replace(/\.$/, '; trustedPrincipals naming other accounts are checked once it is fixed.'));
    identityUsable = typeof identity.accountId === 'string' && ACCOUNT_ID.test(identity.accountId);
    if (!misspelt.has('region')) push(regionProblem('identity.region', identity.region));
    if (identity.hubRoleName !== undefined) push(roleProblem('identity.hubRoleName', identity.hubRoleName, 'trustline-hub'));
  }

  // external accounts
  const externals = input.externalAccounts ?? [];
  if (!Array.isArray(externals)) problems.push(`externalAccounts ${show(externals)} must be a list.`);
  const externalList = Array.isArray(externals) ? externals : [];
  externalList.forEach((e, i) => {
    const where = `externalAccounts[${i}]`;
    if (!isObj(e)) return void problems.push(`${where} must be an object with "name" and "accountId".`);
    const misspelt = unknownFields(e, EXTERNAL_FIELDS, where, problems);
    if (!misspelt.has('name')) {
      push(stringField(`${where}.name`, e.name, (x) => x.length > 0, 'say who the account belongs to, for example "example-monitoring-vendor"', () => `${where}.name "" must be a non-empty string.`));
    }
    const p = misspelt.has('accountId') ? undefined : describeAccountId(`${where}.accountId`, e.accountId);
    if (p) problems.push(p);
    if (!misspelt.has('externalIdPatterns')) parseExternalIdPatterns(e.externalIdPatterns, `${where}.externalIdPatterns`, problems);
  });

  // accounts
  const accounts = input.accounts;
  if (!Array.isArray(accounts) && !topMisspelt.has('accounts')) {
    problems.push(accounts === undefined ? 'accounts is missing; add a list of account entries (it may be empty: []).' : `accounts ${show(accounts)} must be a list of account entries.`);
  }
  const accountList = Array.isArray(accounts) ? accounts : [];
  const knownIds = new Set<string>();
  if (isObj(identity) && typeof identity.accountId === 'string') knownIds.add(identity.accountId);
  for (const a of accountList) if (isObj(a) && typeof a.accountId === 'string') knownIds.add(a.accountId);

  // Principals in accounts the registry does not know, grouped by account: a mistyped identity account id
  // is one problem, not one per principal that names the real one.
  const strangers = new Map<string, { at: string; arn: string }[]>();
  accountList.forEach((a, i) => {
    if (!isObj(a)) return void problems.push(`accounts[${i}] must be an object.`);
    const where = `accounts[${i}]${typeof a.key === 'string' ? ` ("${a.key}")` : ''}`;
    const misspelt = unknownFields(a, ACCOUNT_FIELDS, where, problems);
    if (!misspelt.has('key')) push(keyProblem(`${where}.key`, a.key));
    const idProblem = misspelt.has('accountId') ? undefined : describeAccountId(`${where}.accountId`, a.accountId);
    if (idProblem) problems.push(idProblem);
    if (!misspelt.has('environment')) {
      const envs = envList.map((e) => JSON.stringify(e)).join(', ');
      push(stringField(`${where}.environment`, a.environment, (x) => envList.includes(x), `set one of the registry's environments (${envs})`, (x) => `${where}.environment ${show(x)} is not one of the registry's environments (${envs}).`));
    }
    if (!misspelt.has('region')) push(regionProblem(`${where}.region`, a.region));
    if (!misspelt.has('deployRoleName')) push(roleProblem(`${where}.deployRoleName`, a.deployRoleName, 'trustline-deploy'));
    const sessionProblem = misspelt.has('maxSessionDurationSeconds') ? undefined : describeSessionSeconds(`${where}.maxSessionDurationSeconds`, a.maxSessionDurationSeconds);
    if (sessionProblem) problems.push(sessionProblem);
    if (a.externalId !== undefined && (typeof a.externalId !== 'string' || !EXTERNAL_ID.test(a.externalId))) {
      problems.push(`${where}.externalId ${show(a.externalId)} is not a valid sts:ExternalId (2 to 1224 of letters, digits and +=,.@:/_-).`);
    }
    const tp = a.trustedPrincipals;
    if (misspelt.has('trustedPrincipals')) {
      // reported once, as the misspelt field
    } else if (!Array.isArray(tp) || tp.length === 0) {
      problems.push(`${where}.trustedPrincipals ${show(tp)} must list at least one role ARN allowed to assume the deploy role (an empty list locks everyone out; a whole account is too broad).`);
    } else {
      tp.forEach((p, j) => {
        const at = `${where}.trustedPrincipals[${j}]`;
        if (typeof p !== 'string') return void problems.push(`${at} ${show(p)} must be a role ARN string.`);
        if (p.includes('*') || p.includes('?')) {
          return void problems.push(`${at} ${show(p)} contains a wildcard; name each role ARN exactly (IAM rejects wildcards in principals and the intent is broad).`);
        }
        const m = ROLE_ARN.exec(p);
        if (!m) {
          return void problems.push(`${at} ${show(p)} is not a role ARN (arn:aws:iam::<12-digit account>:role/<name>); trust named roles, not a whole account.`);
        }
        if (!knownIds.has(m[2]) && identityUsable) {
          const refs = strangers.get(m[2]) ?? [];
          strangers.set(m[2], [...refs, { at, arn: p }]);
        }
      });
    }
  });

  for (const [account, refs] of strangers) {
    const who = refs.length === 1 ? `${refs[0].at} ${show(refs[0].arn)} names` : `${refs.slice(0, -1).map((r) => r.at).join(', ')} and ${refs[refs.length - 1].at} name`;
    const identityId = isObj(identity) ? identity.accountId : undefined;
    problems.push(`${who} account ${account}, which is neither the identity account${typeof identityId === 'string' ? ` (${identityId})` : ''} nor an account in this registry.`);
  }

  // duplicates across identity and target accounts
  const seenKeys = new Map<string, string>();
  const seenIds = new Map<string, string>();
  const note = (key: unknown, id: unknown, where: string) => {
    if (typeof key === 'string') {
      const prev = seenKeys.get(key);
      if (prev) problems.push(`${where}.key "${key}" is already used by ${prev}; keys must be unique.`);
      else seenKeys.set(key, where);
    }
    if (typeof id === 'string') {
      const prev = seenIds.get(id);
      if (prev) problems.push(`${where}.accountId "${id}" is already used by ${prev}; each account appears once.`);
      else seenIds.set(id, where);
    }
  };
  if (isObj(identity)) note(identity.key, identity.accountId, 'identity');
  accountList.forEach((a, i) => isObj(a) && note(a.key, a.accountId, `accounts[${i}]`));
  externalList.forEach((e, i) => {
    if (isObj(e) && typeof e.accountId === 'string' && seenIds.has(e.accountId)) {
      problems.push(`externalAccounts[${i}].accountId "${e.accountId}" is also ${seenIds.get(e.accountId)}; an account is either ours or external.`);
    }
  });

  if (problems.length > 0) throw new RegistryError(source, problems);
  return {
    organizationId: org as string,
    bootstrapRoleName: bootstrap as string,
    environments: envList,
    identity: identity as unknown as IdentityAccount,
    externalAccounts: externalList as ExternalAccount[],
    accounts: [...(accountList as AccountEntry[])].sort((x, y) => x.key.localeCompare(y.key)),
  };
}
