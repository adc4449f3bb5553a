import * as fs from 'node:fs';
import * as path from 'node:path';
import { readJson, readProjectConfiguration } from '@nx/devkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { validateRegistry } from '@trustline/registry';
import { GeneratorInputError, accountGenerator, formatJson, usualDeployRoleName, type AccountGeneratorSchema } from '../src';
import { SAMPLE_REGISTRY, captureLogs, diskWorkspace, listFiles, rejection, virtualWorkspace } from './helpers';

afterEach(() => vi.restoreAllMocks());

/** Every file the generator creates for key `qa`, relative to projects/qa. */
const QA_FILES = PROJECT_FILES_FOR('qa');

function PROJECT_FILES_FOR(key: string): string[] {
  return ['Pulumi.yaml', `Pulumi.${key}.yaml`, 'index.test.ts', 'index.ts', 'package.json', 'tsconfig.json'].sort();
}

const QA: AccountGeneratorSchema = { name: 'qa', accountId: '044444444444', environment: 'test' };

/** The qa entry as it must appear in accounts.json: defaults filled in, 2-space indent. */
const QA_BLOCK = `    {
      "key": "qa",
      "accountId": "044444444444",
      "environment": "test",
      "region": "eu-west-1",
      "deployRoleName": "trustline-deploy",
      "trustedPrincipals": ["arn:aws:iam::012345678901:role/trustline-hub"],
      "maxSessionDurationSeconds": 3600
    },
`;
const TEST_BLOCK_START = '    {\n      "key": "test",';

describe('account generator: a new account', () => {
  it('adds the entry between prod and test, leaving every other line of accounts.json as it was', async () => {
    captureLogs();
    const tree = virtualWorkspace();
    await accountGenerator(tree, QA);
    const text = tree.read('accounts.json', 'utf-8');
    expect(SAMPLE_REGISTRY).toContain(TEST_BLOCK_START);
    expect(text).toBe(SAMPLE_REGISTRY.replace(TEST_BLOCK_START, QA_BLOCK + TEST_BLOCK_START));
    const registry = validateRegistry(JSON.parse(text as string));
    expect(registry.accounts.map((a) => a.key)).toEqual(['dev', 'prod', 'qa', 'test']);
    expect(Object.keys(JSON.parse(text as string))).toEqual(Object.keys(JSON.parse(SAMPLE_REGISTRY)));
  });

  it('keeps the account id a string, leading zero included', async () => {
    captureLogs();
    const tree = virtualWorkspace();
    await accountGenerator(tree, QA);
    const qa = readJson(tree, 'accounts.json').accounts.find((a: any) => a.key === 'qa');
    expect(qa.accountId).toBe('044444444444');
  });

  it.each([
    ['region defaults to the identity account region', { name: 'qa', accountId: '044444444444', environment: 'dev' }, { environment: 'dev', region: 'eu-west-1' }],
    ['an explicit region is used', { name: 'qa', accountId: '044444444444', environment: 'prod', region: 'us-east-1' }, { environment: 'prod', region: 'us-east-1' }],
    ['a 12-digit number (how Nx passes 444444444444) is kept exactly', { name: 'qa', accountId: 444444444444, environment: 'test' }, { accountId: '444444444444' }],
  ])('%s', async (_title, options, expected) => {
    captureLogs();
    const tree = virtualWorkspace();
    await accountGenerator(tree, options as AccountGeneratorSchema);
    const qa = readJson(tree, 'accounts.json').accounts.find((a: any) => a.key === 'qa');
    expect(qa).toMatchObject(expected);
  });

  it('defaults the environment to the key when the key is one of the registry environments', async () => {
    captureLogs();
    const registry = JSON.parse(SAMPLE_REGISTRY);
    registry.environments = ['dev', 'test', 'prod', 'qa'];
    const tree = virtualWorkspace(formatJson(registry));
    await accountGenerator(tree, { name: 'qa', accountId: '044444444444' });
    expect(readJson(tree, 'accounts.json').accounts.find((a: any) => a.key === 'qa').environment).toBe('qa');
  });

  it('scaffolds projects/qa with the account tag and the project targets', async () => {
    captureLogs();
    const tree = virtualWorkspace();
    await accountGenerator(tree, QA);
    const created = tree
      .listChanges()
      .filter((c) => c.type === 'CREATE' && c.path.startsWith('projects/qa/'))
      .map((c) => c.path.slice('projects/qa/'.length))
      .sort();
    expect(created).toEqual(QA_FILES);
    const project = readProjectConfiguration(tree, 'qa');
    expect(project.root).toBe('projects/qa');
    expect(project.tags).toEqual(['scope:account']);
    expect(Object.keys(project.targets ?? {}).sort()).toEqual(['destroy', 'lint', 'policy', 'preview', 'refresh', 'test', 'typecheck', 'up']);
    expect(readJson(tree, 'projects/qa/package.json').name).toBe('@trustline/account-qa');
  });

  it('expects the deploy role in the account\'s own partition (GovCloud here)', async () => {
    captureLogs();
    const tree = virtualWorkspace();
    await accountGenerator(tree, { ...QA, region: 'us-gov-west-1' });
    const test = tree.read('projects/qa/index.test.ts', 'utf8') ?? '';
    expect(test).toContain("deployRoleArn: 'arn:aws-us-gov:iam::044444444444:role/trustline-deploy',");
  });

  it('prints the entry it adds', async () => {
    const logs = captureLogs();
    await accountGenerator(virtualWorkspace(), QA);
    expect(logs.info[0]).toBe(`Adding account "qa" to accounts.json:\n${QA_BLOCK.replace(/^ {4}/gm, '').replace(/,\n$/, '')}`);
  });
});

