import { type GeneratorCallback, type Tree, logger } from '@nx/devkit';
import { ACCOUNT_KEY, REGISTRY_FILE, type RegistryEdit, withAccounts } from '@trustline/registry';
import { GRAPH_CLI, afterRegistryChange, afterRegistryChangeNotice, graphDraws, lockfileRecords, stepsLeftUndone } from '../../lib/after-registry-change';
import { findAccountReferences, referenceProblem, registryReferences } from '../../lib/account-references';
import { GeneratorInputError } from '../../lib/errors';
import { commitRegistryEdit, editRegistryInTree, readRegistryDocument, registryOnDisk } from '../../lib/registry-file';
import { classifyProjectFiles } from '../../lib/rendered-project';
import { PROJECTS_DIR } from '../account/plan';
import type { RemoveAccountGeneratorSchema } from './schema';

/** Stack names of a project: one `Pulumi.<stack>.yaml` per stack. */
function stacksOf(tree: Tree, projectRoot: string): string[] {
  if (!tree.exists(projectRoot)) return [];
  return tree
    .children(projectRoot)
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined && !s.endsWith('.local'))
    .sort();
}

/** The registry edit that drops account `key` (no change when it is already gone). */
export const removeAccountEdit =
  (key: string): RegistryEdit =>
  (doc) => {
    const accounts = Array.isArray(doc.accounts) ? (doc.accounts as Record<string, unknown>[]) : [];
    return accounts.some((a) => a.key === key) ? withAccounts(doc, accounts.filter((a) => a.key !== key)) : doc;
  };

/**
 * Removes an onboarded account: its `accounts.json` entry and its `projects/<key>` folder, then records
 * the removed workspace in package-lock.json and redraws the trust graph.
 *
 * Refuses (writing nothing, one error listing every problem) while another registry entry trusts a role
 * in the account or other code references it ({@link findAccountReferences}: each reference with its file,
 * line, column and text), and, unless `force`, while the folder holds files the generator did not create
 * or that were edited since (compared with what the templates render for the entry). It lists every
 * file it deletes. Prints the destroy command first: removing the files deletes nothing in AWS.
 * Every step is idempotent, so a rerun after an interruption finishes the removal.
 */
export async function removeAccountGenerator(tree: Tree, options: RemoveAccountGeneratorSchema): Promise<GeneratorCallback | void> {
  const { registry } = readRegistryDocument(tree);
  const key: unknown = options.name;
  if (typeof key !== 'string' || !ACCOUNT_KEY.test(key)) {
    throw new GeneratorInputError(`remove account ${JSON.stringify(key ?? '')}`, [
      `name ${JSON.stringify(key ?? '')} is not a valid account key (2 to 40 lower-case letters, digits and dashes, starting with a letter).`,
    ]);
  }
  const projectRoot = `${PROJECTS_DIR}/${key}`;
  const entry = registry.accounts.find((a) => a.key === key);
  const hasFolder = tree.exists(projectRoot);
  const onDisk = registryOnDisk(tree);
  const packageName = `@trustline/account-${key}`;

  // Leftovers of an interrupted removal (entry and folder gone already): the lockfile and the graph.
  const lockfileDone = (root: string) => !lockfileRecords(root, projectRoot);
  const graphDone = (root: string) => !graphDraws(root, key, entry?.accountId);
  const leftovers =
    onDisk && !entry && !hasFolder
      ? stepsLeftUndone(tree.root, options, { lockfileDone, graphDone }, { lockfile: `still records ${projectRoot}`, graph: 'still draws the account' })
      : [];

  const problems: string[] = [];
  if (key === registry.identity.key) {
    problems.push(`name "${key}" is the registry's identity account, which every deploy chains through; it cannot be removed with this command.`);
  } else if (!entry && !hasFolder && leftovers.length === 0) {
    problems.push(
      `name "${key}" is neither an account in ${REGISTRY_FILE} nor a folder ${projectRoot}; known accounts: ${registry.accounts.map((a) => a.key).join(', ') || '(none)'}.`,
    );
  }
  if (entry) problems.push(...registryReferences(registry, key, entry.accountId));
  problems.push(...findAccountReferences(tree, [{ key, accountId: entry?.accountId }], [projectRoot]).map(referenceProblem));

  const files = classifyProjectFiles(tree, projectRoot, entry, registry);
  if (!options.force) {
    if (files.edited.length > 0) {
      problems.push(
        `${projectRoot} has ${files.edited.length} file(s) changed since the generator wrote them (${files.edited.join(', ')}); ` +
          'keep what you need elsewhere, then rerun with --force to delete them.',
      );
    }
    if (files.foreign.length > 0) {
      problems.push(
        `${projectRoot} has ${files.foreign.length} file(s) the generator did not create (${files.foreign.join(', ')})` +
          `${entry ? '' : ` (${REGISTRY_FILE} no longer has the account, so no file can be checked)`}; ` +
          'keep what you need elsewhere, then rerun with --force to delete them.',
      );
    }
  }
  if (problems.length > 0) throw new GeneratorInputError(`remove account "${key}"`, problems);

  if (leftovers.length > 0) {
    logger.info(`Account "${key}" is gone from ${REGISTRY_FILE} and ${projectRoot}; finishing what an earlier run left undone (${leftovers.join('; ')}).`);
  } else {
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
    const all = [...files.generated, ...files.edited, ...files.foreign].sort();
    logger.info(
      [
        `Will delete:`,
        ...(entry ? [`  the "${key}" entry of ${REGISTRY_FILE}`] : []),
        ...all.map((f) => `  ${projectRoot}/${f}${files.edited.includes(f) ? ' (edited, --force)' : files.foreign.includes(f) ? ' (not generated, --force)' : ''}`),
        ...(hasFolder ? [`  the folder ${projectRoot}`] : []),
      ].join('\n'),
    );
  }

  if (entry && !onDisk) editRegistryInTree(tree, removeAccountEdit(key));
  if (hasFolder) tree.delete(projectRoot);
  const notice = afterRegistryChangeNotice(options, tree.exists(GRAPH_CLI));
  if (notice) logger.info(notice);

  return () => {
    // After Nx deleted the folder: an interruption here leaves the entry, and a rerun removes it.
    if (entry && onDisk) commitRegistryEdit(tree.root, removeAccountEdit(key));
    afterRegistryChange(tree.root, options, { lockfileDone, graphDone });
    logger.info(
      [
        `Removed account "${key}" from ${REGISTRY_FILE} and ${projectRoot}.`,
        ...(options.skipInstall ? [`Next: npm install --package-lock-only, so package-lock.json forgets ${packageName}.`] : []),
        ...(options.skipGraph ? ['Next: npm start -- --graph, so the trust graph in docs/ and README.md no longer draws the account.'] : []),
      ].join('\n'),
    );
  };
}

export default removeAccountGenerator;
