import { JsonError, jsonProblem, parseJson } from '@trustline/json';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type GeneratorCallback, type Tree, OverwriteStrategy, generateFiles, getProjects, logger } from '@nx/devkit';
import {
  ACCOUNT_ID,
  ACCOUNT_KEY,
  AWS_REGIONS,
  ORGANIZATION_ID,
  ROLE_NAME,
  type AccountEntry,
  type AccountRegistry,
  REGISTRY_FILE,
  RegistryError,
  detectJsonFormat,
  formatJson,
  validateRegistry,
} from '@trustline/registry';
import {
  GRAPH_CLI,
  afterRegistryChange,
  afterRegistryChangeNotice,
  graphDraws,
  lockfileRecords,
  stepsLeftUndone,
} from '../../lib/after-registry-change';
import { findAccountReferences, referenceProblem } from '../../lib/account-references';
import { GeneratorInputError } from '../../lib/errors';
import { commitRegistryEdit, readRegistryDocument, registryOnDisk } from '../../lib/registry-file';
import { classifyProjectFiles } from '../../lib/rendered-project';
import { TEMPLATES_DIR, templateSubstitutions } from '../account/generator';
import { PROJECTS_DIR, planOnboarding } from '../account/plan';
import type { OrgInitGeneratorSchema } from './schema';

/** The organization to adopt: what `npm run org:init` collects from its flags (and `--file`). */
export interface OrgSpec {
  readonly organizationId: string;
  readonly identity: { readonly key?: string; readonly accountId: string; readonly region: string; readonly hubRoleName?: string };
  /** @default ["dev", "test", "prod"] */
  readonly environments?: readonly string[];
  /** @default the current registry's, else "OrganizationAccountAccessRole" */
  readonly bootstrapRoleName?: string;
  /** Third-party accounts allowed to assume roles with an ExternalId. @default [] (the sample vendor goes) */
  readonly externalAccounts?: readonly { readonly name: string; readonly accountId: string; readonly description?: string }[];
  /** The first accounts; each gets the account generator's defaults, as `account:add` would give it. */
  readonly accounts: readonly { readonly key: string; readonly accountId: string; readonly environment?: string; readonly region?: string; readonly externalId?: string }[];
}

export const DEFAULT_IDENTITY_KEY = 'identity';
export const DEFAULT_HUB_ROLE_NAME = 'trustline-hub';
export const IDENTITY_STACK_FILE = 'Pulumi.identity.yaml';
/** The registry schema as the root accounts.json names it (the fixture's `$schema` is relative to its own folder). */
export const ROOT_SCHEMA_REF = './packages/registry/accounts.schema.json';

/** Reads the spec file named by `--file`, naming the file in every error. */
export function readOrgSpec(file: string): OrgSpec {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new GeneratorInputError('adopt the organization', [`the spec file ${file} cannot be read: ${(e as Error).message}`]);
  }
  try {
    // The one strict reader of every input: BOM and UTF-16 as in accounts.json, a key given twice refused.
    return parseJson(bytes, { file }) as OrgSpec;
  } catch (e) {
    if (!(e instanceof JsonError)) throw e;
    throw new GeneratorInputError('adopt the organization', [`the spec file ${file}: ${jsonProblem(e)}`]);
  }
}

const problemsOf = (e: unknown): readonly string[] => {
  if (e instanceof RegistryError || e instanceof GeneratorInputError) return e.problems;
  throw e;
};

/** What the tree's recorded changes are, to tell whether a run added any (a test tree carries earlier ones). */
const changeSignature = (tree: Tree): string =>
  JSON.stringify(tree.listChanges().map((c) => [c.type, c.path, c.content?.toString('base64') ?? null]));

/** Stands in for an identity account id that is not valid, so each account is still checked against the rest. */
const STAND_IN_ACCOUNT_ID = '000000000000';
/** Stands in for an organization id that is not valid (it is not written anywhere). */
const STAND_IN_ORGANIZATION_ID = 'o-0000000000';
const DEFAULT_ENVIRONMENTS = ['dev', 'test', 'prod'];

const isString = (v: unknown): v is string => typeof v === 'string';
const matches = (re: RegExp, v: unknown): v is string => isString(v) && re.test(v);

/**
 * A valid registry with `header`'s usable values and stand-ins for the rest (the wrong values are problems
 * of the header already): each account is then checked once against it, so an account's own problems are
 * listed with the header's, in one pass, and an invalid identity region is not repeated for every account
 * that inherits it. Undefined only if even the stand-ins do not validate.
 */
