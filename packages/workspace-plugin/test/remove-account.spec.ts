import * as fs from 'node:fs';
import * as path from 'node:path';
import { readJson } from '@nx/devkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GRAPH_COMMAND, commitRegistryEdit, removeAccountEdit, type GeneratorInputError, LOCKFILE_COMMAND, accountGenerator, formatJson, removeAccountGenerator } from '../src';
import { SAMPLE_REGISTRY, captureLogs, diskWorkspaceWithQa, rejection, virtualWorkspace } from './helpers';

afterEach(() => vi.restoreAllMocks());

/** A workspace where qa has been onboarded (in the tree, as `nx g` would leave it). */
async function withQa() {
  const tree = virtualWorkspace();
  await accountGenerator(tree, { name: 'qa', accountId: '044444444444', environment: 'test' });
  return tree;
}

describe('remove-account generator', () => {
  it('removes the registry entry and the project folder, after printing the destroy command', async () => {
    const logs = captureLogs();
    const tree = await withQa();
    await removeAccountGenerator(tree, { name: 'qa' });
    expect(tree.read('accounts.json', 'utf-8')).toBe(SAMPLE_REGISTRY);
    expect(tree.exists('projects/qa')).toBe(false);
    expect(tree.exists('projects/qa/package.json')).toBe(false);
    expect(logs.warn).toEqual([
      [
        'Removing account "qa" (044444444444) deletes files only; nothing in AWS is touched.',
        'Destroy what its stacks deployed FIRST (stacks: qa):',
        '  npx nx run qa:destroy',
        'If you have not, re-run account:add with the same name and id, then destroy: npm run account:add -- --name qa --accountId 044444444444 --environment test --region eu-west-1.',
      ].join('\n'),
    ]);
  });

  it('refuses while another registry entry trusts a role in the account', async () => {
    captureLogs();
    const tree = await withQa();
    const registry = readJson(tree, 'accounts.json');
    registry.accounts.find((a: any) => a.key === 'dev').trustedPrincipals.push('arn:aws:iam::044444444444:role/qa-runner');
    tree.write('accounts.json', formatJson(registry));
    const error = await rejection(() => removeAccountGenerator(tree, { name: 'qa' }));
    expect((error as GeneratorInputError).problems).toEqual([
      'accounts.json: account "dev" lists arn:aws:iam::044444444444:role/qa-runner in trustedPrincipals; remove that principal first.',
    ]);
    expect(tree.exists('projects/qa/package.json')).toBe(true);
    expect(readJson(tree, 'accounts.json').accounts.map((a: any) => a.key)).toContain('qa');
  });

  it('refuses while other code references the account (the issue: a lookup, a workflow, a script), listing every reference and writing nothing', async () => {
    const logs = captureLogs();
    const tree = await withQa();
    const registryBefore = tree.read('accounts.json', 'utf-8');
    tree.write(
      'projects/dev/index.ts',
      `${tree.read('projects/dev/index.ts', 'utf-8') ?? ''}import { getAccount, loadRegistry } from '@trustline/registry';\nexport const q = getAccount(loadRegistry(), 'qa');\n`,
    );
    tree.write('.github/workflows/deploy-qa.yml', 'on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npx nx run qa:up\n');
    tree.write('scripts/zz.mjs', "import { execSync } from 'node:child_process';\nexecSync('npx nx run qa:up', { stdio: 'inherit' });\n");
    tree.write('projects/dev/package.json', JSON.stringify({ name: '@trustline/account-dev', nx: { name: 'dev' }, dependencies: { '@trustline/account-qa': '*' } }));
    const error = await rejection(() => removeAccountGenerator(tree, { name: 'qa' }));
    expect(error.message).toBe(
      'Cannot remove account "qa": 4 problems (nothing was written):\n' +
        '  - .github/workflows/deploy-qa.yml:6:25 runs qa:up, an Nx target of account "qa" (- run: npx nx run qa:up); remove that reference first.\n' +
        `  - projects/dev/index.ts:2:18 looks up account "qa" with @trustline/registry's getAccount (getAccount(loadRegistry(), 'qa')); remove that reference first.\n` +
        '  - projects/dev/package.json:1:71 names the package of account "qa" ({"name":"@trustline/account-dev","nx":{"name":"dev"},"dependencies":{"@trustline/account-qa":"*"}}); remove that reference first.\n' +
        `  - scripts/zz.mjs:2:22 runs qa:up, an Nx target of account "qa" (execSync('npx nx run qa:up', { stdio: 'inherit' });); remove that reference first.`,
    );
    expect(tree.read('accounts.json', 'utf-8')).toBe(registryBefore);
    expect(tree.exists('projects/qa/index.ts')).toBe(true);
    expect(logs.info.some((m) => m.startsWith('Will delete:'))).toBe(false);
  });

  it('counts only real references: not fixtures, tests, comments, a computed key, or ids in libraries (which get accounts from the registry)', async () => {
    captureLogs();
    const tree = await withQa();
    tree.write('packages/testing/package.json', JSON.stringify({ name: '@trustline/testing', nx: { name: 'testing', tags: ['scope:lib'] } }));
    const lookup = "import { getAccount } from '@trustline/registry';\n";
    // not references
    tree.write('access/fixtures/index.ts', "export const QA = '044444444444';\n");
    tree.write('access/src/qa.test.ts', `${lookup}getAccount(registry, 'qa'); const id = '044444444444';\n`);
    tree.write('access/test/helpers.ts', `${lookup}getAccount(registry, 'qa');\n`);
    tree.write('access/src/doc.ts', "/** e.g. arn:aws:iam::044444444444:role/x */\n// getAccount(registry, 'qa')\nexport const url = 'https://x//044';\n");
    tree.write('access/src/computed.ts', `${lookup}export const byKey = (key: string) => getAccount(registry, key);\n`);
    tree.write('packages/testing/src/example.ts', "export const EXAMPLE = 'arn:aws:iam::044444444444:role/deploy';\n");
    // references
    tree.write('access/src/qa.ts', "export const QA = '044444444444';\n");
    tree.write('packages/testing/src/lookup.ts', `${lookup}getAccount(registry, 'qa');\n`);
    const error = await rejection(() => removeAccountGenerator(tree, { name: 'qa' }));
    expect((error as GeneratorInputError).problems).toEqual([
      `access/src/qa.ts:1:20 names the account id of "qa", 044444444444, (export const QA = '044444444444';); remove that reference first.`,
      `packages/testing/src/lookup.ts:2:1 looks up account "qa" with @trustline/registry's getAccount (getAccount(registry, 'qa')); remove that reference first.`,
    ]);
  });

  it('refuses to delete files it did not create or that were edited, unless --force, and lists what it deletes', async () => {
    const logs = captureLogs();
    const tree = await withQa();
    tree.write('projects/qa/index.ts', `${tree.read('projects/qa/index.ts', 'utf-8')}export const extra = 1;\n`);
    tree.write('projects/qa/notes.md', 'my notes\n');
    const error = await rejection(() => removeAccountGenerator(tree, { name: 'qa' }));
    expect((error as GeneratorInputError).problems).toEqual([
      'projects/qa has 1 file(s) changed since the generator wrote them (index.ts); keep what you need elsewhere, then rerun with --force to delete them.',
      'projects/qa has 1 file(s) the generator did not create (notes.md); keep what you need elsewhere, then rerun with --force to delete them.',
    ]);
    expect(tree.exists('projects/qa/notes.md')).toBe(true);

    await removeAccountGenerator(tree, { name: 'qa', force: true });
    expect(tree.exists('projects/qa')).toBe(false);
    expect(logs.info.find((m) => m.startsWith('Will delete:'))).toBe(
      [
        'Will delete:',
        '  the "qa" entry of accounts.json',
        '  projects/qa/Pulumi.qa.yaml',
        '  projects/qa/Pulumi.yaml',
        '  projects/qa/index.test.ts',
        '  projects/qa/index.ts (edited, --force)',
        '  projects/qa/notes.md (not generated, --force)',
        '  projects/qa/package.json',
        '  projects/qa/tsconfig.json',
        '  the folder projects/qa',
      ].join('\n'),
    );
  });

  it.each([
    ['an unknown account', 'nope', 'name "nope" is neither an account in accounts.json nor a folder projects/nope; known accounts: dev, prod, test.'],
    ['the identity account', 'identity', 'name "identity" is the registry\'s identity account, which every deploy chains through; it cannot be removed with this command.'],
    ['an invalid key', 'Bad Key', 'name "Bad Key" is not a valid account key (2 to 40 lower-case letters, digits and dashes, starting with a letter).'],
  ])('refuses %s', async (_title, name, problem) => {
    captureLogs();
    const tree = virtualWorkspace();
    const error = await rejection(() => removeAccountGenerator(tree, { name }));
    expect((error as GeneratorInputError).problems).toEqual([problem]);
    expect(tree.read('accounts.json', 'utf-8')).toBe(SAMPLE_REGISTRY);
  });
});

