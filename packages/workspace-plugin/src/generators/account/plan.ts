import {
  ACCOUNT_ID,
  ACCOUNT_KEY,
  AWS_REGIONS,
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

/** A new account's deploy role MaxSessionDuration: chained sessions are capped at one hour anyway. */
export const DEFAULT_MAX_SESSION_SECONDS = 3600;

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
 * The account id as text. Nx leaves `012345678901` a string (its parser never reads a leading-zero
 * token as a number) but turns `111111111111` into a number; a 12-digit number lost nothing, so it
 * is accepted. Anything else is a problem sentence.
 */
export function normaliseAccountId(value: unknown): { id?: string; problem?: string } {
  if (value === undefined || value === null || value === '') {
    return { problem: 'accountId is required: the 12-digit AWS account id, as text (for example "012345678901").' };
  }
  if (typeof value === 'number') {
    const text = String(value);
    if (Number.isSafeInteger(value) && ACCOUNT_ID.test(text)) return { id: text };
    return {
      problem:
        `accountId ${text} is not a 12-digit AWS account id (keep it a string: "012345678901"); ` +
        'it arrived as a number, so leading zeros, if it had any, were lost on the way.',
    };
  }
  if (typeof value !== 'string' || !ACCOUNT_ID.test(value)) {
    return { problem: `accountId ${JSON.stringify(value)} is not a 12-digit AWS account id (keep it a string: "012345678901").` };
  }
  return { id: value };
}

/**
 * Checks the options against the registry and the workspace's projects and works out the new entry.
 * Throws one {@link GeneratorInputError} listing every problem; it never looks at or changes files.
 *
 * @param projects Nx project name to project root, for every project in the workspace.
 */
export function planOnboarding(
  registry: AccountRegistry,
  options: AccountGeneratorSchema,
  projects: ReadonlyMap<string, string>,
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
  const { id, problem: idProblem } = normaliseAccountId(options.accountId);
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

  // environment
  let environment = options.environment;
  if (environment === undefined || environment === '') {
    if (environments.includes(key)) environment = key;
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
    maxSessionDurationSeconds: DEFAULT_MAX_SESSION_SECONDS,
  };
  return { entry, alreadyRegistered: false, projectRoot };
}