function standInRegistry(header: Record<string, unknown>, accounts: readonly OrgSpec['accounts'][number][]): AccountRegistry | undefined {
  const identity = (header.identity ?? {}) as Record<string, unknown>;
  const envs = header.environments;
  const usableEnvs = Array.isArray(envs) && envs.length > 0 && envs.every((e) => matches(ACCOUNT_KEY, e)) ? (envs as string[]) : undefined;
  // Environments that are themselves wrong: every account's environment is taken as allowed (checked once they are fixed).
  const accountEnvs = [...new Set(accounts.map((a) => a?.environment).filter((e): e is string => matches(ACCOUNT_KEY, e)))];
  const base = {
    organizationId: matches(ORGANIZATION_ID, header.organizationId) ? header.organizationId : STAND_IN_ORGANIZATION_ID,
    bootstrapRoleName: matches(ROLE_NAME, header.bootstrapRoleName) ? header.bootstrapRoleName : 'OrganizationAccountAccessRole',
    environments: usableEnvs ?? (accountEnvs.length > 0 ? accountEnvs : DEFAULT_ENVIRONMENTS),
    identity: {
      key: matches(ACCOUNT_KEY, identity.key) ? identity.key : DEFAULT_IDENTITY_KEY,
      accountId: matches(ACCOUNT_ID, identity.accountId) ? identity.accountId : STAND_IN_ACCOUNT_ID,
      region: isString(identity.region) && AWS_REGIONS.includes(identity.region) ? identity.region : 'us-east-1',
      hubRoleName: matches(ROLE_NAME, identity.hubRoleName) ? identity.hubRoleName : DEFAULT_HUB_ROLE_NAME,
    },
    accounts: [],
  };
  const externals = Array.isArray(header.externalAccounts) ? (header.externalAccounts as unknown[]) : [];
  for (const externalAccounts of [externals, externals.filter((e) => matches(ACCOUNT_ID, (e as { accountId?: unknown } | null)?.accountId)).map((e) => ({ name: 'external', accountId: (e as { accountId: string }).accountId })), []]) {
    try {
      return validateRegistry({ ...base, externalAccounts }, REGISTRY_FILE);
    } catch (e) {
      problemsOf(e);
    }
  }
  return undefined;
}

/**
 * The new registry for `spec`: the identity, organization and environments as given, and one entry per
 * account with the defaults `account:add` uses (deploy role name, the hub role as trusted principal,
 * one-hour sessions), each checked as `account:add` checks it. The whole spec is checked in one pass
 * (the organization, the identity, the environments and vendors, every field of every account, keys and
 * ids given twice) and every problem is collected.
 *
 * @param projects Nx project name to root for the projects that stay (the sample accounts' excluded).
 */
