import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Tree, readJson } from '@nx/devkit';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { type GeneratorInputError, type OrgSpec, accountGenerator, orgInitGenerator } from '../src';
import { captureLogs, rejection, virtualWorkspace } from './helpers';

afterEach(() => vi.restoreAllMocks());

const SPEC: OrgSpec = {
  organizationId: 'o-a1b2c3d4e5',
  identity: { accountId: '123456789012', region: 'us-east-1', hubRoleName: 'platform-hub' },
  environments: ['dev', 'prod'],
  accounts: [
    { key: 'web-prod', accountId: '210987654321', environment: 'prod', region: 'eu-central-1' },
    { key: 'web-dev', accountId: '012345678912', environment: 'dev' },
  ],
};

/** Writes `spec` to a temp file, as `npm run org:init` does, and returns its path. */
function specFile(spec: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'org-init-spec-'));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'org.json');
  fs.writeFileSync(file, typeof spec === 'string' ? spec : JSON.stringify(spec));
  return file;
}

/** The sample workspace with the sample projects as the generator renders them, and the access stack file. */
async function sampleWorkspace(): Promise<Tree> {
  const tree = virtualWorkspace();
  for (const key of ['dev', 'prod', 'test']) {
    tree.delete(`projects/${key}`);
    await accountGenerator(tree, { name: key, accountId: readJson(tree, 'accounts.json').accounts.find((a: any) => a.key === key).accountId });
  }
  tree.write('Pulumi.identity.yaml', 'config:\n  aws:region: eu-west-1\n  pulumi:disable-default-providers:\n    - aws\n');
  return tree;
}

