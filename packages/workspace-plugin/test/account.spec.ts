import * as fs from 'node:fs';
import * as path from 'node:path';
import { readJson, readProjectConfiguration } from '@nx/devkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { validateRegistry } from '@trustline/registry';
import {
  GRAPH_CLI,
  GRAPH_COMMAND,
  GeneratorInputError,
  LOCKFILE_COMMAND,
  RAW_ACCOUNT_ID_ENV,
  accountGenerator,
  formatJson,
  normaliseAccountId,
  rawAccountIdCandidates,
  shell,
  usualDeployRoleName,
  type AccountGeneratorSchema,
} from '../src';
import { SAMPLE_REGISTRY, addGraphCli, captureLogs, diskWorkspace, fakeTools, listFiles, rejection, runOnDisk, virtualWorkspace } from './helpers';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

/** Runs `fn` with `tokens` appended to process.argv, as `nx g ... <tokens>` leaves them in its own process. */
async function withArgv<T>(tokens: string[], fn: () => Promise<T>): Promise<T> {
  const saved = process.argv;
  process.argv = [...saved, ...tokens];
  try {
    return await fn();
  } finally {
    process.argv = saved;
  }
}

/** The commands the generators' callbacks run, recorded instead of started. */
function recordCommands(): Array<[string, string]> {
  const ran: Array<[string, string]> = [];
  vi.spyOn(shell, 'run').mockImplementation((command: string, cwd: string) => void ran.push([command, cwd]));
  return ran;
}

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
    expect(Object.keys(project.targets ?? {}).sort()).toEqual(['destroy', 'lint', 'plugins', 'policy', 'preview', 'refresh', 'test', 'typecheck', 'up']);
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