export function planOrganization(
  spec: OrgSpec,
  current: Readonly<Record<string, unknown>>,
  projects: ReadonlyMap<string, string>,
): { raw?: Record<string, unknown>; registry?: AccountRegistry; problems: string[] } {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    return { problems: ['the spec must be a JSON object with organizationId, identity and accounts.'] };
  }
  const identity = spec.identity ?? ({} as OrgSpec['identity']);
  const header: Record<string, unknown> = {
    $schema: ROOT_SCHEMA_REF,
    organizationId: spec.organizationId,
    bootstrapRoleName: spec.bootstrapRoleName ?? current.bootstrapRoleName ?? 'OrganizationAccountAccessRole',
    environments: spec.environments ?? DEFAULT_ENVIRONMENTS,
    identity: {
      key: identity.key ?? DEFAULT_IDENTITY_KEY,
      accountId: identity.accountId,
      region: identity.region,
      hubRoleName: identity.hubRoleName ?? DEFAULT_HUB_ROLE_NAME,
    },
    externalAccounts: spec.externalAccounts ?? [],
    accounts: [],
  };
  const problems: string[] = [];
  let headerRegistry: AccountRegistry | undefined;
  try {
    headerRegistry = validateRegistry(header, REGISTRY_FILE);
  } catch (e) {
    problems.push(...problemsOf(e));
  }

  const accounts = Array.isArray(spec.accounts) ? spec.accounts : [];
  if (spec.accounts !== undefined && !Array.isArray(spec.accounts)) {
    problems.push(`accounts ${JSON.stringify(spec.accounts)} must be a list of accounts, e.g. [{"key": "web-dev", "accountId": "123456789012", "environment": "dev"}].`);
  } else if (accounts.length === 0) {
    problems.push('accounts must list at least one account to onboard, e.g. --account web-dev:123456789012:dev (key:accountId:environment[:region]).');
  }
  const checkedAgainst = headerRegistry ?? standInRegistry(header, accounts);
  if (checkedAgainst === undefined) return { problems };
  // An entry with every field valid, to check the fields account:add does not take (externalId) with the registry's own contract.
  let sample: AccountEntry | undefined;
  try {
    const sampleId = checkedAgainst.identity.accountId === '000000000001' ? '000000000002' : '000000000001';
    sample = planOnboarding(checkedAgainst, { name: 'stand-in', accountId: sampleId, environment: checkedAgainst.environments[0] }, new Map()).entry;
  } catch (e) {
    problemsOf(e);
  }

  const seenKeys = new Map<string, string>();
  const seenIds = new Map<string, string>();
  const entries: AccountEntry[] = [];
  accounts.forEach((a, i) => {
    const where = `accounts[${i}] (${JSON.stringify(a?.key ?? '')})`;
    const own: string[] = [];
    const key: unknown = a?.key;
    const id: unknown = a?.accountId;
    if (isString(key) && seenKeys.has(key)) {
      own.push(`key "${key}" is also ${seenKeys.get(key)}; each account is listed once, under its own key.`);
    } else if (isString(id) && seenIds.has(id)) {
      own.push(`accountId "${id}" is also ${seenIds.get(id)}; each AWS account has exactly one registry entry.`);
    }
    if (isString(key) && !seenKeys.has(key)) seenKeys.set(key, where);
    if (isString(id) && !seenIds.has(id)) seenIds.set(id, where);
    if (typeof id === 'number') {
      own.push(`accountId ${id} is a number; write it as a 12-digit string so leading zeros survive (e.g. "012345678901").`);
    }
    let entry: AccountEntry | undefined;
    try {
      entry = planOnboarding(checkedAgainst, { name: key as string, accountId: id as string, environment: a?.environment, region: a?.region }, projects).entry;
    } catch (e) {
      // A number's own sentence is above; account:add's (pass it through the npm script) does not fit a spec file.
      own.push(...problemsOf(e).filter((p) => typeof id !== 'number' || !p.startsWith('accountId ')));
    }
    if (a?.externalId !== undefined && sample) {
      try {
        validateRegistry({ ...checkedAgainst, accounts: [{ ...sample, externalId: a.externalId }] }, REGISTRY_FILE);
      } catch (e) {
        own.push(...problemsOf(e).map((p) => p.replace(/^accounts\[0\] \("[^"]*"\)\./, '')));
      }
    }
    problems.push(...own.map((p) => `${where}: ${p}`));
    if (entry && own.length === 0) entries.push(a.externalId === undefined ? entry : { ...entry, externalId: a.externalId });
  });
  if (problems.length > 0 || !headerRegistry) return { problems };
  const raw = { ...header, accounts: [...entries].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0)).map((e) => ({ ...e })) };
  try {
    return { raw, registry: validateRegistry(raw, REGISTRY_FILE), problems };
  } catch (e) {
    return { problems: [...problemsOf(e)] };
  }
}

/**
 * Adopts the repository for an organization in one step: replaces the registry (organization id,
 * identity account and hub role, environments, vendors, accounts) and the sample account projects with
 * the organization's, sets the access stack's region, then records package-lock.json and redraws the
 * trust graph, so `npm test` and `npm start` pass on the result.
 *
 * Refuses, writing nothing, with one error listing every problem at once: the spec's (checked in one
 * pass, {@link planOrganization}), each place where other code still references an account that goes
 * ({@link findAccountReferences}), and each project that goes while it holds files the generator did not
 * create or that were edited (unless `force`). Reruns are safe: a project already rendered for the new registry
 * is kept, and the lockfile and graph steps run again while they do not show the new accounts.
 */
