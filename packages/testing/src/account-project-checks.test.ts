import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AccountBaseline,
  type RecordedProviderRef,
  type RecordedResource,
  createAccountProvider,
  recordProgram,
} from '@trustline/components';
import { getAccount, validateRegistry } from '@trustline/registry';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type AccountProjectExpectations,
  type ProjectFiles,
  checkAwsResources,
  checkOutputs,
  checkProjectFiles,
  checkProvider,
  programConfig,
  readProjectFiles,
} from './account-project-checks';

/** A made-up account, so these tests do not move when accounts.json does. */
const EXPECTED: AccountProjectExpectations = {
  key: 'fixture-acct',
  accountId: '066666666666',
  region: 'eu-west-1',
  environment: 'test',
  externalId: 'fixture-acct-external-id',
  hubRoleArn: 'arn:aws:iam::012345678901:role/trustline-hub',
  deployRoleArn: 'arn:aws:iam::066666666666:role/trustline-deploy',
  awsResourceTypes: ['aws:kms/key:Key', 'aws:s3/bucket:Bucket'],
  outputs: { accountId: '066666666666', bucketName: 'fixture-acct-bucket' },
};

/** The provider inputs createAccountProvider registers for EXPECTED, decoded. */
const GOOD_PROPS = {
  region: 'eu-west-1',
  allowedAccountIds: ['066666666666'],
  assumeRoles: [
    { roleArn: 'arn:aws:iam::012345678901:role/trustline-hub', sessionName: 'trustline-hub-fixture-acct', duration: '3600s' },
    { roleArn: 'arn:aws:iam::066666666666:role/trustline-deploy', sessionName: 'trustline-deploy-fixture-acct', duration: '3600s', externalId: 'fixture-acct-external-id' },
  ],
  defaultTags: { tags: { 'trustline:account': 'fixture-acct', 'trustline:environment': 'test', 'managed-by': 'trustline' } },
  skipCredentialsValidation: false,
  skipRegionValidation: true,
};

function provider(name = 'fixture-acct', props: Record<string, unknown> = GOOD_PROPS): RecordedResource {
  const urn = `urn:pulumi:fixture-acct::fixture-acct::pulumi:providers:aws::${name}`;
  return { type: 'pulumi:providers:aws', name, urn, custom: true, inputs: props, props, dependencies: [], propertyDependencies: {} };
}

function resource(type: string, name: string, via: RecordedResource | undefined): RecordedResource {
  const ref: RecordedProviderRef | undefined = via && { ref: `${via.urn}::${via.name}-id`, urn: via.urn, type: via.type, name: via.name, props: via.props };
  return {
    type,
    name,
    urn: `urn:pulumi:fixture-acct::fixture-acct::${type}::${name}`,
    custom: true,
    inputs: {},
    props: {},
    dependencies: [],
    propertyDependencies: {},
    ...(ref ? { provider: ref } : {}),
  };
}

const good = provider();
const GOOD_RESOURCES = [good, resource('aws:kms/key:Key', 'fixture-acct-key', good), resource('aws:s3/bucket:Bucket', 'fixture-acct-bucket', good)];

