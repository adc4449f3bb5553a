import * as path from 'node:path';
import {
  type GeneratorCallback,
  type Tree,
  OverwriteStrategy,
  generateFiles,
  getProjects,
  logger,
} from '@nx/devkit';
import { type AccountEntry, type AccountRegistry, REGISTRY_FILE, roleArn } from '@trustline/registry';
import { GRAPH_CLI, afterRegistryChange, afterRegistryChangeNotice } from '../../lib/after-registry-change';
import { formatJson } from '../../lib/json-format';
import { readRegistryDocument, withAccounts, writeRegistryDocument } from '../../lib/registry-file';
import { planOnboarding, rawAccountIdCandidates } from './plan';
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
 * Onboards an AWS account: adds its entry to `accounts.json` and scaffolds `projects/<key>`.
 *
 * Everything is checked before the tree is touched, so a refusal writes nothing. Rerunning is safe:
 * an existing entry is never rewritten and existing project files are kept (only missing ones are
 * created), so user edits survive and a repeated command changes nothing.
 */
export async function accountGenerator(tree: Tree, options: AccountGeneratorSchema): Promise<GeneratorCallback | void> {
  const { raw, registry } = readRegistryDocument(tree);
  const projects = new Map([...getProjects(tree)].map(([name, config]) => [name, config.root]));
  const plan = planOnboarding(registry, options, projects, rawAccountIdCandidates());
  const { entry, projectRoot } = plan;

  if (!plan.alreadyRegistered) {
    logger.info(`Adding account "${entry.key}" to ${REGISTRY_FILE}:\n${formatJson(entry).trimEnd()}`);
    const accounts = Array.isArray(raw.accounts) ? (raw.accounts as Record<string, unknown>[]) : [];
    // Validated as a whole before it is written (writeRegistryDocument throws otherwise).
    writeRegistryDocument(tree, withAccounts(raw, [...accounts, { ...entry }]));
  }

  const before = new Set(changedUnder(tree, projectRoot));
  generateFiles(tree, TEMPLATES_DIR, projectRoot, templateSubstitutions(entry, registry), {
    overwriteStrategy: OverwriteStrategy.KeepExisting,
  });
  const created = changedUnder(tree, projectRoot).filter((p) => !before.has(p));

  if (plan.alreadyRegistered && created.length === 0) {
    logger.info(`Account "${entry.key}" (${entry.accountId}) is already onboarded: ${REGISTRY_FILE} has its entry and ${projectRoot} has every file. Nothing to do.`);
    return;
  }
  if (plan.alreadyRegistered) {
    logger.info(`Account "${entry.key}" is already in ${REGISTRY_FILE}; created the ${created.length} missing file(s) of ${projectRoot} and kept the existing ones.`);
  }
  const notice = afterRegistryChangeNotice(options, tree.exists(GRAPH_CLI));
  if (notice) logger.info(notice);

  return () => {
    afterRegistryChange(tree.root, options);
    const steps = [
      ...(options.skipInstall ? [`npm install --package-lock-only: records ${templateSubstitutions(entry, registry).packageName} in package-lock.json.`] : []),
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