const NUMBER_WITHOUT_TEXT = (n: number) =>
  `accountId ${n} arrived as a number, and the text it was typed as cannot be checked (Nx turns number-like text such as 1e11 or 0x67748580AB into numbers and drops leading zeros); ` +
  'pass it through the npm script (npm run account:add -- --accountId <12 digits>) or to nx g as --accountId=<12 digits>.';

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
    ['a number whose typed text is unknown (a leading zero may be gone)', { name: 'qa', accountId: 44444444444, environment: 'test' }, [
      NUMBER_WITHOUT_TEXT(44444444444),
    ]],
    ['a 12-digit number whose typed text is unknown', { name: 'qa', accountId: 444444444444, environment: 'test' }, [
      NUMBER_WITHOUT_TEXT(444444444444),
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

describe('account generator on disk: reruns, user edits, interrupted runs and dry runs', () => {
  const onboard = (ws: ReturnType<typeof diskWorkspace>, options: AccountGeneratorSchema) => runOnDisk(ws, accountGenerator, options);
  const qaFiles = (root: string) => listFiles(path.join(root, 'projects/qa')).map((f) => [f, fs.readFileSync(path.join(root, 'projects/qa', f), 'utf8')]);

  it('a second identical run changes nothing and says so', async () => {
    const logs = captureLogs();
    fakeTools();
    const ws = diskWorkspace();
    addGraphCli(ws.root);
    await onboard(ws, QA);
    const snapshot = qaFiles(ws.root);
    const registryText = fs.readFileSync(path.join(ws.root, 'accounts.json'), 'utf8');
    expect(readJson(ws.tree(), 'accounts.json').accounts.map((a: any) => a.key)).toEqual(['dev', 'prod', 'qa', 'test']);

    const second = await onboard(ws, QA);
    expect(second.changes).toEqual([]);
    expect(second.task).toBeUndefined();
    expect(logs.info.at(-1)).toBe(
      'Account "qa" (044444444444) is already onboarded: accounts.json has its entry, projects/qa has every file, package-lock.json records it and the trust graph draws it. Nothing to do.',
    );
    expect(fs.readFileSync(path.join(ws.root, 'accounts.json'), 'utf8')).toBe(registryText);
    expect(qaFiles(ws.root)).toEqual(snapshot);
  });

  it('keeps a file the user edited and recreates only a missing one', async () => {
    const logs = captureLogs();
    fakeTools();
    const ws = diskWorkspace();
    await onboard(ws, QA);
    const edited = '// edited by hand\nexport {};\n';
    fs.writeFileSync(path.join(ws.root, 'projects/qa/index.ts'), edited);
    const removed = fs.readFileSync(path.join(ws.root, 'projects/qa/tsconfig.json'), 'utf8');
    fs.rmSync(path.join(ws.root, 'projects/qa/tsconfig.json'));

    const second = await onboard(ws, QA);
    expect(second.changes).toEqual(['CREATE projects/qa/tsconfig.json']);
    expect(fs.readFileSync(path.join(ws.root, 'projects/qa/index.ts'), 'utf8')).toBe(edited);
    expect(fs.readFileSync(path.join(ws.root, 'projects/qa/tsconfig.json'), 'utf8')).toBe(removed);
    expect(logs.info).toContain('Account "qa" is already in accounts.json; created the 1 missing file(s) of projects/qa and kept the existing ones.');
  });

  it('a rerun for a registered account needs no --environment: it is taken from the entry', async () => {
    const logs = captureLogs();
    fakeTools();
    const ws = diskWorkspace();
    await onboard(ws, { ...QA, environment: 'prod' });
    const second = await onboard(ws, { name: 'qa', accountId: '044444444444' });
    expect(second.task).toBeUndefined();
    expect(second.changes).toEqual([]);
    expect(logs.info.at(-1)).toContain('Account "qa" (044444444444) is already onboarded');
  });

  it('a rerun after a run killed before its lockfile step finishes the lockfile and the graph, not "Nothing to do"', async () => {
    const logs = captureLogs();
    const ws = diskWorkspace();
    addGraphCli(ws.root);
    // The first run: Nx writes the files, the callback commits the registry entry, then npm is killed.
    vi.spyOn(shell, 'run').mockImplementation(() => {
      throw new Error('Command failed: npm install (killed)');
    });
    await expect(onboard(ws, QA)).rejects.toThrow('killed');
    vi.restoreAllMocks();
    captureLogs();
    expect(readJson(ws.tree(), 'accounts.json').accounts.map((a: any) => a.key)).toContain('qa');
    expect(fs.existsSync(path.join(ws.root, 'package-lock.json'))).toBe(false);

    const ran = fakeTools();
    const second = await onboard(ws, QA);
    expect(second.changes).toEqual([]);
    expect(typeof second.task).toBe('function');
    expect(ran.map(([c]) => c)).toEqual([LOCKFILE_COMMAND, GRAPH_COMMAND]);
    expect(JSON.parse(fs.readFileSync(path.join(ws.root, 'package-lock.json'), 'utf8')).packages['projects/qa']).toBeDefined();
    expect(fs.readFileSync(path.join(ws.root, 'docs/trust-graph.mmd'), 'utf8')).toContain('"account qa (044444444444)"');
    expect(logs.info.join('\n')).not.toContain('Nothing to do');
  });

  it('a rerun after a run killed before its registry commit adds the entry and keeps the files', async () => {
    captureLogs();
    fakeTools();
    const ws = diskWorkspace();
    const tree = ws.tree();
    await accountGenerator(tree, QA);
    ws.flush(tree); // killed here: files written, callback never ran
    expect(readJson(ws.tree(), 'accounts.json').accounts.map((a: any) => a.key)).not.toContain('qa');
    const files = qaFiles(ws.root);
    await onboard(ws, QA);
    expect(readJson(ws.tree(), 'accounts.json').accounts.map((a: any) => a.key)).toEqual(['dev', 'prod', 'qa', 'test']);
    expect(qaFiles(ws.root)).toEqual(files);
  });

  it('writes the project files through the tree, and the registry only in its callback (which --dry-run never runs)', async () => {
    const logs = captureLogs();
    const ran = recordCommands();
    const ws = diskWorkspace();
    addGraphCli(ws.root);
    const tree = ws.tree();
    const task = await accountGenerator(tree, QA);
    expect(tree.listChanges().map((c) => `${c.type} ${c.path}`).sort()).toEqual(QA_FILES.map((f) => `CREATE projects/qa/${f}`).sort());
    expect(logs.info).toContain('UPDATE accounts.json (after the project files are written, as one locked transaction)');
    // Nothing reached the disk and nothing ran: a generator that wrote files or started npm itself would
    // do so under --dry-run too.
    expect(fs.readFileSync(path.join(ws.root, 'accounts.json'), 'utf8')).toBe(SAMPLE_REGISTRY);
    expect(fs.existsSync(path.join(ws.root, 'projects/qa'))).toBe(false);
    expect(ran).toEqual([]);
    expect(typeof task).toBe('function');
  });

  it('keeps a 4-space, CRLF, BOM registry in its own layout, changing only the added lines', async () => {
    captureLogs();
    fakeTools();
    const fourSpaces = `\uFEFF${formatJson(JSON.parse(SAMPLE_REGISTRY), { indent: '    ' }).replace(/\n/g, '\r\n')}`;
    const ws = diskWorkspace(fourSpaces);
    await onboard(ws, QA);
    const after = fs.readFileSync(path.join(ws.root, 'accounts.json'), 'utf8');
    expect(after.startsWith('\uFEFF{\r\n    "$schema"')).toBe(true);
    const added = after.split('\r\n').filter((l) => !fourSpaces.split('\r\n').includes(l));
    // Every other line of the new entry (braces, region, role...) already occurs in the file.
    expect(added).toEqual(['            "key": "qa",', '            "accountId": "044444444444",']);
    // 11 lines: the trustedPrincipals list no longer fits in 80 columns at this depth, as in the other entries.
    expect(after.split('\r\n').length - fourSpaces.split('\r\n').length).toBe(11);
  });
});

describe('account generator: the account id as typed', () => {
  it.each<[string, unknown, Array<[string, string]>, { id?: string; problem?: string }]>([
    ['a string, no typed text', '044444444444', [], { id: '044444444444' }],
    ['a number with its typed text', 444444444444, [['444444444444', 'env']], { id: '444444444444' }],
    ['a number that lost its leading zero, with its typed text', 44444444444, [['044444444444', 'env']], { id: '044444444444' }],
    ['1e11 (Nx: 100000000000)', 100000000000, [['1e11', 'env']], { problem: 'accountId "1e11" is not a 12-digit AWS account id (keep it a string: "012345678901").' }],
    ['0x67748580AB (Nx: 444336537771)', 444336537771, [['0x67748580AB', 'argv']], { problem: 'accountId "0x67748580AB" is not a 12-digit AWS account id (keep it a string: "012345678901").' }],
    ['4.44444444444e11 (Nx: 444444444444)', 444444444444, [['4.44444444444e11', 'argv']], { problem: 'accountId "4.44444444444e11" is not a 12-digit AWS account id (keep it a string: "012345678901").' }],
    ['111111111111.0 (Nx: 111111111111)', 111111111111, [['111111111111.0', 'argv']], { problem: 'accountId "111111111111.0" is not a 12-digit AWS account id (keep it a string: "012345678901").' }],
    ['a stale typed text for another value is ignored', '044444444444', [['055555555555', 'env']], { id: '044444444444' }],
    ['a stale typed text does not vouch for a number', 444444444444, [['055555555555', 'env']], { problem: NUMBER_WITHOUT_TEXT(444444444444) }],
    ['the first matching source wins', 444444444444, [['1e11', 'env'], ['444444444444', 'argv']], { id: '444444444444' }],
    ['a number, no typed text', 444444444444, [], { problem: NUMBER_WITHOUT_TEXT(444444444444) }],
    ['an empty typed text never matches 0', 0, [['', 'env']], { problem: NUMBER_WITHOUT_TEXT(0) }],
    ['a boolean', true, [], { problem: 'accountId true is not a 12-digit AWS account id (keep it a string: "012345678901").' }],
  ])('normaliseAccountId: %s', (_title, value, candidates, expected) => {
    expect(normaliseAccountId(value, candidates.map(([text, source]) => ({ text, source })))).toEqual(expected);
  });

  it.each<[string, NodeJS.ProcessEnv, string[], Array<{ text: string; source: string }>]>([
    ['the wrapper variable, then the last argv token', { [RAW_ACCOUNT_ID_ENV]: '1e11' }, ['--accountId', '1', '--accountId', '0x67748580AB'], [
      { text: '1e11', source: '$TRUSTLINE_RAW_ACCOUNT_ID' },
      { text: '0x67748580AB', source: 'the command line' },
    ]],
    ['--accountId=<text>', {}, ['g', 'x', '--accountId=4.44444444444e11', '--environment', 'test'], [{ text: '4.44444444444e11', source: 'the command line' }]],
    ['--account-id <text>', {}, ['--account-id', '111111111111.0'], [{ text: '111111111111.0', source: 'the command line' }]],
    ['a flag with no value, and other flags', {}, ['--accountIdx=1', '--environment', 'test', '--accountId'], []],
  ])('rawAccountIdCandidates: %s', (_title, env, argv, expected) => {
    expect(rawAccountIdCandidates(env, argv)).toEqual(expected);
  });

  it.each<[string, string, number]>([
    ['1e11', '100000000000', 100000000000],
    ['0x67748580AB', '444336537771', 444336537771],
  ])('refuses --accountId %s from the npm wrapper, naming it as typed, not as Nx converted it (%s)', async (typed, converted, value) => {
    captureLogs();
    vi.stubEnv(RAW_ACCOUNT_ID_ENV, typed);
    const tree = virtualWorkspace();
    const error = await rejection(() => accountGenerator(tree, { name: 'qa', accountId: value, environment: 'test' }));
    expect((error as GeneratorInputError).problems).toEqual([`accountId "${typed}" is not a 12-digit AWS account id (keep it a string: "012345678901").`]);
    expect(error.message).not.toContain(converted);
    expect(tree.read('accounts.json', 'utf-8')).toBe(SAMPLE_REGISTRY);
  });

  it('refuses --accountId 4.44444444444e11 given to nx g directly (the token in argv)', async () => {
    captureLogs();
    const tree = virtualWorkspace();
    const error = await withArgv(['--accountId', '4.44444444444e11'], () => rejection(() => accountGenerator(tree, { name: 'qa', accountId: 444444444444, environment: 'test' })));
    expect((error as GeneratorInputError).problems).toEqual(['accountId "4.44444444444e11" is not a 12-digit AWS account id (keep it a string: "012345678901").']);
  });

  it('keeps 444444444444 given to nx g directly (Nx passes a number; argv shows the 12 digits)', async () => {
    captureLogs();
    const tree = virtualWorkspace();
    await withArgv(['--accountId=444444444444'], () => accountGenerator(tree, { name: 'qa', accountId: 444444444444, environment: 'test' }));
    expect(readJson(tree, 'accounts.json').accounts.find((a: any) => a.key === 'qa').accountId).toBe('444444444444');
  });
});

describe('account generator: the callback', () => {
  /** A disk workspace that has the offline preview's CLI (the graph command is skipped without it). */
  function workspaceWithPreview() {
    const ws = diskWorkspace();
    fs.mkdirSync(path.join(ws.root, path.dirname(GRAPH_CLI)), { recursive: true });
    fs.writeFileSync(path.join(ws.root, GRAPH_CLI), '');
    return ws;
  }

  it.each<[string, Partial<AccountGeneratorSchema>, string[], string | undefined]>([
    [
      'records the lockfile, then redraws the trust graph',
      {},
      [LOCKFILE_COMMAND, GRAPH_COMMAND],
      'Afterwards (skipped in --dry-run): npm install --package-lock-only (package-lock.json); redraw the trust graph (README.md, docs/trust-graph.*).',
    ],
    ['--skipInstall', { skipInstall: true }, [GRAPH_COMMAND], 'Afterwards (skipped in --dry-run): redraw the trust graph (README.md, docs/trust-graph.*).'],
    ['--skipGraph', { skipGraph: true }, [LOCKFILE_COMMAND], 'Afterwards (skipped in --dry-run): npm install --package-lock-only (package-lock.json).'],
    ['both', { skipInstall: true, skipGraph: true }, [], undefined],
  ])('%s', async (_title, flags, commands, notice) => {
    const logs = captureLogs();
    const ran = recordCommands();
    const ws = workspaceWithPreview();
    const tree = ws.tree();
    const task = await accountGenerator(tree, { ...QA, ...flags });
    // Logged by the generator itself, so a --dry-run (which never calls the callback) shows it too.
    expect(logs.info.filter((m) => m.startsWith('Afterwards'))).toEqual(notice === undefined ? [] : [notice]);
    ws.flush(tree);
    if (typeof task !== 'function') throw new Error('expected a callback');
    await task();
    expect(ran).toEqual(commands.map((c) => [c, ws.root]));
    expect(logs.info.at(-1)).toContain('Onboarded account "qa" (044444444444, environment test, region eu-west-1).');
  });

  it('lists what was skipped as the first next steps', async () => {
    const logs = captureLogs();
    recordCommands();
    const ws = workspaceWithPreview();
    const task = await accountGenerator(ws.tree(), { ...QA, skipInstall: true, skipGraph: true });
    if (typeof task !== 'function') throw new Error('expected a callback');
    await task();
    expect(logs.info.at(-1)).toBe(
      [
        'Onboarded account "qa" (044444444444, environment test, region eu-west-1).',
        'Next steps:',
        '  1. npm install --package-lock-only: records @trustline/account-qa in package-lock.json.',
        '  2. npm start -- --graph: redraws the trust graph in docs/ and README.md with the new account.',
        "  3. npx nx run qa:test: the project's mock test, no credentials needed.",
        '  4. npx nx run access:preview, then access:up: creates the deploy role trustline-deploy in 044444444444.',
        '  5. npx nx run qa:preview: needs credentials that may assume the hub role.',
      ].join('\n'),
    );
  });

  it('skips the graph in a workspace without the offline preview', async () => {
    const logs = captureLogs();
    const ran = recordCommands();
    const ws = diskWorkspace();
    const tree = ws.tree();
    const task = await accountGenerator(tree, QA);
    if (typeof task !== 'function') throw new Error('expected a callback');
    await task();
    expect(ran.map(([c]) => c)).toEqual([LOCKFILE_COMMAND]);
    expect(logs.info).toContain(`Not redrawing the trust graph: ${GRAPH_CLI} is not in this workspace.`);
  });

  it('warns, naming the command to rerun, when the graph cannot be redrawn', async () => {
    const logs = captureLogs();
    vi.spyOn(shell, 'run').mockImplementation((command: string) => {
      if (command === GRAPH_COMMAND) throw new Error('Command failed: npx --no-install tsx ...\nmore');
    });
    const ws = workspaceWithPreview();
    const tree = ws.tree();
    const task = await accountGenerator(tree, QA);
    if (typeof task !== 'function') throw new Error('expected a callback');
    await task();
    expect(logs.warn).toEqual([
      `The trust graph was not redrawn (${GRAPH_COMMAND} failed: Command failed: npx --no-install tsx ...). ` +
        'Fix what the preview reports (npm start), then run npm start -- --graph and commit docs/trust-graph.* and README.md.',
    ]);
  });
});