describe('checkProvider', () => {
  it('accepts the one account provider with the expected chain', () => {
    expect(checkProvider(GOOD_RESOURCES, EXPECTED)).toEqual([]);
  });

  it.each<[string, RecordedResource[], string[]]>([
    [
      'wrong allowedAccountIds',
      [provider('fixture-acct', { ...GOOD_PROPS, allowedAccountIds: ['999999999999'] })],
      ['AWS provider "fixture-acct" sets allowedAccountIds ["999999999999"]; it must be ["066666666666"].'],
    ],
    [
      'no allowedAccountIds (the provider would act in any account)',
      [provider('fixture-acct', { ...GOOD_PROPS, allowedAccountIds: undefined })],
      ['AWS provider "fixture-acct" sets allowedAccountIds undefined; it must be ["066666666666"].'],
    ],
    [
      'a deploy hop without the external id',
      [provider('fixture-acct', { ...GOOD_PROPS, assumeRoles: [GOOD_PROPS.assumeRoles[0], { ...GOOD_PROPS.assumeRoles[1], externalId: undefined }] })],
      [
        'AWS provider "fixture-acct" sets assumeRoles [{"roleArn":"arn:aws:iam::012345678901:role/trustline-hub","sessionName":"trustline-hub-fixture-acct","duration":"3600s"},{"roleArn":"arn:aws:iam::066666666666:role/trustline-deploy","sessionName":"trustline-deploy-fixture-acct","duration":"3600s"}]; it must be [{"roleArn":"arn:aws:iam::012345678901:role/trustline-hub","sessionName":"trustline-hub-fixture-acct","duration":"3600s"},{"roleArn":"arn:aws:iam::066666666666:role/trustline-deploy","sessionName":"trustline-deploy-fixture-acct","duration":"3600s","externalId":"fixture-acct-external-id"}].',
      ],
    ],
    [
      'a missing region and an extra profile',
      [provider('fixture-acct', { ...Object.fromEntries(Object.entries(GOOD_PROPS).filter(([k]) => k !== 'region')), profile: 'admin' })],
      ['AWS provider "fixture-acct" sets profile "admin", which an account provider does not set.', 'AWS provider "fixture-acct" does not set region; it must be "eu-west-1".'],
    ],
    ['no provider at all', [], ['The program registers no AWS provider; an account project deploys through exactly one, urn:pulumi:fixture-acct::fixture-acct::pulumi:providers:aws::fixture-acct.']],
    [
      'a provider under another name',
      [provider('main')],
      ['The program registers 1 AWS provider(s) (urn:pulumi:fixture-acct::fixture-acct::pulumi:providers:aws::main); an account project deploys through exactly one, urn:pulumi:fixture-acct::fixture-acct::pulumi:providers:aws::fixture-acct.'],
    ],
    [
      'a second provider beside the right one, whose inputs are still checked',
      [provider('fixture-acct', { ...GOOD_PROPS, region: 'us-east-1' }), provider('other')],
      [
        'The program registers 2 AWS provider(s) (urn:pulumi:fixture-acct::fixture-acct::pulumi:providers:aws::fixture-acct, urn:pulumi:fixture-acct::fixture-acct::pulumi:providers:aws::other); an account project deploys through exactly one, urn:pulumi:fixture-acct::fixture-acct::pulumi:providers:aws::fixture-acct.',
        'AWS provider "fixture-acct" sets region "us-east-1"; it must be "eu-west-1".',
      ],
    ],
  ])('refuses %s', (_case, resources, problems) => {
    expect(checkProvider(resources, EXPECTED)).toEqual(problems);
  });

  it('expects no external id when the account has none', () => {
    const { externalId: _dropped, ...deployHop } = GOOD_PROPS.assumeRoles[1];
    const props = { ...GOOD_PROPS, assumeRoles: [GOOD_PROPS.assumeRoles[0], deployHop] };
    expect(checkProvider([provider('fixture-acct', props)], { ...EXPECTED, externalId: undefined })).toEqual([]);
    expect(checkProvider([provider('fixture-acct', GOOD_PROPS)], { ...EXPECTED, externalId: undefined })).toHaveLength(1);
  });
});

describe('checkAwsResources', () => {
  it('accepts the expected types, each through the account provider', () => {
    expect(checkAwsResources(GOOD_RESOURCES, EXPECTED)).toEqual([]);
  });

  it.each<[string, RecordedResource[], string[]]>([
    [
      'a resource that lacks the provider',
      [good, resource('aws:kms/key:Key', 'fixture-acct-key', good), resource('aws:s3/bucket:Bucket', 'fixture-acct-bucket', undefined)],
      [
        'aws:s3/bucket:Bucket "fixture-acct-bucket" (urn:pulumi:fixture-acct::fixture-acct::aws:s3/bucket:Bucket::fixture-acct-bucket) has no provider, so it would deploy through a default provider with whatever credentials run Pulumi; pass { provider } to it or to its component.',
      ],
    ],
    [
      'a resource through another provider',
      [good, provider('other'), resource('aws:kms/key:Key', 'fixture-acct-key', provider('other')), resource('aws:s3/bucket:Bucket', 'fixture-acct-bucket', good)],
      [
        'aws:kms/key:Key "fixture-acct-key" (urn:pulumi:fixture-acct::fixture-acct::aws:kms/key:Key::fixture-acct-key) is managed by urn:pulumi:fixture-acct::fixture-acct::pulumi:providers:aws::other; it must go through the account\'s provider urn:pulumi:fixture-acct::fixture-acct::pulumi:providers:aws::fixture-acct.',
      ],
    ],
    [
      'a missing and an unexpected type',
      [good, resource('aws:kms/key:Key', 'fixture-acct-key', good), resource('aws:sns/topic:Topic', 'fixture-acct-topic', good)],
      ['The program registers AWS resources ["aws:kms/key:Key","aws:sns/topic:Topic"]; expected ["aws:kms/key:Key","aws:s3/bucket:Bucket"] in this order (missing ["aws:s3/bucket:Bucket"], unexpected ["aws:sns/topic:Topic"]).'],
    ],
    [
      'the expected types in another order',
      [good, resource('aws:s3/bucket:Bucket', 'fixture-acct-bucket', good), resource('aws:kms/key:Key', 'fixture-acct-key', good)],
      ['The program registers AWS resources ["aws:s3/bucket:Bucket","aws:kms/key:Key"]; expected ["aws:kms/key:Key","aws:s3/bucket:Bucket"] in this order (the same types in another order).'],
    ],
    [
      'a duplicated resource',
      [...GOOD_RESOURCES, resource('aws:s3/bucket:Bucket', 'fixture-acct-bucket-2', good)],
      ['The program registers AWS resources ["aws:kms/key:Key","aws:s3/bucket:Bucket","aws:s3/bucket:Bucket"]; expected ["aws:kms/key:Key","aws:s3/bucket:Bucket"] in this order (unexpected ["aws:s3/bucket:Bucket"]).'],
    ],
  ])('refuses %s', (_case, resources, problems) => {
    expect(checkAwsResources(resources, EXPECTED)).toEqual(problems);
  });
});

