import {
  ACCOUNT_ID,
  ORGANIZATION_ID,
  MAX_SESSION_SECONDS,
  MIN_SESSION_SECONDS,
  accountIdField,
  accountIdProblem,
  externalIdPatternsField,
  isObj,
  principalAccount,
} from '@trustline/trust';
import { ProblemsError, defineContract, problemLines, explain, formatPath, kindOf, show, type Problem, type UnknownField } from '@trustline/contract';
import { AWS_REGIONS } from './regions';
import type { AccountRegistry } from './types';

/** Thrown when a registry does not validate. `problems` holds one sentence per problem. */
export class RegistryError extends ProblemsError {
  constructor(source: string, problems: readonly string[]) {
    super(source, problems, `${source}: the account registry has ${problemLines(problems)}`);
    this.name = 'RegistryError';
  }
}

/** What the registry must be, said once for the loader, the contract and the writer. */
export const REGISTRY_NOT_AN_OBJECT = 'the registry must be a JSON object with "organizationId", "identity" and "accounts".';

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
/** IAM's range for a role's MaxSessionDuration, owned by the trust library; re-exported for the registry's importers. */
export { MIN_SESSION_SECONDS, MAX_SESSION_SECONDS };
/** The account of a principal ARN: the trust library reads it; re-exported for the generators, which import only the registry. */
export { principalAccount };

type Obj = Record<string, unknown>;

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
 * is ("did you mean"); that field's own "is missing" is then not reported too.
 */
function unknownField({ at, field, object, allowed }: UnknownField): string | { problem: string; meant: string } {
  const shown = allowed.filter((a) => a !== '$schema').join(', ');
  const prefix = `${at}${at ? '.' : ''}${field}`;
  // Unknown fields claim the allowed field they nearly spell in the order they stand, each claimed once.
  const claimed = new Map<string, string>();
  for (const k of Object.keys(object)) {
    if (allowed.includes(k)) continue;
    const near = (a: string) => a.toLowerCase() === k.toLowerCase() || editDistance(a.toLowerCase(), k.toLowerCase()) <= 2;
    const meant = allowed.find((a) => object[a] === undefined && ![...claimed.values()].includes(a) && near(a));
    if (meant !== undefined) claimed.set(k, meant);
  }
  const meant = claimed.get(field);
  if (meant === undefined) return `${prefix} is not a known field; allowed: ${shown}.`;
  return { problem: `${prefix} is not a known field; did you mean "${meant}" (which is missing)? Allowed: ${shown}.`, meant };
}

/**
 * The sentences of a string field: missing says "is missing" (never "missing is not a known region"), a
 * value of another JSON type says so, and a string the field refuses gets the field's own sentence.
 */
const stringProblem =
  (hint: string, invalid: (where: string, v: string) => string): Problem =>
  ({ where, value }) =>
    value === undefined
      ? `${where} is missing; ${hint}.`
      : typeof value !== 'string'
        ? `${where} ${show(value)} is ${kindOf(value)}, not a string; ${hint}.`
        : invalid(where, value);

const KEY_RULE = 'lower-case letters, digits and dashes, 2 to 40 characters, starting with a letter';
const ROLE_RULE = '1 to 64 of letters, digits and +=,.@_-';
const ORG_RULE = '"o-" then 10 to 32 lower-case letters or digits';
const SESSION_RANGE = `${MIN_SESSION_SECONDS} to ${MAX_SESSION_SECONDS} seconds (IAM's limits for a role's MaxSessionDuration)`;
const REGION_EXAMPLE = 'for example "eu-west-1" or "us-east-1"';

const keyField = (description: string) =>
  explain(
    { type: 'string', pattern: ACCOUNT_KEY.source, description },
    stringProblem(`write a key of ${KEY_RULE}`, (at, x) => `${at} ${show(x)} is not a valid key (${KEY_RULE}).`),
  );
const regionField = (description: string) =>
  explain(
    { type: 'string', enum: AWS_REGIONS, description },
    stringProblem(`name the AWS region, ${REGION_EXAMPLE}`, (at, x) => `${at} ${show(x)} is not a known AWS region (${REGION_EXAMPLE}).`),
  );
const roleField = (description: string, example: string) =>
  explain(
    { type: 'string', pattern: ROLE_NAME.source, description },
    stringProblem(`name the IAM role, for example "${example}"`, (at, x) => `${at} ${show(x)} is not an IAM role name (${ROLE_RULE}).`),
  );

const DEFAULT_ENVIRONMENTS = ['dev', 'test', 'prod'];
/**
 * The environments the registry names, when that list is usable: absent means the default, anything but a
 * non-empty list of valid names means none (each account's environment is then checked once it is fixed).
 */
