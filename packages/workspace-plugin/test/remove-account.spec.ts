import * as fs from 'node:fs';
import * as path from 'node:path';
import { readJson } from '@nx/devkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GRAPH_CLI, GRAPH_COMMAND, type GeneratorInputError, LOCKFILE_COMMAND, accountGenerator, formatJson, findAccountReference, removeAccountGenerator, shell } from '../src';
import { SAMPLE_REGISTRY, captureLogs, diskWorkspace, rejection, virtualWorkspace } from './helpers';

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

  it('refuses while another project mentions the account, naming each file', async () => {
    captureLogs();
    const tree = await withQa();
    tree.write('access/src/index.ts', "const qa = getAccount(registry, 'qa');\n");
    tree.write('projects/dev/package.json', JSON.stringify({ name: '@trustline/account-dev', nx: { name: 'dev' }, dependencies: { '@trustline/account-qa': '*' } }));
    const error = await rejection(() => removeAccountGenerator(tree, { name: 'qa' }));
    expect(error.message).toBe(
      'Cannot remove account "qa": 2 problems (nothing was written):\n' +
        '  - access/src/index.ts references account "qa" ("getAccount(registry, \'qa\'"); remove that reference first.\n' +
        '  - projects/dev/package.json references account "qa" ("@trustline/account-qa"); remove that reference first.',
    );
  });

  it('does not count fixture folders (frozen copies of the sample registry) as references', async () => {
    captureLogs();
    const tree = await withQa();
    tree.write('packages/testing/package.json', JSON.stringify({ name: '@trustline/testing', nx: { name: 'testing' } }));
    tree.write('packages/testing/fixtures/index.ts', "export const QA = '044444444444';\n");
    tree.write('packages/testing/src/qa.ts', "export const QA = '044444444444';\n");
    const error = await rejection(() => removeAccountGenerator(tree, { name: 'qa' }));
    expect((error as GeneratorInputError).problems).toEqual([
      'packages/testing/src/qa.ts references account "qa" ("044444444444"); remove that reference first.',
    ]);
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
    const ran: Array<[string, string]> = [];
    vi.spyOn(shell, 'run').mockImplementation((command: string, cwd: string) => void ran.push([command, cwd]));
    const ws = diskWorkspace();
    fs.mkdirSync(path.join(ws.root, path.dirname(GRAPH_CLI)), { recursive: true });
    fs.writeFileSync(path.join(ws.root, GRAPH_CLI), '');
    const add = ws.tree();
    await accountGenerator(add, { name: 'qa', accountId: '044444444444', environment: 'test', skipInstall: true, skipGraph: true });
    ws.flush(add);

    const tree = ws.tree();
    const logged = logs.info.length;
    const task = await removeAccountGenerator(tree, { name: 'qa', ...flags });
    // Nothing runs until Nx calls the callback (it never does on --dry-run), but the generator says what will.
    expect(ran).toEqual([]);
    expect(logs.info.slice(logged)).toEqual([notice]);
    ws.flush(tree);
    expect(fs.readFileSync(path.join(ws.root, 'accounts.json'), 'utf8')).toBe(SAMPLE_REGISTRY);
    await task();
    expect(ran).toEqual(commands.map((c) => [c, ws.root]));
    expect(logs.info.at(-1)?.split('\n')[0]).toBe('Removed account "qa" from accounts.json and projects/qa.');
  });
});

describe('findAccountReference', () => {
  it.each([
    ["const a = getAccount(registry, 'qa');", 'getAccount(registry, \'qa\''],
    ['getAccount(r, "qa")', 'getAccount(r, "qa"'],
    ["import x from '@trustline/account-qa';", '@trustline/account-qa'],
    ['"@trustline/account-qa": "*"', '@trustline/account-qa'],
    ["read('projects/qa/Pulumi.qa.yaml')", 'projects/qa'],
    ['npx nx run qa:destroy', 'qa:destroy'],
    ["const id = '044444444444';", '044444444444'],
    // not references: other keys that merely start with qa, target names, ids inside longer numbers
    ["getAccount(registry, 'qa-2')", undefined],
    ['"@trustline/account-qa-2": "*"', undefined],
    ['projects/qa-2', undefined],
    ['"qa": {}', undefined],
    ['nx run qa2:destroy', undefined],
    ['10444444444441', undefined],
  ])('%s -> %s', (text, expected) => {
    expect(findAccountReference(text, 'qa', '044444444444')).toBe(expected);
  });
});