describe('checkOutputs', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['exactly the expected outputs', { accountId: '066666666666', bucketName: 'fixture-acct-bucket' }, []],
    ['a wrong value', { accountId: '111111111111', bucketName: 'fixture-acct-bucket' }, ['The stack exports accountId = "111111111111"; it must export "066666666666".']],
    ['a missing output', { accountId: '066666666666' }, ['The stack does not export bucketName; it must export "fixture-acct-bucket".']],
    [
      'an unexpected output',
      { accountId: '066666666666', bucketName: 'fixture-acct-bucket', secret: 'x' },
      ['The stack exports secret = "x", which the test does not expect; add it to the expected outputs or stop exporting it.'],
    ],
  ])('%s', (_case, outputs, problems) => {
    expect(checkOutputs(outputs, EXPECTED)).toEqual(problems);
  });
});

describe('checkProjectFiles', () => {
  const files = (projectFile: unknown, stackFile: unknown): ProjectFiles => ({ projectFileName: 'Pulumi.yaml', stackFileName: 'Pulumi.fixture-acct.yaml', projectFile, stackFile });
  const project = { name: 'fixture-acct', runtime: { name: 'nodejs', options: { typescript: true } }, main: 'index.ts', config: { 'pulumi:disable-default-providers': { value: ['aws'] } } };
  const stack = { config: { 'aws:region': 'eu-west-1' } };
  const DEFAULTS_ON =
    'Pulumi.yaml sets pulumi:disable-default-providers undefined; it must be {"value":["aws"]} (project-level, for every stack), so a resource that forgets { provider } fails instead of deploying with the caller\'s credentials.';

  it.each<[string, unknown, unknown, string[]]>([
    ['the generated shape', project, stack, []],
    [
      'a project named after something else, in JavaScript, with another main',
      { name: 'dev', runtime: 'nodejs', main: 'main.js', config: project.config },
      stack,
      [
        'Pulumi.yaml sets name "dev"; the project is named after its account: "fixture-acct".',
        'Pulumi.yaml sets runtime "nodejs"; an account project is TypeScript: {"name":"nodejs","options":{"typescript":true}}.',
        'Pulumi.yaml sets main "main.js"; the program is "index.ts".',
      ],
    ],
    [
      'another region, and a stack file that turns default providers back on',
      project,
      { config: { 'aws:region': 'us-east-1', 'pulumi:disable-default-providers': [] } },
      [
        'Pulumi.fixture-acct.yaml sets aws:region "us-east-1"; the account\'s region is "eu-west-1".',
        'Pulumi.fixture-acct.yaml sets pulumi:disable-default-providers [], which overrides Pulumi.yaml\'s ["aws"]; remove it from the stack file, so a resource that forgets { provider } fails instead of deploying with the caller\'s credentials.',
      ],
    ],
    ['default providers disabled only in the stack file (lost when the file is missing)', { ...project, config: undefined }, { config: { 'aws:region': 'eu-west-1', 'pulumi:disable-default-providers': ['aws'] } }, [DEFAULTS_ON]],
    [
      'empty files',
      null,
      null,
      ['Pulumi.yaml is null, not a mapping; it must set name, runtime and main.', 'Pulumi.fixture-acct.yaml has config undefined, not a mapping; it must set aws:region.'],
    ],
  ])('%s', (_case, projectFile, stackFile, problems) => {
    expect(checkProjectFiles(files(projectFile, stackFile), EXPECTED)).toEqual(problems);
  });
});

