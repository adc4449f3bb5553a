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

export const ACCOUNT_ID = /^\d{12}$/;
/** Registry keys double as Nx project and Pulumi project names. */
export const ACCOUNT_KEY = /^[a-z][a-z0-9-]{0,38}[a-z0-9]$/;
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
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
const EXTERNAL_FIELDS = ['name', 'accountId', 'description'];
const ACCOUNT_FIELDS = ['key', 'accountId', 'environment', 'region', 'deployRoleName', 'trustedPrincipals', 'externalId', 'maxSessionDurationSeconds'];

/** A misspelt field must not silently drop a setting (an `externalID` would drop the ExternalId requirement). */
function unknownFields(obj: Obj, allowed: readonly string[], where: string, problems: string[]): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) problems.push(`${where}${where ? '.' : ''}${k} is not a known field; allowed: ${allowed.filter((a) => a !== '$schema').join(', ')}.`);
  }
}
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown): string => (v === undefined ? 'missing' : JSON.stringify(v));

function describeAccountId(where: string, value: unknown): string | undefined {
  if (typeof value === 'string' && ACCOUNT_ID.test(value)) return undefined;
  if (typeof value === 'number') {
    return `${where} ${value} is a number; write the account id as a 12-digit string so leading zeros survive (e.g. "012345678901").`;
  }
  return `${where} ${show(value)} is not a 12-digit AWS account id (keep it a string: "012345678901").`;
}

/**
 * Validates a parsed registry document and returns it typed. Collects every problem and throws one
 * {@link RegistryError} listing them all, each naming the entry and the field.
 */
