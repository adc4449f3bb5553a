import { JsonError, jsonProblem, parseJson } from '@trustline/json';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type GeneratorCallback, type Tree, OverwriteStrategy, generateFiles, getProjects, logger } from '@nx/devkit';
import {
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
import { GeneratorInputError } from '../../lib/errors';
import { commitRegistryEdit, readRegistryDocument, registryOnDisk } from '../../lib/registry-file';
import { classifyProjectFiles } from '../../lib/rendered-project';
import { TEMPLATES_DIR, templateSubstitutions } from '../account/generator';
import { PROJECTS_DIR, planOnboarding } from '../account/plan';
import { projectReferences } from '../remove-account/references';
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

/**
 * The new registry for `spec`: the identity, organization and environments as given, and one entry per
 * account with the defaults `account:add` uses (deploy role name, the hub role as trusted principal,
 * one-hour sessions), each checked as `account:add` checks it. Every problem is collected.
 *
 * @param projects Nx project name to root for the projects that stay (the sample accounts' excluded).
 */
export function planOrganization(
  spec: OrgSpec,
  current: Readonly<Record<string, unknown>>,
  projects: ReadonlyMap<string, string>,
): { raw?: Record<string, unknown>; registry?: AccountRegistry; problems: string[] } {
  const problems: string[] = [];
  if (typeof spec !== 'object' || spec === null) return { problems: ['the spec must be a JSON object with organizationId, identity and accounts.'] };
  const identity = spec.identity ?? ({} as OrgSpec['identity']);
  const header: Record<string, unknown> = {
    $schema: ROOT_SCHEMA_REF,
    organizationId: spec.organizationId,
    bootstrapRoleName: spec.bootstrapRoleName ?? current.bootstrapRoleName ?? 'OrganizationAccountAccessRole',
    environments: spec.environments ?? ['dev', 'test', 'prod'],
    identity: {
      key: identity.key ?? DEFAULT_IDENTITY_KEY,
      accountId: identity.accountId,
      region: identity.region,
      hubRoleName: identity.hubRoleName ?? DEFAULT_HUB_ROLE_NAME,
    },
    externalAccounts: spec.externalAccounts ?? [],
    accounts: [],
  };
  let registry: AccountRegistry;
  try {
    registry = validateRegistry(header, REGISTRY_FILE);
  } catch (e) {
    return { problems: [...problemsOf(e)] };
  }
  const accounts = Array.isArray(spec.accounts) ? spec.accounts : [];
  if (accounts.length === 0) {
    problems.push('accounts must list at least one account to onboard, e.g. --account web-dev:123456789012:dev (key:accountId:environment[:region]).');
  }
  const entries: AccountEntry[] = [];
  accounts.forEach((a, i) => {
    const where = `accounts[${i}] (${JSON.stringify(a?.key ?? '')})`;
    if (typeof a?.accountId === 'number') {
      problems.push(`${where}: accountId ${a.accountId} is a number; write it as a 12-digit string so leading zeros survive (e.g. "012345678901").`);
      return;
    }
    try {
      const { entry } = planOnboarding(registry, { name: a?.key, accountId: a?.accountId, environment: a?.environment, region: a?.region }, projects);
      const withId: AccountEntry = a.externalId === undefined ? entry : { ...entry, externalId: a.externalId };
      entries.push(withId);
      registry = validateRegistry({ ...header, accounts: [...entries] }, REGISTRY_FILE);
    } catch (e) {
      problems.push(...problemsOf(e).map((p) => `${where}: ${p}`));
    }
  });
  if (problems.length > 0) return { problems };
  const raw = { ...header, accounts: [...entries].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0)).map((e) => ({ ...e })) };
  return { raw, registry: validateRegistry(raw, REGISTRY_FILE), problems };
}

/**
 * Adopts the repository for an organization in one step: replaces the registry (organization id,
 * identity account and hub role, environments, vendors, accounts) and the sample account projects with
 * the organization's, sets the access stack's region, then records package-lock.json and redraws the
 * trust graph, so `npm test` and `npm start` pass on the result.
 *
 * Refuses, writing nothing, when the spec is invalid, when code outside the account projects still
 * references an account that goes, or when a project that goes holds files the generator did not create
 * or that were edited (unless `force`). Reruns are safe: a project already rendered for the new registry
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
  if (!plan.raw || !plan.registry) throw new GeneratorInputError('adopt the organization', plan.problems);
  const next = plan.registry;
  const nextByKey = new Map(next.accounts.map((a) => [a.key, a]));

  const problems: string[] = [];
  const removed: AccountEntry[] = [];
  const replaced: string[] = [];
  for (const old of current.accounts) {
    const root = `${PROJECTS_DIR}/${old.key}`;
    const successor = nextByKey.get(old.key);
    if (successor === undefined || successor.accountId !== old.accountId) removed.push(old);
    if (!tree.exists(root)) continue;
    // Already rendered for the new registry (a rerun): kept.
    if (successor) {
      const asNew = classifyProjectFiles(tree, root, successor, next);
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
  const newRoots = next.accounts.map((a) => `${PROJECTS_DIR}/${a.key}`);
  for (const old of removed) {
    problems.push(...projectReferences(tree, allProjects, old.key, old.accountId, [...oldRoots, ...newRoots]));
  }
  if (problems.length > 0) throw new GeneratorInputError('adopt the organization', problems);

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