describe('readProjectFiles and programConfig', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-testing-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('parses both files and hands the program only its own config, non-strings JSON-encoded', () => {
    fs.writeFileSync(path.join(dir, 'Pulumi.yaml'), 'name: fixture-acct\n');
    fs.writeFileSync(path.join(dir, 'Pulumi.fixture-acct.yaml'), 'config:\n  aws:region: eu-west-1\n  pulumi:disable-default-providers: [aws]\n  fixture-acct:replicas: 3\n  fixture-acct:tags: {team: core}\n');
    const files = readProjectFiles(dir, 'fixture-acct');
    expect(files.projectFile).toEqual({ name: 'fixture-acct' });
    expect(programConfig(files.stackFile)).toEqual({ 'aws:region': 'eu-west-1', 'fixture-acct:replicas': '3', 'fixture-acct:tags': '{"team":"core"}' });
  });

  it('names the file it cannot read', () => {
    expect(() => readProjectFiles(dir, 'missing')).toThrow(
      `Cannot read ${path.join(dir, 'Pulumi.missing.yaml')}: ENOENT: no such file or directory, open '${path.join(dir, 'Pulumi.missing.yaml')}'. Every account project has Pulumi.yaml and Pulumi.missing.yaml.`,
    );
  });
});

describe('the checks on a real recording', () => {
  const registry = validateRegistry(
    {
      organizationId: 'o-exampleorg01',
      bootstrapRoleName: 'OrganizationAccountAccessRole',
      environments: ['test'],
      identity: { key: 'identity', accountId: '012345678901', region: 'eu-west-1', hubRoleName: 'trustline-hub' },
      accounts: [
        {
          key: 'fixture-acct',
          accountId: '066666666666',
          environment: 'test',
          region: 'eu-west-1',
          deployRoleName: 'trustline-deploy',
          trustedPrincipals: ['arn:aws:iam::012345678901:role/trustline-hub'],
          externalId: 'fixture-acct-external-id',
          maxSessionDurationSeconds: 3600,
        },
      ],
    },
    'fixture accounts.json',
  );
  const account = getAccount(registry, 'fixture-acct');
  const BASELINE_TYPES = [
    'aws:kms/key:Key',
    'aws:s3/bucket:Bucket',
    'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
    'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
    'aws:ssm/parameter:Parameter',
  ];
  const expected = { ...EXPECTED, awsResourceTypes: BASELINE_TYPES };

  /** The account program, with or without passing its provider to the baseline. */
  const record = (passProvider: boolean) =>
    recordProgram({
      project: 'fixture-acct',
      stack: 'fixture-acct',
      program: () => {
        const provider = createAccountProvider('fixture-acct', { registry, account });
        new AccountBaseline('fixture-acct-baseline', { accountKey: account.key }, passProvider ? { provider } : {});
      },
    });

  it('passes the program that passes { provider }', async () => {
    const { resources } = await record(true);
    expect(checkProvider(resources, expected)).toEqual([]);
    expect(checkAwsResources(resources, expected)).toEqual([]);
  });

  it('fails the program that drops { provider }, once per resource', async () => {
    const { resources } = await record(false);
    expect(checkProvider(resources, expected)).toEqual([]);
    const problems = checkAwsResources(resources, expected);
    expect(problems.map((p) => p.slice(0, p.indexOf(' (')))).toEqual([
      'aws:kms/key:Key "fixture-acct-baseline-key"',
      'aws:s3/bucket:Bucket "fixture-acct-baseline-bucket"',
      'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock "fixture-acct-baseline-public-access"',
      'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration "fixture-acct-baseline-encryption"',
      'aws:ssm/parameter:Parameter "fixture-acct-baseline-parameter"',
    ]);
    for (const p of problems) {
      expect(p).toMatch(/\) has no provider, so it would deploy through a default provider with whatever credentials run Pulumi; pass \{ provider \} to it or to its component\.$/);
    }
  });
});