describe('org-init generator', () => {
  it('replaces the sample registry and projects with the organization, defaults as account:add gives them', async () => {
    const logs = captureLogs();
    const tree = await sampleWorkspace();
    await orgInitGenerator(tree, { file: specFile(SPEC) });
    expect(readJson(tree, 'accounts.json')).toEqual({
      $schema: './packages/registry/accounts.schema.json',
      organizationId: 'o-a1b2c3d4e5',
      bootstrapRoleName: 'OrganizationAccountAccessRole',
      environments: ['dev', 'prod'],
      identity: { key: 'identity', accountId: '123456789012', region: 'us-east-1', hubRoleName: 'platform-hub' },
      externalAccounts: [],
      accounts: [
        {
          key: 'web-dev',
          accountId: '012345678912',
          environment: 'dev',
          region: 'us-east-1',
          deployRoleName: 'trustline-deploy',
          trustedPrincipals: ['arn:aws:iam::123456789012:role/platform-hub'],
          maxSessionDurationSeconds: 3600,
        },
        {
          key: 'web-prod',
          accountId: '210987654321',
          environment: 'prod',
          region: 'eu-central-1',
          deployRoleName: 'trustline-deploy',
          trustedPrincipals: ['arn:aws:iam::123456789012:role/platform-hub'],
          maxSessionDurationSeconds: 3600,
        },
      ],
    });
    for (const key of ['dev', 'prod', 'test']) expect(tree.exists(`projects/${key}`)).toBe(false);
    expect(tree.read('projects/web-dev/index.test.ts', 'utf-8')).toContain("hubRoleArn: 'arn:aws:iam::123456789012:role/platform-hub'");
    expect(tree.read('projects/web-prod/Pulumi.web-prod.yaml', 'utf-8')).toContain('aws:region: eu-central-1');
    expect(tree.read('Pulumi.identity.yaml', 'utf-8')).toContain('  aws:region: us-east-1\n');
    expect(logs.info[logs.info.length - 2]).toContain('Removing accounts: dev (111111111111), prod (333333333333), test (222222222222).');
  });

  it('a second run changes nothing and says so', async () => {
    const logs = captureLogs();
    const tree = await sampleWorkspace();
    const file = specFile(SPEC);
    await orgInitGenerator(tree, { file });
    const after = new Map(tree.listChanges().map((c) => [c.path, c.content?.toString()]));
    const task = await orgInitGenerator(tree, { file });
    expect(task).toBeUndefined();
    expect(logs.info.at(-1)).toBe('The registry and the account projects already describe organization o-a1b2c3d4e5. Nothing to do.');
    expect(new Map(tree.listChanges().map((c) => [c.path, c.content?.toString()]))).toEqual(after);
  });

  it('refuses, writing nothing, to replace a sample project you edited, unless --force', async () => {
    captureLogs();
    const tree = await sampleWorkspace();
    tree.write('projects/dev/index.ts', '// mine\n');
    tree.write('projects/test/notes.md', 'notes\n');
    const before = tree.read('accounts.json', 'utf-8');
    const error = await rejection(() => orgInitGenerator(tree, { file: specFile(SPEC) }));
    expect((error as GeneratorInputError).problems).toEqual([
      'projects/dev has files that were edited or that the generator did not create (index.ts); keep what you need elsewhere, then rerun with --force to replace the folder.',
      'projects/test has files that were edited or that the generator did not create (notes.md); keep what you need elsewhere, then rerun with --force to replace the folder.',
    ]);
    expect(tree.read('accounts.json', 'utf-8')).toBe(before);
    await orgInitGenerator(tree, { file: specFile(SPEC), force: true });
    expect(tree.exists('projects/dev')).toBe(false);
  });

  it('refuses while other code still references a sample account (getAccount(loadRegistry(), \'dev\') included), listing every reference', async () => {
    captureLogs();
    const tree = await sampleWorkspace();
    const before = tree.read('accounts.json', 'utf-8');
    tree.write('access/src/extra.ts', "import { getAccount, loadRegistry } from '@trustline/registry';\nexport const dev = getAccount(loadRegistry(), 'dev');\ngetAccount(registry, 'prod');\n");
    tree.write('scripts/deploy.sh', 'npx nx run-many -t up -p test\n');
    const error = await rejection(() => orgInitGenerator(tree, { file: specFile(SPEC) }));
    expect((error as GeneratorInputError).problems).toEqual([
      `access/src/extra.ts:2:20 looks up account "dev" with @trustline/registry's getAccount (getAccount(loadRegistry(), 'dev')); remove that reference first.`,
      `access/src/extra.ts:3:1 looks up account "prod" with @trustline/registry's getAccount (getAccount(registry, 'prod')); remove that reference first.`,
      'scripts/deploy.sh:1:26 names the Nx project of account "test" after -p (npx nx run-many -t up -p test); remove that reference first.',
    ]);
    expect(tree.read('accounts.json', 'utf-8')).toBe(before);
    expect(tree.exists('projects/dev/index.ts')).toBe(true);
  });

  it('lists every problem of the input in one error (the issue: bad organization, identity id and region, one account given twice), writing nothing', async () => {
    captureLogs();
    const tree = await sampleWorkspace();
    const before = tree.read('accounts.json', 'utf-8');
    // npm run org:init -- --organizationId exampleorg --identityAccountId 1234567 --region mars-1 --account web:1234:staging --account web:1234:staging
    const bad = {
      organizationId: 'exampleorg',
      identity: { accountId: '1234567', region: 'mars-1' },
      accounts: [
        { key: 'web', accountId: '1234', environment: 'staging' },
        { key: 'web', accountId: '1234', environment: 'staging' },
      ],
    };
    const error = await rejection(() => orgInitGenerator(tree, { file: specFile(bad) }));
    expect((error as GeneratorInputError).problems).toEqual([
      'organizationId "exampleorg" is not an AWS Organizations id ("o-" then 10 to 32 lower-case letters or digits).',
      'identity.accountId "1234567" is not a 12-digit AWS account id (keep it a string: "012345678901"); trustedPrincipals naming other accounts are checked once it is fixed.',
      'identity.region "mars-1" is not a known AWS region (for example "eu-west-1" or "us-east-1").',
      'accounts[0] ("web"): accountId "1234" is not a 12-digit AWS account id (keep it a string: "012345678901").',
      'accounts[0] ("web"): environment "staging" is not one of the registry\'s environments ("dev", "test", "prod"); use one of them, or add it to "environments" in accounts.json first.',
      'accounts[1] ("web"): key "web" is also accounts[0] ("web"); each account is listed once, under its own key.',
      'accounts[1] ("web"): accountId "1234" is not a 12-digit AWS account id (keep it a string: "012345678901").',
      'accounts[1] ("web"): environment "staging" is not one of the registry\'s environments ("dev", "test", "prod"); use one of them, or add it to "environments" in accounts.json first.',
    ]);
    expect(error.message).toMatch(/^Cannot adopt the organization: 8 problems \(nothing was written\):\n/);
    expect(tree.read('accounts.json', 'utf-8')).toBe(before);
    expect(tree.exists('projects/web')).toBe(false);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    [
      'an invalid environments list: the accounts\' environments are checked once it is fixed, their other fields now',
      { environments: ['Dev'], accounts: [{ key: 'web', accountId: '12', environment: 'dev' }] },
      [
        'environments ["Dev"] must be a non-empty list of lower-case names such as ["dev","test","prod"].',
        'accounts[0] ("web"): accountId "12" is not a 12-digit AWS account id (keep it a string: "012345678901").',
      ],
    ],
    [
      'an account id given twice under two keys, an invalid externalId, and an id that is a number',
      {
        accounts: [
          { key: 'web-dev', accountId: '012345678912', environment: 'dev', externalId: 'x' },
          { key: 'web-prod', accountId: '012345678912', environment: 'prod' },
          { key: 'api', accountId: 12345678901, environment: 'prod' },
        ],
      },
      [
        'accounts[0] ("web-dev"): externalId "x" is not a valid sts:ExternalId (2 to 1224 of letters, digits and +=,.@:/_-).',
        'accounts[1] ("web-prod"): accountId "012345678912" is also accounts[0] ("web-dev"); each AWS account has exactly one registry entry.',
        'accounts[2] ("api"): accountId 12345678901 is a number; write it as a 12-digit string so leading zeros survive (e.g. "012345678901").',
      ],
    ],
  ])('one pass: %s', async (_title, change, problems) => {
    captureLogs();
    const tree = await sampleWorkspace();
    const error = await rejection(() => orgInitGenerator(tree, { file: specFile({ ...SPEC, ...change }) }));
    expect((error as GeneratorInputError).problems).toEqual(problems);
  });

  it('refuses a bad spec with one error listing every problem', async () => {
    captureLogs();
    const tree = await sampleWorkspace();
    const bad = {
      ...SPEC,
      accounts: [
        { key: 'web', accountId: 210987654321, environment: 'prod' },
        { key: 'api', accountId: '123456789012', environment: 'prod' },
        { key: 'db', accountId: '333333333333', environment: 'staging' },
      ],
    };
    const error = await rejection(() => orgInitGenerator(tree, { file: specFile(bad) }));
    expect((error as GeneratorInputError).problems).toEqual([
      'accounts[0] ("web"): accountId 210987654321 is a number; write it as a 12-digit string so leading zeros survive (e.g. "012345678901").',
      'accounts[1] ("api"): accountId "123456789012" is the identity account "identity"; the identity account holds credentials and is not onboarded as a target.',
      'accounts[2] ("db"): environment "staging" is not one of the registry\'s environments ("dev", "prod"); use one of them, or add it to "environments" in accounts.json first.',
    ]);
    const noOrg = await rejection(() => orgInitGenerator(tree, { file: specFile({ ...SPEC, organizationId: 'exampleorg' }) }));
    expect((noOrg as GeneratorInputError).problems[0]).toMatch(/^organizationId "exampleorg" /);
    const notJson = await rejection(() => orgInitGenerator(tree, { file: specFile('{"organizationId": ') }));
    expect(notJson.message).toMatch(/^Cannot adopt the organization: 1 problem \(nothing was written\):\n {2}- the spec file .*org\.json: not valid JSON: line \d+, column \d+: /);
  });
});