function environmentList(root: unknown): readonly string[] | undefined {
  const envs = isObj(root) ? root.environments : undefined;
  if (envs === undefined) return DEFAULT_ENVIRONMENTS;
  return Array.isArray(envs) && envs.length > 0 && envs.every((e) => typeof e === 'string' && ACCOUNT_KEY.test(e)) ? (envs as string[]) : undefined;
}
/** The registry's environments as sentences list them: `"dev", "test", "prod"`. */
const environmentsOf = (root: unknown): string => (environmentList(root) ?? []).map((e) => JSON.stringify(e)).join(', ');
/** One sentence for the environments list, whichever of its items or its shape is wrong. */
const environmentsProblem: Problem = ({ root }) =>
  `environments ${show(isObj(root) ? root.environments : undefined)} must be a non-empty list of lower-case names such as ["dev","test","prod"].`;
const DEFAULT_BOOTSTRAP_ROLE = 'OrganizationAccountAccessRole';

/** The sentence for an environment the registry does not list. */
const environmentProblem =
  (root: unknown) =>
  (where: string, value: string): string =>
    `${where} ${show(value)} is not one of the registry's environments (${environmentsOf(root)}).`;

/** The deploy role's MaxSessionDuration: missing, a number in quotes, another type, not whole, or outside IAM's range. */
const sessionProblem: Problem = ({ where, value: d }) => {
  if (d === undefined) return `${where} is missing; set the deploy role's MaxSessionDuration, a whole number of seconds from ${SESSION_RANGE}, e.g. 3600.`;
  if (typeof d === 'string' && d.trim() !== '' && Number.isFinite(Number(d)))
    return `${where} ${show(d)} is a string; write it as a number without quotes: ${Number(d)}.`;
  if (typeof d !== 'number') return `${where} ${show(d)} is ${kindOf(d)}, not a number; write a whole number of seconds from ${SESSION_RANGE}, e.g. 3600.`;
  if (!Number.isInteger(d)) return `${where} ${d} is not a whole number of seconds; write a whole number from ${SESSION_RANGE}.`;
  return `${where} ${d} is outside ${MIN_SESSION_SECONDS}..${MAX_SESSION_SECONDS} seconds (IAM's limits for a role's MaxSessionDuration).`;
};

const trustedPrincipal = explain({ type: 'string', pattern: ROLE_ARN.source }, ({ where, value: p }) => {
  if (typeof p !== 'string') return `${where} ${show(p)} must be a role ARN string.`;
  if (p.includes('*') || p.includes('?'))
    return `${where} ${show(p)} contains a wildcard; name each role ARN exactly (IAM rejects wildcards in principals and the intent is broad).`;
  return `${where} ${show(p)} is not a role ARN (arn:aws:iam::<12-digit account>:role/<name>); trust named roles, not a whole account.`;
});

const identitySchema = explain(
  {
    type: 'object',
    additionalProperties: false,
    description: 'The identity (source) account where humans and CI hold credentials.',
    required: ['key', 'accountId', 'region'],
    properties: {
      key: keyField('Registry key of the identity account.'),
      accountId: explain(accountIdField('12-digit account id, as a string so leading zeros survive.'), ({ where, value }) =>
        accountIdProblem(where, value).replace(/\.$/, '; trustedPrincipals naming other accounts are checked once it is fixed.'),
      ),
      region: regionField("Region for the identity account's own API calls."),
      hubRoleName: roleField(
        'Optional hub role; when set every provider chains hub role -> target role (chained sessions last at most one hour).',
        'trustline-hub',
      ),
    },
  },
  ({ where, value }) =>
    value === undefined
      ? `${where} is missing; add the identity account as an object with "key", "accountId" and "region" (trustedPrincipals naming other accounts are checked once it is there).`
      : `${where} ${show(value)} is ${kindOf(value)}, not an object with "key", "accountId" and "region" (trustedPrincipals naming other accounts are checked once it is fixed).`,
);

const externalAccountSchema = explain(
  {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'accountId'],
    properties: {
      name: explain(
        { type: 'string', minLength: 1, description: 'Who the account belongs to.' },
        stringProblem('say who the account belongs to, for example "example-monitoring-vendor"', (at) => `${at} "" must be a non-empty string.`),
      ),
      accountId: accountIdField('12-digit account id (string).'),
      description: explain({ type: 'string', description: 'Why this vendor has access.' }, ({ where, value }) => `${where} ${show(value)} must be a string saying why this vendor has access.`),
      externalIdPatterns: externalIdPatternsField(
        'ExternalId patterns the vendor documents and fills in itself, e.g. ["acme@*"]: a fixed tenant part, a separator (@ : / #), then a wildcard. Accepted in place of an exact sts:ExternalId for this vendor only.',
      ),
    },
  },
  ({ where }) => `${where} must be an object with "name" and "accountId".`,
);