describe('account generator: usual deploy role name', () => {
  const registryWith = (names: string[]) =>
    validateRegistry({
      ...JSON.parse(SAMPLE_REGISTRY),
      accounts: names.map((n, i) => ({
        key: `a${i}`,
        accountId: String(100000000000 + i),
        environment: 'dev',
        region: 'eu-west-1',
        deployRoleName: n,
        trustedPrincipals: ['arn:aws:iam::012345678901:role/trustline-hub'],
        maxSessionDurationSeconds: 3600,
      })),
    });
  it.each([
    [[], 'trustline-deploy'],
    [['deployer', 'deployer', 'trustline-deploy'], 'deployer'],
    [['b-role', 'a-role'], 'b-role'],
  ])('accounts using %j -> %s', (names, expected) => {
    expect(usualDeployRoleName(registryWith(names))).toBe(expected);
  });
});

describe('account generator: refusals', () => {
  const cases: [string, Partial<AccountGeneratorSchema> & Record<string, unknown>, string[]][] = [
    ['an invalid key', { name: 'QA_1', accountId: '044444444444', environment: 'test' }, [
      'name "QA_1" is not a valid account key: use 2 to 40 lower-case letters, digits and dashes, starting with a letter and not ending with a dash (it becomes the Nx project and Pulumi stack name).',
    ]],
    ['a reserved key', { name: 'access', accountId: '044444444444', environment: 'test' }, [
      'name "access" is reserved for one of the workspace\'s own projects (access, components, identity, integration-tests, offline-preview, registry, testing, trust, trust-guard, workspace-plugin). Pick another key.',
    ]],
    ['the identity key', { name: 'identity', accountId: '044444444444', environment: 'test' }, [
      'name "identity" is the registry\'s identity account; the identity account holds credentials and is not onboarded as a target. Pick another key.',
    ]],
    ['a key in the registry with another id', { name: 'dev', accountId: '044444444444' }, [
      'name "dev" is already in the registry as account 111111111111; pick another key, or remove that account first with npm run account:remove -- --name dev.',
    ]],
    ['an id owned by another account', { name: 'qa', accountId: '111111111111', environment: 'test' }, [
      'accountId "111111111111" is already onboarded as "dev"; each AWS account has exactly one registry entry.',
    ]],
    ['the identity account id', { name: 'qa', accountId: '012345678901', environment: 'test' }, [
      'accountId "012345678901" is the identity account "identity"; the identity account holds credentials and is not onboarded as a target.',
    ]],
    ['an external account id', { name: 'qa', accountId: '999999999999', environment: 'test' }, [
      'accountId "999999999999" is the external account "example-monitoring-vendor"; an account is either ours or external, never both.',
    ]],
    ['an id that is not 12 digits', { name: 'qa', accountId: '4444', environment: 'test' }, [
      'accountId "4444" is not a 12-digit AWS account id (keep it a string: "012345678901").',
    ]],
    ['an id whose leading zero was dropped by a number parser', { name: 'qa', accountId: 44444444444, environment: 'test' }, [
      'accountId 44444444444 is not a 12-digit AWS account id (keep it a string: "012345678901"); it arrived as a number, so leading zeros, if it had any, were lost on the way.',
    ]],
    ['a missing account id', { name: 'qa', environment: 'test' }, [
      'accountId is required: the 12-digit AWS account id, as text (for example "012345678901").',
    ]],
    ['a missing environment for a key that is not an environment', { name: 'qa', accountId: '044444444444' }, [
      'environment is required because name "qa" is not one of the registry\'s environments; pass --environment with one of "dev", "test", "prod".',
    ]],
    ['an unknown environment', { name: 'qa', accountId: '044444444444', environment: 'staging' }, [
      'environment "staging" is not one of the registry\'s environments ("dev", "test", "prod"); use one of them, or add it to "environments" in accounts.json first.',
    ]],
    ['an unknown region', { name: 'qa', accountId: '044444444444', environment: 'test', region: 'eu-west-9' }, [
      'region "eu-west-9" is not a known AWS region (for example "eu-west-1" or "us-east-1").',
    ]],
    ['an existing account with a different environment', { name: 'dev', accountId: '111111111111', environment: 'prod' }, [
      'account "dev" (111111111111) is already onboarded with environment "dev", not "prod"; the generator never rewrites an existing entry, so change it in accounts.json by hand.',
    ]],
    ['every problem at once', { name: 'registry', accountId: '222222222222', environment: 'staging', region: 'mars-1' }, [
      'name "registry" is reserved for one of the workspace\'s own projects (access, components, identity, integration-tests, offline-preview, registry, testing, trust, trust-guard, workspace-plugin). Pick another key.',
      'accountId "222222222222" is already onboarded as "test"; each AWS account has exactly one registry entry.',
      'environment "staging" is not one of the registry\'s environments ("dev", "test", "prod"); use one of them, or add it to "environments" in accounts.json first.',
      'region "mars-1" is not a known AWS region (for example "eu-west-1" or "us-east-1").',
    ]],
  ];

  it.each(cases)('refuses %s, listing the problems and writing nothing', async (_title, options, problems) => {
    captureLogs();
    const tree = virtualWorkspace();
    const before = tree.listChanges().map((c) => c.path);
    const error = await rejection(() => accountGenerator(tree, options as AccountGeneratorSchema));
    expect(error).toBeInstanceOf(GeneratorInputError);
    expect((error as GeneratorInputError).problems).toEqual(problems);
    expect(error.message).toBe(
      `Cannot onboard account ${JSON.stringify(options.name)}: ${problems.length} problem${problems.length === 1 ? '' : 's'} (nothing was written):\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    expect(tree.listChanges().map((c) => c.path)).toEqual(before);
    expect(tree.read('accounts.json', 'utf-8')).toBe(SAMPLE_REGISTRY);
  });

  it('refuses a key that is another Nx project', async () => {
    captureLogs();
    const tree = virtualWorkspace();
    tree.write('tools/billing/package.json', JSON.stringify({ name: 'billing', nx: { name: 'billing' } }));
    tree.write('package.json', JSON.stringify({ name: 'trustline', workspaces: ['tools/*', 'projects/*'] }));
    const error = await rejection(() => accountGenerator(tree, { name: 'billing', accountId: '044444444444', environment: 'test' }));
    expect((error as GeneratorInputError).problems).toEqual([
      'name "billing" is already the Nx project at tools/billing; account keys double as project names, so pick another key.',
    ]);
  });
});

describe('account generator on disk: reruns, user edits and dry runs', () => {
  it('a second identical run changes nothing and says so', async () => {
    const logs = captureLogs();
    const ws = diskWorkspace();
    const first = ws.tree();
    await accountGenerator(first, QA);
    ws.flush(first);
    const snapshot = listFiles(path.join(ws.root, 'projects/qa')).map((f) => [f, fs.readFileSync(path.join(ws.root, 'projects/qa', f), 'utf8')]);
    const registryText = fs.readFileSync(path.join(ws.root, 'accounts.json'), 'utf8');

    const second = ws.tree();
    const task = await accountGenerator(second, QA);
    expect(second.listChanges()).toEqual([]);
    expect(task).toBeUndefined();
    expect(logs.info.at(-1)).toBe(
      'Account "qa" (044444444444) is already onboarded: accounts.json has its entry and projects/qa has every file. Nothing to do.',
    );
    expect(fs.readFileSync(path.join(ws.root, 'accounts.json'), 'utf8')).toBe(registryText);
    expect(listFiles(path.join(ws.root, 'projects/qa')).map((f) => [f, fs.readFileSync(path.join(ws.root, 'projects/qa', f), 'utf8')])).toEqual(snapshot);
  });

  it('keeps a file the user edited and recreates only a missing one', async () => {
    const logs = captureLogs();
    const ws = diskWorkspace();
    const first = ws.tree();
    await accountGenerator(first, QA);
    ws.flush(first);
    const edited = '// edited by hand\nexport {};\n';
    fs.writeFileSync(path.join(ws.root, 'projects/qa/index.ts'), edited);
    const removed = fs.readFileSync(path.join(ws.root, 'projects/qa/tsconfig.json'), 'utf8');
    fs.rmSync(path.join(ws.root, 'projects/qa/tsconfig.json'));

    const second = ws.tree();
    await accountGenerator(second, QA);
    expect(second.listChanges().map((c) => `${c.type} ${c.path}`)).toEqual(['CREATE projects/qa/tsconfig.json']);
    ws.flush(second);
    expect(fs.readFileSync(path.join(ws.root, 'projects/qa/index.ts'), 'utf8')).toBe(edited);
    expect(fs.readFileSync(path.join(ws.root, 'projects/qa/tsconfig.json'), 'utf8')).toBe(removed);
    expect(logs.info.at(-1)).toBe('Account "qa" is already in accounts.json; created the 1 missing file(s) of projects/qa and kept the existing ones.');
  });

  it('a dry run (changes listed, never flushed) leaves the disk untouched', async () => {
    captureLogs();
    const ws = diskWorkspace();
    const tree = ws.tree();
    await accountGenerator(tree, QA);
    expect(tree.listChanges().map((c) => `${c.type} ${c.path}`).sort()).toEqual(
      ['UPDATE accounts.json', ...QA_FILES.map((f) => `CREATE projects/qa/${f}`)].sort(),
    );
    expect(fs.readFileSync(path.join(ws.root, 'accounts.json'), 'utf8')).toBe(SAMPLE_REGISTRY);
    expect(fs.existsSync(path.join(ws.root, 'projects/qa'))).toBe(false);
  });
});