export function validateRegistry(input: unknown, source = 'accounts.json'): AccountRegistry {
  const problems: string[] = [];
  if (!isObj(input)) throw new RegistryError(source, ['the registry must be a JSON object with "organizationId", "identity" and "accounts".']);

  unknownFields(input, TOP_FIELDS, '', problems);
  const org = input.organizationId;
  if (typeof org !== 'string' || !ORGANIZATION_ID.test(org)) {
    problems.push(`organizationId ${show(org)} is not an AWS Organizations id ("o-" then 10 to 32 lower-case letters or digits).`);
  }
  const bootstrap = input.bootstrapRoleName ?? 'OrganizationAccountAccessRole';
  if (typeof bootstrap !== 'string' || !ROLE_NAME.test(bootstrap)) {
    problems.push(`bootstrapRoleName ${show(bootstrap)} is not an IAM role name (1 to 64 of letters, digits and +=,.@_-).`);
  }
  const environments = input.environments ?? ['dev', 'test', 'prod'];
  if (!Array.isArray(environments) || environments.length === 0 || !environments.every((e) => typeof e === 'string' && ACCOUNT_KEY.test(e))) {
    problems.push(`environments ${show(environments)} must be a non-empty list of lower-case names such as ["dev","test","prod"].`);
  }
  const envList: string[] = Array.isArray(environments) ? environments.filter((e): e is string => typeof e === 'string') : [];

  // identity
  const identity = input.identity;
  if (!isObj(identity)) {
    problems.push(`identity ${show(identity)} must be an object with "key", "accountId" and "region".`);
  } else {
    unknownFields(identity, IDENTITY_FIELDS, 'identity', problems);
    if (typeof identity.key !== 'string' || !ACCOUNT_KEY.test(identity.key)) {
      problems.push(`identity.key ${show(identity.key)} is not a valid key (lower-case letters, digits and dashes, 2 to 40 characters, starting with a letter).`);
    }
    const p = describeAccountId('identity.accountId', identity.accountId);
    if (p) problems.push(p);
    if (typeof identity.region !== 'string' || !AWS_REGIONS.includes(identity.region)) {
      problems.push(`identity.region ${show(identity.region)} is not a known AWS region (for example "eu-west-1" or "us-east-1").`);
    }
    if (identity.hubRoleName !== undefined && (typeof identity.hubRoleName !== 'string' || !ROLE_NAME.test(identity.hubRoleName))) {
      problems.push(`identity.hubRoleName ${show(identity.hubRoleName)} is not an IAM role name (1 to 64 of letters, digits and +=,.@_-).`);
    }
  }

  // external accounts
  const externals = input.externalAccounts ?? [];
  if (!Array.isArray(externals)) problems.push(`externalAccounts ${show(externals)} must be a list.`);
  const externalList = Array.isArray(externals) ? externals : [];
  externalList.forEach((e, i) => {
    const where = `externalAccounts[${i}]`;
    if (!isObj(e)) return void problems.push(`${where} must be an object with "name" and "accountId".`);
    unknownFields(e, EXTERNAL_FIELDS, where, problems);
    if (typeof e.name !== 'string' || e.name.length === 0) problems.push(`${where}.name ${show(e.name)} must be a non-empty string.`);
    const p = describeAccountId(`${where}.accountId`, e.accountId);
    if (p) problems.push(p);
  });

  // accounts
  const accounts = input.accounts;
  if (!Array.isArray(accounts)) {
    problems.push(`accounts ${show(accounts)} must be a list of account entries.`);
  }
  const accountList = Array.isArray(accounts) ? accounts : [];
  const knownIds = new Set<string>();
  if (isObj(identity) && typeof identity.accountId === 'string') knownIds.add(identity.accountId);
  for (const a of accountList) if (isObj(a) && typeof a.accountId === 'string') knownIds.add(a.accountId);

  accountList.forEach((a, i) => {
    if (!isObj(a)) return void problems.push(`accounts[${i}] must be an object.`);
    const where = `accounts[${i}]${typeof a.key === 'string' ? ` ("${a.key}")` : ''}`;
    unknownFields(a, ACCOUNT_FIELDS, where, problems);
    if (typeof a.key !== 'string' || !ACCOUNT_KEY.test(a.key)) {
      problems.push(`${where}.key ${show(a.key)} is not a valid key (lower-case letters, digits and dashes, 2 to 40 characters, starting with a letter).`);
    }
    const idProblem = describeAccountId(`${where}.accountId`, a.accountId);
    if (idProblem) problems.push(idProblem);
    if (typeof a.environment !== 'string' || !envList.includes(a.environment)) {
      problems.push(`${where}.environment ${show(a.environment)} is not one of the registry's environments (${envList.map((e) => JSON.stringify(e)).join(', ')}).`);
    }
    if (typeof a.region !== 'string' || !AWS_REGIONS.includes(a.region)) {
      problems.push(`${where}.region ${show(a.region)} is not a known AWS region (for example "eu-west-1" or "us-east-1").`);
    }
    if (typeof a.deployRoleName !== 'string' || !ROLE_NAME.test(a.deployRoleName)) {
      problems.push(`${where}.deployRoleName ${show(a.deployRoleName)} is not an IAM role name (1 to 64 of letters, digits and +=,.@_-).`);
    }
    const d = a.maxSessionDurationSeconds;
    if (typeof d !== 'number' || !Number.isInteger(d) || d < MIN_SESSION_SECONDS || d > MAX_SESSION_SECONDS) {
      problems.push(`${where}.maxSessionDurationSeconds ${show(d)} is outside ${MIN_SESSION_SECONDS}..${MAX_SESSION_SECONDS} seconds (IAM's limits for a role's MaxSessionDuration).`);
    }
    if (a.externalId !== undefined && (typeof a.externalId !== 'string' || !EXTERNAL_ID.test(a.externalId))) {
      problems.push(`${where}.externalId ${show(a.externalId)} is not a valid sts:ExternalId (2 to 1224 of letters, digits and +=,.@:/_-).`);
    }
    const tp = a.trustedPrincipals;
    if (!Array.isArray(tp) || tp.length === 0) {
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
        if (!knownIds.has(m[2])) {
          problems.push(`${at} ${show(p)} names account ${m[2]}, which is neither the identity account nor an account in this registry.`);
        }
      });
    }
  });

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