const accountSchema = explain(
  {
    type: 'object',
    additionalProperties: false,
    required: ['key', 'accountId', 'environment', 'region', 'deployRoleName', 'trustedPrincipals', 'maxSessionDurationSeconds'],
    properties: {
      key: keyField('Registry key, Nx project name and Pulumi project/stack name.'),
      accountId: accountIdField('12-digit account id (string).'),
      // Which environments are allowed, the file itself says: the schema checks the type, environmentProblem the value.
      environment: explain({ type: 'string', description: 'One of environments.' }, (ctx) =>
        stringProblem(`set one of the registry's environments (${environmentsOf(ctx.root)})`, environmentProblem(ctx.root))(ctx),
      ),
      region: regionField("Default region of the account's stacks."),
      deployRoleName: roleField('The deploy role Pulumi assumes in this account.', 'trustline-deploy'),
      trustedPrincipals: explain(
        {
          type: 'array',
          items: trustedPrincipal,
          minItems: 1,
          description: 'Role ARNs (identity account or registry accounts) allowed to assume the deploy role; never a whole account, never a wildcard.',
        },
        ({ where, value }) =>
          `${where} ${show(value)} must list at least one role ARN allowed to assume the deploy role (an empty list locks everyone out; a whole account is too broad).`,
      ),
      externalId: explain(
        { type: 'string', pattern: EXTERNAL_ID.source, description: 'When set, the deploy role requires this exact sts:ExternalId.' },
        ({ where, value }) => `${where} ${show(value)} is not a valid sts:ExternalId (2 to 1224 of letters, digits and +=,.@:/_-).`,
      ),
      maxSessionDurationSeconds: explain(
        {
          type: 'integer',
          minimum: MIN_SESSION_SECONDS,
          maximum: MAX_SESSION_SECONDS,
          description: `The deploy role's MaxSessionDuration (IAM allows ${MIN_SESSION_SECONDS}..${MAX_SESSION_SECONDS} seconds).`,
        },
        sessionProblem,
      ),
    },
  },
  ({ where }) => `${where} must be an object.`,
);

/**
 * The account registry contract, written once: `accounts.schema.json` is published from it
 * (`npm run schemas`) and {@link validateRegistry} validates with it, in these sentences. What a schema
 * cannot say (environments named by the file itself, unique keys and ids, principals in accounts the
 * registry does not know) is checked after it.
 */
const RegistrySchema = explain(
  {
    type: 'object',
    additionalProperties: false,
    title: 'trustline account registry',
    description:
      "The organization's AWS accounts: one source of truth read by every account project, the access project, the account generator and the trust-guard policy pack. Validated by @trustline/registry (validateRegistry), which reports every problem at once.",
    required: ['organizationId', 'identity', 'accounts'],
    properties: {
      $schema: explain({ type: 'string', description: 'Path to this schema, for editors.' }, ({ where, value }) => `${where} ${show(value)} must be a string (a path or URL of the schema).`),
      organizationId: explain(
        { type: 'string', pattern: ORGANIZATION_ID.source, description: 'AWS Organizations id; trust-guard accepts aws:PrincipalOrgID bounds equal to it.' },
        stringProblem(`set the AWS Organizations id (${ORG_RULE})`, (at, x) => `${at} ${show(x)} is not an AWS Organizations id (${ORG_RULE}).`),
      ),
      bootstrapRoleName: explain(
        {
          type: 'string',
          pattern: ROLE_NAME.source,
          default: DEFAULT_BOOTSTRAP_ROLE,
          description: 'Role that AWS Organizations creates in member accounts; the access project assumes it to create deploy roles.',
        },
        ({ where, value }) => `${where} ${show(value)} is not an IAM role name (${ROLE_RULE}).`,
      ),
      environments: explain(
        {
          type: 'array',
          items: explain({ type: 'string', pattern: ACCOUNT_KEY.source }, environmentsProblem),
          minItems: 1,
          default: DEFAULT_ENVIRONMENTS,
          description: 'Environments an account may belong to.',
        },
        environmentsProblem,
      ),
      identity: identitySchema,
      externalAccounts: explain(
        {
          type: 'array',
          items: externalAccountSchema,
          description: 'Third-party (vendor) accounts; trust-guard allows them only together with an exact sts:ExternalId.',
        },
        ({ where, value }) => `${where} ${show(value)} must be a list.`,
      ),
      accounts: explain(
        { type: 'array', items: accountSchema, description: 'Target accounts, one Pulumi project each under projects/<key>. Kept sorted by key.' },
        ({ where, value }) =>
          value === undefined
            ? `${where} is missing; add a list of account entries (it may be empty: []).`
            : `${where} ${show(value)} must be a list of account entries.`,
      ),
    },
  },
  () => REGISTRY_NOT_AN_OBJECT,
);