describe('remove-account generator: the callback', () => {
  it.each<[string, { skipInstall?: boolean; skipGraph?: boolean }, string[], string]>([
    [
      'records the lockfile without the workspace, then redraws the trust graph',
      {},
      [LOCKFILE_COMMAND, GRAPH_COMMAND],
      'Afterwards (skipped in --dry-run): npm install --package-lock-only (package-lock.json); redraw the trust graph (README.md, docs/trust-graph.*).',
    ],
    ['--skipInstall', { skipInstall: true }, [GRAPH_COMMAND], 'Afterwards (skipped in --dry-run): redraw the trust graph (README.md, docs/trust-graph.*).'],
    ['--skipGraph', { skipGraph: true }, [LOCKFILE_COMMAND], 'Afterwards (skipped in --dry-run): npm install --package-lock-only (package-lock.json).'],
  ])('%s', async (_title, flags, commands, notice) => {
    const logs = captureLogs();
    const { ws, ran } = await diskWorkspaceWithQa();

    const tree = ws.tree();
    const logged = logs.info.length;
    const task = await removeAccountGenerator(tree, { name: 'qa', ...flags });
    // Nothing runs until Nx calls the callback (it never does on --dry-run), but the generator says what will.
    expect(ran).toEqual([]);
    expect(logs.info.slice(logged).filter((m) => m.startsWith('Afterwards'))).toEqual([notice]);
    ws.flush(tree);
    // The registry entry goes in the callback, as a locked transaction on the file as it is then.
    expect(fs.readFileSync(path.join(ws.root, 'accounts.json'), 'utf8')).not.toBe(SAMPLE_REGISTRY);
    if (!task) throw new Error('expected a callback');
    await task();
    expect(fs.readFileSync(path.join(ws.root, 'accounts.json'), 'utf8')).toBe(SAMPLE_REGISTRY);
    expect(ran).toEqual(commands.map((c) => [c, ws.root]));
    expect(logs.info.at(-1)?.split('\n')[0]).toBe('Removed account "qa" from accounts.json and projects/qa.');
  });

  it('a rerun after a removal killed before its lockfile step finishes it instead of refusing an unknown account', async () => {
    const logs = captureLogs();
    const { ws, ran } = await diskWorkspaceWithQa();
    const first = ws.tree();
    const task = await removeAccountGenerator(first, { name: 'qa' });
    ws.flush(first);
    // killed after the registry commit, before npm: the lockfile and the graph still name qa
    commitRegistryEdit(ws.root, removeAccountEdit('qa'));
    expect(task).toBeTypeOf('function');

    const second = ws.tree();
    const resume = await removeAccountGenerator(second, { name: 'qa' });
    expect(logs.info).toContain(
      'Account "qa" is gone from accounts.json and projects/qa; finishing what an earlier run left undone (package-lock.json still records projects/qa; the trust graph (docs/trust-graph.mmd) still draws the account).',
    );
    await resume?.();
    expect(ran.map(([c]) => c)).toEqual([LOCKFILE_COMMAND, GRAPH_COMMAND]);
    expect(fs.readFileSync(path.join(ws.root, 'package-lock.json'), 'utf8')).not.toContain('projects/qa');
    expect(fs.readFileSync(path.join(ws.root, 'docs/trust-graph.mmd'), 'utf8')).not.toContain('account qa');
  });
});
