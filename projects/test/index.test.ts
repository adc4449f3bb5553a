import * as fs from 'node:fs';
import * as path from 'node:path';
import { recordProgram } from '@trustline/components';
import { describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';

// Expected values for this account, as in accounts.json.
const KEY = 'test';
const ACCOUNT_ID = '222222222222';
const REGION = 'eu-central-1';
const ENVIRONMENT = 'test';
const EXTERNAL_ID: string | undefined = undefined;
const HUB_ROLE_ARN = 'arn:aws:iam::012345678901:role/trustline-hub';

const stackFile = parse(fs.readFileSync(path.join(__dirname, `Pulumi.${KEY}.yaml`), 'utf8')) as { config: Record<string, unknown> };
const projectFile = parse(fs.readFileSync(path.join(__dirname, 'Pulumi.yaml'), 'utf8')) as Record<string, unknown>;

/** The stack's own config as the program sees it (engine-level `pulumi:` keys are not program config). */
const programConfig = Object.fromEntries(
  Object.entries(stackFile.config)
    .filter(([k]) => !k.startsWith('pulumi:'))
    .map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
);

const run = () =>
  recordProgram({
    project: KEY,
    stack: KEY,
    config: programConfig,
    program: async () => {
      vi.resetModules();
      return import('./index');
    },
  });

describe(`project ${KEY}`, () => {
  it('is a TypeScript project named after the account, with its stack config pinned', () => {
    expect(projectFile).toMatchObject({ name: KEY, runtime: { name: 'nodejs', options: { typescript: true } }, main: 'index.ts' });
    expect(stackFile.config['aws:region']).toBe(REGION);
    expect(stackFile.config['pulumi:disable-default-providers']).toEqual(['aws']);
  });

  it('deploys through one provider that chains hub -> deploy role and is pinned to the account', async () => {
    const { resources } = await run();
    const providers = resources.filter((r) => r.type === 'pulumi:providers:aws');
    expect(providers.map((p) => p.urn)).toEqual([`urn:pulumi:${KEY}::${KEY}::pulumi:providers:aws::${KEY}`]);
    expect(providers[0].props).toEqual({
      region: REGION,
      allowedAccountIds: [ACCOUNT_ID],
      assumeRoles: [
        { roleArn: HUB_ROLE_ARN, sessionName: `trustline-hub-${KEY}`, duration: '3600s' },
        {
          roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/trustline-deploy`,
          sessionName: `trustline-deploy-${KEY}`,
          duration: '3600s',
          ...(EXTERNAL_ID ? { externalId: EXTERNAL_ID } : {}),
        },
      ],
      defaultTags: { tags: { 'trustline:account': KEY, 'trustline:environment': ENVIRONMENT, 'managed-by': 'trustline' } },
      skipCredentialsValidation: false,
      skipRegionValidation: true,
    });
  });

  it('creates every AWS resource through that provider, none through a default provider', async () => {
    const { resources } = await run();
    const providerUrn = `urn:pulumi:${KEY}::${KEY}::pulumi:providers:aws::${KEY}`;
    const awsResources = resources.filter((r) => r.type.startsWith('aws:'));
    expect(awsResources.map((r) => r.type)).toEqual([
      'aws:kms/key:Key',
      'aws:s3/bucket:Bucket',
      'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
      'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
      'aws:ssm/parameter:Parameter',
    ]);
    expect(awsResources.filter((r) => r.provider?.urn !== providerUrn).map((r) => r.urn)).toEqual([]);
  });

  it('exports the account id and the baseline names', async () => {
    const { outputs } = await run();
    expect(outputs).toEqual({ accountId: ACCOUNT_ID, bucketName: `${KEY}-baseline-bucket-mock`, parameterName: `/trustline/${KEY}/baseline-bucket` });
  });
});
