import * as path from 'node:path';
import {
  type GeneratorCallback,
  type Tree,
  OverwriteStrategy,
  generateFiles,
  getProjects,
  logger,
} from '@nx/devkit';
import { type AccountEntry, type AccountRegistry, REGISTRY_FILE, type RegistryEdit, formatJson, roleArn, withAccounts } from '@trustline/registry';
import { GRAPH_CLI, LOCKFILE, afterRegistryChange, afterRegistryChangeNotice, graphDraws, lockfileRecords, stepsLeftUndone } from '../../lib/after-registry-change';
import { commitRegistryEdit, editRegistryInTree, readRegistryDocument, registryOnDisk } from '../../lib/registry-file';
import { type RawAccountId, planOnboarding, rawAccountIdCandidates } from './plan';
import type { AccountGeneratorSchema } from './schema';

/** The templates a new account project is rendered from; they mirror `projects/dev`. */
export const TEMPLATES_DIR = path.join(__dirname, 'files');

/** The values the `files/` templates use (`<%= key %>`, `__key__`, ...), taken from the registry. */
export function templateSubstitutions(entry: AccountEntry, registry: AccountRegistry): Record<string, string> {
  const hub = registry.identity.hubRoleName;
  return {
    key: entry.key,
    accountId: entry.accountId,
    environment: entry.environment,
    region: entry.region,
    deployRoleName: entry.deployRoleName,
    // In the account's own partition (aws-us-gov, aws-cn for those regions), as the provider factory builds it.
    deployRoleArn: roleArn(entry.accountId, entry.deployRoleName, entry.region),
    hubRoleArn: hub ? roleArn(registry.identity.accountId, hub, registry.identity.region) : '',
    // A TypeScript literal for the test's `externalId` expectation (external ids never contain quotes).
    externalIdLiteral: entry.externalId ? `'${entry.externalId}'` : 'undefined',
    packageName: `@trustline/account-${entry.key}`,
    // `index.ts__tmpl__` keeps editors, tsc and vitest from treating templates as sources.
    tmpl: '',
  };
}

/** Every path below `dir` that has a recorded change in the tree. */
const changedUnder = (tree: Tree, dir: string): string[] =>
  tree
    .listChanges()
    .map((c) => c.path)
    .filter((p) => p === dir || p.startsWith(`${dir}/`));

/**
 * The registry edit that onboards `options`' account, for the registry as it is when the edit runs
 * (under the lock, on disk): planned again against it, so a key or id that a concurrent command took
 * meanwhile is refused with the same sentences, and an entry that is already there is left alone.
 */
export function addAccountEdit(options: AccountGeneratorSchema, projects: ReadonlyMap<string, string>, raw: RawAccountId[]): RegistryEdit {
  return (doc, current) => {
    const plan = planOnboarding(current, options, projects, raw);
    if (plan.alreadyRegistered) return doc;
    const accounts = Array.isArray(doc.accounts) ? (doc.accounts as Record<string, unknown>[]) : [];
    return withAccounts(doc, [...accounts, { ...plan.entry }]);
  };
}

/**
 * Onboards an AWS account: adds its entry to `accounts.json`, scaffolds `projects/<key>`, records the
 * workspace in package-lock.json and redraws the trust graph.
 *
 * Everything is checked before anything is written, so a refusal writes nothing. Every step is
 * idempotent and a rerun finishes whatever an interrupted run left undone: an existing entry is never
 * rewritten, existing project files are kept (only missing ones are created), and the lockfile and
 * graph steps run again while they do not show the account. Only when all four are done does it say
 * "Nothing to do".
 *
 * On disk (`nx g`), the registry entry is added by the callback, after Nx has written the project
 * files, as a locked transaction on the file as it is then (see `updateRegistryFile`), so concurrent
 * runs never lose each other's entries.
 */
