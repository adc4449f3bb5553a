import {
  ACCOUNT_ID,
  ACCOUNT_KEY,
  AWS_REGIONS,
  CHAINED_SESSION_MAX_SECONDS,
  type AccountEntry,
  type AccountRegistry,
  roleArn,
} from '@trustline/registry';
import { GeneratorInputError } from '../../lib/errors';
import type { AccountGeneratorSchema } from './schema';

/** Where account projects live; the project folder is `projects/<key>`. */
export const PROJECTS_DIR = 'projects';

/** Used when the registry has no account to copy the deploy role name from. */
export const DEFAULT_DEPLOY_ROLE_NAME = 'trustline-deploy';

/** A new account's deploy role MaxSessionDuration: every deploy session is chained, so capped at this anyway. */
export const NEW_ACCOUNT_SESSION_SECONDS = CHAINED_SESSION_MAX_SECONDS;

/**
 * Names of the workspace's own projects. Refused as account keys even in a tree where the project does
 * not exist (yet), because an account key becomes an Nx project name and an npm package suffix.
 */
export const RESERVED_KEYS: readonly string[] = [
  'access',
  'components',
  'identity',
  'integration-tests',
  'offline-preview',
  'registry',
  'testing',
  'trust',
  'trust-guard',
  'workspace-plugin',
];

/** What the generator will do: the entry as it is (or will be) in the registry. */
export interface OnboardingPlan {
  readonly entry: AccountEntry;
  /** True when the registry already holds exactly this account: only missing project files are created. */
  readonly alreadyRegistered: boolean;
  /** `projects/<key>`. */
  readonly projectRoot: string;
}

const quoteList = (values: readonly string[]): string => values.map((v) => JSON.stringify(v)).join(', ');

/** The deploy role name most accounts use (first in key order on a tie), so a new account matches its peers. */
export function usualDeployRoleName(registry: AccountRegistry): string {
  const counts = new Map<string, number>();
  for (const a of registry.accounts) counts.set(a.deployRoleName, (counts.get(a.deployRoleName) ?? 0) + 1);
  let best = DEFAULT_DEPLOY_ROLE_NAME;
  let bestCount = 0;
  for (const [name, count] of counts) {
    if (count > bestCount) [best, bestCount] = [name, count];
  }
  return best;
}

/**
 * Set by the npm wrapper (scripts/account-cli.mjs) to the `--accountId` text exactly as typed. Nx's own
 * parser turns number-like text into numbers (`1e11` -> 100000000000, `0x67748580AB` -> 444336537771,
 * `111111111111.0` -> 111111111111) before the generator sees it; an environment variable it cannot.
 */
export const RAW_ACCOUNT_ID_ENV = 'TRUSTLINE_RAW_ACCOUNT_ID';

/** The `--accountId` text as typed, and where it was found (named in problem sentences). */
export interface RawAccountId {
  readonly text: string;
  readonly source: string;
}

const ACCOUNT_ID_FLAGS = ['--accountId', '--account-id'];

/**
 * Where the `--accountId` text as typed may be found, in order: `$TRUSTLINE_RAW_ACCOUNT_ID` (the npm
 * wrapper), then the last `--accountId`/`--account-id` token of `argv` (`nx g` runs generators in its own
 * process, so `process.argv` still holds the token Nx parsed). Empty when neither has it: a generator
 * called from code or from another generator.
 */
export function rawAccountIdCandidates(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = process.argv): RawAccountId[] {
  const found: RawAccountId[] = [];
  const fromEnv = env[RAW_ACCOUNT_ID_ENV];
  if (fromEnv !== undefined) found.push({ text: fromEnv, source: `$${RAW_ACCOUNT_ID_ENV}` });
  let fromArgv: RawAccountId | undefined;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    for (const flag of ACCOUNT_ID_FLAGS) {
      if (token.startsWith(`${flag}=`)) fromArgv = { text: token.slice(flag.length + 1), source: 'the command line' };
      else if (token === flag && i + 1 < argv.length) fromArgv = { text: argv[i + 1], source: 'the command line' };
    }
  }
  if (fromArgv) found.push(fromArgv);
  return found;
}