export async function orgInitGenerator(tree: Tree, options: OrgInitGeneratorSchema): Promise<GeneratorCallback | void> {
  const { raw: currentRaw, registry: current, text: currentText } = readRegistryDocument(tree);
  const changesBefore = changeSignature(tree);
  const spec = readOrgSpec(path.resolve(options.file));

  const oldRoots = new Set(current.accounts.map((a) => `${PROJECTS_DIR}/${a.key}`));
  const allProjects = [...getProjects(tree)].map(([name, config]) => ({ name, root: config.root, tags: config.tags }));
  const staying = new Map(allProjects.filter((p) => !oldRoots.has(p.root)).map((p) => [p.name, p.root]));
  const plan = planOrganization(spec, currentRaw, staying);
  const next = plan.registry;
  // The accounts the spec keeps (same key and id); without a valid plan, as the spec names them, so the
  // workspace's problems (edited sample projects, references) are listed with the spec's, in one error.
  const specAccounts = Array.isArray(spec?.accounts) ? spec.accounts : [];
  const nextByKey = new Map<string, { key: string; accountId: unknown }>(
    next ? next.accounts.map((a) => [a.key, a]) : specAccounts.filter((a) => typeof a?.key === 'string').map((a) => [a.key, a]),
  );

  const problems: string[] = [...plan.problems];
  const removed: AccountEntry[] = [];
  const replaced: string[] = [];
  for (const old of current.accounts) {
    const root = `${PROJECTS_DIR}/${old.key}`;
    const successor = nextByKey.get(old.key);
    if (successor === undefined || successor.accountId !== old.accountId) removed.push(old);
    if (!tree.exists(root)) continue;
    // Already rendered for the new registry (a rerun): kept.
    const successorEntry = next?.accounts.find((a) => a.key === old.key);
    if (next && successorEntry) {
      const asNew = classifyProjectFiles(tree, root, successorEntry, next);
      if (asNew.edited.length === 0 && asNew.foreign.length === 0) continue;
    }
    const files = classifyProjectFiles(tree, root, old, current);
    if (!options.force && files.edited.length + files.foreign.length > 0) {
      problems.push(
        `${root} has files that were edited or that the generator did not create (${[...files.edited, ...files.foreign].sort().join(', ')}); ` +
          'keep what you need elsewhere, then rerun with --force to replace the folder.',
      );
    }
    replaced.push(root);
  }
  const newRoots = [...nextByKey.keys()].map((key) => `${PROJECTS_DIR}/${key}`);
  const references = findAccountReferences(
    tree,
    removed.map((a) => ({ key: a.key, accountId: a.accountId })),
    [...oldRoots, ...newRoots],
  );
  problems.push(...references.map(referenceProblem));
  if (problems.length > 0 || !plan.raw || !next) throw new GeneratorInputError('adopt the organization', problems);

  logger.info(
    [
      `Adopting organization ${next.organizationId}: identity account "${next.identity.key}" (${next.identity.accountId}, ${next.identity.region}, hub role ${next.identity.hubRoleName}), environments ${next.environments.join(', ')}.`,
      ...(removed.length > 0 ? [`Removing accounts: ${removed.map((a) => `${a.key} (${a.accountId})`).join(', ')}.`] : []),
      `Accounts: ${next.accounts.map((a) => `${a.key} (${a.accountId}, ${a.environment}, ${a.region})`).join(', ')}.`,
      ...(replaced.length > 0 ? [`Deleting and re-rendering project folders: ${replaced.join(', ')}.`] : []),
    ].join('\n'),
  );

  const onDisk = registryOnDisk(tree);
  const nextText = formatJson(plan.raw, detectJsonFormat(currentText));
  const registryChanges = nextText !== currentText;
  if (registryChanges) {
    if (onDisk) logger.info(`UPDATE ${REGISTRY_FILE} (after the project files are written, as one locked transaction)`);
    else tree.write(REGISTRY_FILE, nextText);
  }
  for (const root of replaced) tree.delete(root);
  for (const entry of next.accounts) {
    generateFiles(tree, TEMPLATES_DIR, `${PROJECTS_DIR}/${entry.key}`, templateSubstitutions(entry, next), { overwriteStrategy: OverwriteStrategy.KeepExisting });
  }
  const stack = tree.read(IDENTITY_STACK_FILE, 'utf-8');
  if (stack !== null) {
    const updated = stack.replace(/^(\s*aws:region:\s*)\S+/m, `$1${next.identity.region}`);
    if (updated !== stack) tree.write(IDENTITY_STACK_FILE, updated);
  }

  const goneRoots = removed.map((a) => `${PROJECTS_DIR}/${a.key}`).filter((r) => !newRoots.includes(r));
  const lockfileDone = (root: string) => newRoots.every((r) => lockfileRecords(root, r)) && !goneRoots.some((r) => lockfileRecords(root, r));
  const graphDone = (root: string) =>
    next.accounts.every((a) => graphDraws(root, a.key, a.accountId)) && !removed.some((a) => graphDraws(root, a.key, a.accountId));
  const unfinished =
    onDisk && stepsLeftUndone(tree.root, options, { lockfileDone, graphDone }, { lockfile: 'does not record the new accounts', graph: 'does not draw them' }).length > 0;
  if (!registryChanges && changeSignature(tree) === changesBefore && !unfinished) {
    logger.info(`The registry and the account projects already describe organization ${next.organizationId}. Nothing to do.`);
    return;
  }
  const notice = afterRegistryChangeNotice(options, tree.exists(GRAPH_CLI));
  if (notice) logger.info(notice);

  return () => {
    if (onDisk && registryChanges) commitRegistryEdit(tree.root, () => ({ ...plan.raw }));
    afterRegistryChange(tree.root, options, { lockfileDone, graphDone });
    logger.info(
      [
        `Adopted organization ${next.organizationId} with ${next.accounts.length} account(s).`,
        'Next steps:',
        '  1. npm test && npm start: everything passes offline on your registry.',
        `  2. Review and commit accounts.json, projects/, ${IDENTITY_STACK_FILE}, package-lock.json, README.md and docs/.`,
        '  3. Deploying for real (README "Deploying for real"): npm run doctor -- --bootstrap, then npx nx run access:up.',
      ].join('\n'),
    );
  };
}

export default orgInitGenerator;