/** `accounts[2] ("dev").region`: an account entry is named by its key too, when it has one. */
function registryPath(path: readonly (string | number)[], root: unknown): string {
  const text = formatPath(path);
  if (path[0] !== 'accounts' || typeof path[1] !== 'number' || !isObj(root) || !Array.isArray(root.accounts)) return text;
  const entry: unknown = root.accounts[path[1]];
  if (!isObj(entry) || typeof entry.key !== 'string') return text;
  return text.replace(`accounts[${path[1]}]`, `accounts[${path[1]}] ("${entry.key}")`);
}

export const registryContract = defineContract(RegistrySchema, { $id: 'https://trustline.dev/schemas/accounts.schema.json', where: registryPath, unknownField });

/** What an accounts.json holds, as written (before defaults are filled in and accounts sorted): what the schema above accepts. */
type RegistryInput = Omit<AccountRegistry, 'bootstrapRoleName' | 'environments' | 'externalAccounts'> &
  Partial<Pick<AccountRegistry, 'bootstrapRoleName' | 'environments' | 'externalAccounts'>> & { readonly $schema?: string };

/** The JSON Schema (draft-07) published as `accounts.schema.json`, from the contract validateRegistry runs. */
export function accountsJsonSchema(): Record<string, unknown> {
  return registryContract.jsonSchema();
}

/** What the schema cannot say: environments the file names, principals of unknown accounts, unique keys and ids. */
function crossFieldProblems(input: Obj): string[] {
  const problems: string[] = [];
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const identity = input.identity;
  const identityUsable = isObj(identity) && typeof identity.accountId === 'string' && ACCOUNT_ID.test(identity.accountId);
  const envList = environmentList(input);
  const accountList = list(input.accounts);
  const knownIds = new Set<string>();
  if (isObj(identity) && typeof identity.accountId === 'string') knownIds.add(identity.accountId);
  for (const a of accountList) if (isObj(a) && typeof a.accountId === 'string') knownIds.add(a.accountId);

  // Principals in accounts the registry does not know, grouped by account: a mistyped identity account id
  // is one problem, not one per principal that names the real one.
  const strangers = new Map<string, { at: string; arn: string }[]>();
  accountList.forEach((a, i) => {
    if (!isObj(a)) return;
    const where = registryPath(['accounts', i], input);
    if (envList !== undefined && typeof a.environment === 'string' && !envList.includes(a.environment)) problems.push(environmentProblem(input)(`${where}.environment`, a.environment));
    list(a.trustedPrincipals).forEach((p, j) => {
      const account = typeof p === 'string' && ROLE_ARN.test(p) ? principalAccount(p) : undefined;
      if (account === undefined || knownIds.has(account) || !identityUsable) return;
      strangers.set(account, [...(strangers.get(account) ?? []), { at: `${where}.trustedPrincipals[${j}]`, arn: p as string }]);
    });
  });
  for (const [account, refs] of strangers) {
    const who =
      refs.length === 1
        ? `${refs[0].at} ${show(refs[0].arn)} names`
        : `${refs
            .slice(0, -1)
            .map((r) => r.at)
            .join(', ')} and ${refs[refs.length - 1].at} name`;
    const identityId = isObj(identity) ? identity.accountId : undefined;
    problems.push(
      `${who} account ${account}, which is neither the identity account${typeof identityId === 'string' ? ` (${identityId})` : ''} nor an account in this registry.`,
    );
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
  list(input.externalAccounts).forEach((e, i) => {
    if (isObj(e) && typeof e.accountId === 'string' && seenIds.has(e.accountId)) {
      problems.push(`externalAccounts[${i}].accountId "${e.accountId}" is also ${seenIds.get(e.accountId)}; an account is either ours or external.`);
    }
  });
  return problems;
}

/**
 * Validates a parsed registry document and returns it typed. Collects every problem and throws one
 * {@link RegistryError} listing them all, each naming the entry and the field.
 */
export function validateRegistry(input: unknown, source = 'accounts.json'): AccountRegistry {
  const problems = [...registryContract.problems(input), ...(isObj(input) ? crossFieldProblems(input) : [])];
  if (problems.length > 0) throw new RegistryError(source, problems);
  const r = input as RegistryInput;
  return {
    organizationId: r.organizationId,
    bootstrapRoleName: r.bootstrapRoleName ?? DEFAULT_BOOTSTRAP_ROLE,
    environments: r.environments ?? DEFAULT_ENVIRONMENTS,
    identity: r.identity,
    externalAccounts: r.externalAccounts ?? [],
    accounts: [...r.accounts].sort((x, y) => x.key.localeCompare(y.key)),
  };
}