/** Whether `raw` is the text Nx parsed into `value` (so it is the same argument, not a stale one). */
const sameArgument = (raw: string, value: unknown): boolean =>
  typeof value === 'number' ? raw.trim() !== '' && Number(raw) === value : raw === value;

/**
 * The account id as text, checked against `^\d{12}$` as the user typed it. Nx leaves `012345678901`
 * a string but turns other number-like text into a number, so the typed text is taken from the first
 * of `candidates` (see {@link rawAccountIdCandidates}) that is the same argument as `value`, and a
 * number without such text is refused: `1e11` or `0x67748580AB` are refused as typed, never rewritten
 * into a 12-digit id. Anything else is a problem sentence.
 */
export function normaliseAccountId(value: unknown, candidates: readonly RawAccountId[] = []): { id?: string; problem?: string } {
  if (value === undefined || value === null || value === '') {
    return { problem: 'accountId is required: the 12-digit AWS account id, as text (for example "012345678901").' };
  }
  const notAnId = (shown: string) => `accountId ${shown} is not a 12-digit AWS account id (keep it a string: "012345678901").`;
  const typed = candidates.find((c) => sameArgument(c.text, value));
  if (typed !== undefined) {
    return ACCOUNT_ID.test(typed.text) ? { id: typed.text } : { problem: notAnId(JSON.stringify(typed.text)) };
  }
  if (typeof value === 'number') {
    return {
      problem:
        `accountId ${String(value)} arrived as a number, and the text it was typed as cannot be checked (Nx turns number-like ` +
        'text such as 1e11 or 0x67748580AB into numbers and drops leading zeros); pass it through the npm script ' +
        '(npm run account:add -- --accountId <12 digits>) or to nx g as --accountId=<12 digits>.',
    };
  }
  if (typeof value !== 'string' || !ACCOUNT_ID.test(value)) return { problem: notAnId(JSON.stringify(value)) };
  return { id: value };
}

/**
 * Checks the options against the registry and the workspace's projects and works out the new entry.
 * Throws one {@link GeneratorInputError} listing every problem; it never looks at or changes files.
 *
 * @param projects Nx project name to project root, for every project in the workspace.
 * @param rawAccountIds Where the `--accountId` text as typed may be found (see {@link rawAccountIdCandidates}).
 */
