import { type GeneratorCallback, type Tree, getProjects, logger } from '@nx/devkit';
import { ACCOUNT_KEY, REGISTRY_FILE } from '@trustline/registry';
import { GRAPH_CLI, afterRegistryChange, afterRegistryChangeNotice } from '../../lib/after-registry-change';
import { GeneratorInputError } from '../../lib/errors';
import { readRegistryDocument, withAccounts, writeRegistryDocument } from '../../lib/registry-file';
import { PROJECTS_DIR } from '../account/plan';
import type { RemoveAccountGeneratorSchema } from './schema';
import { projectReferences, registryReferences } from './references';

/** This plugin's own root: its tests use account keys as fixtures against copies of the registry. */
const PLUGIN_ROOT = 'packages/workspace-plugin';

/** Stack names of a project: one `Pulumi.<stack>.yaml` per stack. */
function stacksOf(tree: Tree, projectRoot: string): string[] {
  if (!tree.exists(projectRoot)) return [];
  return tree
    .children(projectRoot)
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined && !s.endsWith('.local'))
    .sort();
}

/**
 * Removes an onboarded account: its `accounts.json` entry and its `projects/<key>` folder.
 *
 * Refuses (writing nothing) while another registry entry trusts a role in the account or another
 * project mentions it. Prints the destroy command first: removing the files deletes nothing in AWS,
 * and once the folder is gone the stack can only be destroyed from its state backend. Like onboarding,
 * its callback then records the removed workspace in package-lock.json and redraws the trust graph.
 */
export async function removeAccountGenerator(tree: Tree, options: RemoveAccountGeneratorSchema): Promise<GeneratorCallback> {
  const { raw, registry } = readRegistryDocument(tree);
  const key: unknown = options.name;
  if (typeof key !== 'string' || !ACCOUNT_KEY.test(key)) {
    throw new GeneratorInputError(`remove account ${JSON.stringify(key ?? '')}`, [
      `name ${JSON.stringify(key ?? '')} is not a valid account key (2 to 40 lower-case letters, digits and dashes, starting with a letter).`,
    ]);
  }
  const projectRoot = `${PROJECTS_DIR}/${key}`;
  const entry = registry.accounts.find((a) => a.key === key);
  const hasFolder = tree.exists(projectRoot);

  const problems: string[] = [];
  if (key === registry.identity.key) {
    problems.push(`name "${key}" is the registry's identity account, which every deploy chains through; it cannot be removed with this command.`);
  } else if (!entry && !hasFolder) {
    problems.push(
      `name "${key}" is neither an account in ${REGISTRY_FILE} nor a folder ${projectRoot}; known accounts: ${registry.accounts.map((a) => a.key).join(', ') || '(none)'}.`,
    );
  }
  if (entry) problems.push(...registryReferences(registry, key, entry.accountId));
  const projectRoots = [...getProjects(tree).values()].map((p) => p.root);
  problems.push(...projectReferences(tree, projectRoots, key, entry?.accountId, [projectRoot, PLUGIN_ROOT]));
  if (problems.length > 0) throw new GeneratorInputError(`remove account "${key}"`, problems);

  const stacks = stacksOf(tree, projectRoot);
  logger.warn(
    [
      `Removing account "${key}"${entry ? ` (${entry.accountId})` : ''} deletes files only; nothing in AWS is touched.`,
      `Destroy what its stacks deployed FIRST (stacks: ${stacks.join(', ') || 'none found'}):`,
      `  npx nx run ${key}:destroy`,
      // Restoring from git is impossible for a project never committed; re-adding recreates the same
      // project and stack name, whose state still knows every resource, so destroy works again.
      `If you have not, re-run account:add with the same name and id, then destroy${
        entry ? `: npm run account:add -- --name ${key} --accountId ${entry.accountId} --environment ${entry.environment} --region ${entry.region}` : ''
      }.`,
    ].join('\n'),
  );

  if (entry) {
    const accounts = (Array.isArray(raw.accounts) ? (raw.accounts as Record<string, unknown>[]) : []).filter((a) => a.key !== key);
    writeRegistryDocument(tree, withAccounts(raw, accounts));
  }
  if (hasFolder) tree.delete(projectRoot);
  const notice = afterRegistryChangeNotice(options, tree.exists(GRAPH_CLI));
  if (notice) logger.info(notice);

  return () => {
    afterRegistryChange(tree.root, options);
    logger.info(
      [
        `Removed account "${key}" from ${REGISTRY_FILE} and ${projectRoot}.`,
        ...(options.skipInstall ? [`Next: npm install --package-lock-only, so package-lock.json forgets @trustline/account-${key}.`] : []),
        ...(options.skipGraph ? ['Next: npm start -- --graph, so the trust graph in docs/ and README.md no longer draws the account.'] : []),
      ].join('\n'),
    );
  };
}

export default removeAccountGenerator;