export async function accountGenerator(tree: Tree, options: AccountGeneratorSchema): Promise<GeneratorCallback | void> {
  const { registry } = readRegistryDocument(tree);
  const projects = new Map([...getProjects(tree)].map(([name, config]) => [name, config.root]));
  const raw = rawAccountIdCandidates();
  const plan = planOnboarding(registry, options, projects, raw);
  const { entry, projectRoot } = plan;
  const onDisk = registryOnDisk(tree);
  // The rerun and the transaction plan with the id as text, whatever type Nx gave it.
  const settled: AccountGeneratorSchema = { ...options, accountId: entry.accountId, environment: entry.environment, region: entry.region };

  if (!plan.alreadyRegistered) {
    logger.info(`Adding account "${entry.key}" to ${REGISTRY_FILE}:\n${formatJson(entry).trimEnd()}`);
    if (onDisk) {
      logger.info(`UPDATE ${REGISTRY_FILE} (after the project files are written, as one locked transaction)`);
    } else {
      editRegistryInTree(tree, addAccountEdit(settled, projects, []));
    }
  }

  const before = new Set(changedUnder(tree, projectRoot));
  const substitutions = templateSubstitutions(entry, registry);
  generateFiles(tree, TEMPLATES_DIR, projectRoot, substitutions, {
    overwriteStrategy: OverwriteStrategy.KeepExisting,
  });
  const created = changedUnder(tree, projectRoot).filter((p) => !before.has(p));

  const hasGraphCli = tree.exists(GRAPH_CLI);
  const lockfileDone = (root: string) => lockfileRecords(root, projectRoot);
  const graphDone = (root: string) => graphDraws(root, entry.key, entry.accountId);
  // What an interrupted run may have left undone on disk (an in-memory tree has no lockfile or graph to check).
  const unfinished = onDisk
    ? stepsLeftUndone(tree.root, options, { lockfileDone, graphDone }, { lockfile: `does not record ${projectRoot}`, graph: 'does not draw the account' })
    : [];

  if (plan.alreadyRegistered && created.length === 0 && unfinished.length === 0) {
    logger.info(
      `Account "${entry.key}" (${entry.accountId}) is already onboarded: ${REGISTRY_FILE} has its entry, ${projectRoot} has every file` +
        `${onDisk ? `, ${LOCKFILE} records it and the trust graph draws it` : ''}. Nothing to do.`,
    );
    return;
  }
  if (plan.alreadyRegistered) {
    const done = [
      ...(created.length > 0 ? [`created the ${created.length} missing file(s) of ${projectRoot} and kept the existing ones`] : []),
      ...(unfinished.length > 0 ? [`will finish what an earlier run left undone (${unfinished.join('; ')})`] : []),
    ];
    logger.info(`Account "${entry.key}" is already in ${REGISTRY_FILE}; ${done.join(', and ')}.`);
  }
  const notice = afterRegistryChangeNotice(options, hasGraphCli);
  if (notice) logger.info(notice);

  return () => {
    if (onDisk && !plan.alreadyRegistered) {
      const projectsNow = new Map(projects).set(entry.key, projectRoot);
      commitRegistryEdit(tree.root, addAccountEdit(settled, projectsNow, []));
    }
    afterRegistryChange(tree.root, options, { lockfileDone, graphDone });
    const steps = [
      ...(options.skipInstall ? [`npm install --package-lock-only: records ${substitutions.packageName} in package-lock.json.`] : []),
      ...(options.skipGraph ? ['npm start -- --graph: redraws the trust graph in docs/ and README.md with the new account.'] : []),
      `npx nx run ${entry.key}:test: the project's mock test, no credentials needed.`,
      `npx nx run access:preview, then access:up: creates the deploy role ${entry.deployRoleName} in ${entry.accountId}.`,
      `npx nx run ${entry.key}:preview: needs credentials that may assume the hub role.`,
    ];
    logger.info(
      [
        `Onboarded account "${entry.key}" (${entry.accountId}, environment ${entry.environment}, region ${entry.region}).`,
        'Next steps:',
        ...steps.map((step, i) => `  ${i + 1}. ${step}`),
      ].join('\n'),
    );
  };
}

export default accountGenerator;