export function planOnboarding(
  registry: AccountRegistry,
  options: AccountGeneratorSchema,
  projects: ReadonlyMap<string, string>,
  rawAccountIds: readonly RawAccountId[] = [],
): OnboardingPlan {
  const problems: string[] = [];
  const rawName: unknown = options.name;
  const key = typeof rawName === 'string' ? rawName : '';
  const projectRoot = `${PROJECTS_DIR}/${key}`;
  const environments = registry.environments;

  // name
  if (rawName === undefined || rawName === '') {
    problems.push('name is required: the account key, e.g. "qa" (it becomes the Nx project, the Pulumi stack and the folder projects/<name>).');
  } else if (typeof rawName !== 'string' || !ACCOUNT_KEY.test(rawName)) {
    problems.push(
      `name ${JSON.stringify(rawName)} is not a valid account key: use 2 to 40 lower-case letters, digits and dashes, ` +
        'starting with a letter and not ending with a dash (it becomes the Nx project and Pulumi stack name).',
    );
  } else if (key === registry.identity.key) {
    problems.push(`name "${key}" is the registry's identity account; the identity account holds credentials and is not onboarded as a target. Pick another key.`);
  } else if (RESERVED_KEYS.includes(key)) {
    problems.push(`name "${key}" is reserved for one of the workspace's own projects (${RESERVED_KEYS.join(', ')}). Pick another key.`);
  } else if (projects.has(key) && projects.get(key) !== projectRoot) {
    problems.push(`name "${key}" is already the Nx project at ${projects.get(key)}; account keys double as project names, so pick another key.`);
  }

  // accountId
  const { id, problem: idProblem } = normaliseAccountId(options.accountId, rawAccountIds);
  if (idProblem) problems.push(idProblem);

  // the account as the registry knows it already
  const existing = registry.accounts.find((a) => a.key === key);
  let alreadyRegistered = false;
  if (existing) {
    if (id === undefined || existing.accountId !== id) {
      problems.push(
        `name "${key}" is already in the registry as account ${existing.accountId}; pick another key, ` +
          `or remove that account first with npm run account:remove -- --name ${key}.`,
      );
    } else {
      const differs: string[] = [];
      if (options.environment && existing.environment !== options.environment) differs.push(`environment "${existing.environment}", not "${options.environment}"`);
      if (options.region && existing.region !== options.region) differs.push(`region "${existing.region}", not "${options.region}"`);
      if (differs.length > 0) {
        problems.push(
          `account "${key}" (${id}) is already onboarded with ${differs.join(' and ')}; ` +
            'the generator never rewrites an existing entry, so change it in accounts.json by hand.',
        );
      } else {
        alreadyRegistered = true;
      }
    }
  }
  if (id !== undefined) {
    const owner = registry.accounts.find((a) => a.accountId === id && a.key !== key);
    const external = registry.externalAccounts.find((e) => e.accountId === id);
    if (registry.identity.accountId === id) {
      problems.push(`accountId "${id}" is the identity account "${registry.identity.key}"; the identity account holds credentials and is not onboarded as a target.`);
    } else if (owner) {
      problems.push(`accountId "${id}" is already onboarded as "${owner.key}"; each AWS account has exactly one registry entry.`);
    } else if (external) {
      problems.push(`accountId "${id}" is the external account "${external.name}"; an account is either ours or external, never both.`);
    }
  }

  // environment (a rerun for a registered account takes it from the entry)
  let environment = options.environment;
  if (environment === undefined || environment === '') {
    if (alreadyRegistered && existing) environment = existing.environment;
    else if (environments.includes(key)) environment = key;
    else if (ACCOUNT_KEY.test(key)) {
      problems.push(`environment is required because name "${key}" is not one of the registry's environments; pass --environment with one of ${quoteList(environments)}.`);
    }
  } else if (!environments.includes(environment)) {
    problems.push(
      `environment ${JSON.stringify(environment)} is not one of the registry's environments (${quoteList(environments)}); ` +
        'use one of them, or add it to "environments" in accounts.json first.',
    );
  }

  // region
  const region = options.region === undefined || options.region === '' ? registry.identity.region : options.region;
  if (!AWS_REGIONS.includes(region)) {
    problems.push(`region ${JSON.stringify(region)} is not a known AWS region (for example "eu-west-1" or "us-east-1").`);
  }

  const hub = registry.identity.hubRoleName;
  if (!existing && !hub) {
    problems.push(
      'the identity account has no hubRoleName, so there is no default trusted principal for the deploy role; ' +
        'add "hubRoleName" to identity in accounts.json.',
    );
  }

  if (problems.length > 0) throw new GeneratorInputError(`onboard account ${JSON.stringify(rawName ?? '')}`, problems);

  if (existing && alreadyRegistered) return { entry: existing, alreadyRegistered, projectRoot };
  const entry: AccountEntry = {
    key,
    accountId: id as string,
    environment: environment as string,
    region,
    deployRoleName: usualDeployRoleName(registry),
    trustedPrincipals: [roleArn(registry.identity.accountId, hub as string, registry.identity.region)],
    maxSessionDurationSeconds: NEW_ACCOUNT_SESSION_SECONDS,
  };
  return { entry, alreadyRegistered: false, projectRoot };
}
