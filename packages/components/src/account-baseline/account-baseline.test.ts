import * as aws from '@pulumi/aws';
import { describe, expect, it } from 'vitest';
import { recordProgram } from '../testing/record-program';
import { AccountBaseline } from './account-baseline';

describe('AccountBaseline', () => {
  it('creates a private, KMS-encrypted bucket and an SSM parameter, all children through the caller provider', async () => {
    const { resources, outputs } = await recordProgram({
      project: 'components',
      stack: 'test',
      program: () => {
        const provider = new aws.Provider('dev', { region: 'eu-west-1', allowedAccountIds: ['111111111111'] });
        const b = new AccountBaseline('dev-baseline', { accountKey: 'dev', tags: { team: 'platform' } }, { provider });
        return { bucketName: b.bucketName, parameterName: b.parameterName };
      },
    });
    const component = resources.find((r) => r.type === 'trustline:account:AccountBaseline');
    const children = resources.filter((r) => r.parent === component?.urn);
    expect(children.map((r) => [r.type, r.name, r.provider?.name])).toEqual([
      ['aws:kms/key:Key', 'dev-baseline-key', 'dev'],
      ['aws:s3/bucket:Bucket', 'dev-baseline-bucket', 'dev'],
      ['aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock', 'dev-baseline-public-access', 'dev'],
      ['aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration', 'dev-baseline-encryption', 'dev'],
      ['aws:ssm/parameter:Parameter', 'dev-baseline-parameter', 'dev'],
    ]);
    const [key, bucket, pab, sse, param] = children;
    expect(key.inputs).toEqual({ description: 'trustline baseline bucket key (dev)', enableKeyRotation: true, deletionWindowInDays: 30, tags: { team: 'platform' } });
    expect(bucket.inputs).toEqual({ tags: { team: 'platform' } });
    expect(pab.inputs).toEqual({ bucket: 'dev-baseline-bucket-id', blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    expect(sse.inputs).toEqual({
      bucket: 'dev-baseline-bucket-id',
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'arn:aws:mock::111111111111:aws:kms/key:Key/dev-baseline-key' }, bucketKeyEnabled: true }],
    });
    expect([...sse.dependencies].sort()).toEqual([bucket.urn, key.urn].sort());
    expect(param.inputs).toEqual({
      name: '/trustline/dev/baseline-bucket',
      type: 'String',
      value: 'dev-baseline-bucket-mock',
      description: 'Name of the trustline baseline bucket.',
      tags: { team: 'platform' },
    });
    expect(outputs).toEqual({ bucketName: 'dev-baseline-bucket-mock', parameterName: '/trustline/dev/baseline-bucket' });
  });

  it('refuses a bad key and deletion window in one error', () => {
    expect(() => new AccountBaseline('x', { accountKey: 'Dev', kmsDeletionWindowInDays: 3 })).toThrowError(
      [
        'AccountBaseline "x" has 2 problems:',
        '  - accountKey "Dev" is not a registry key (lower-case letters, digits and dashes, 2 to 40 characters, starting with a letter).',
        '  - kmsDeletionWindowInDays 3 is outside 7..30 days (KMS\'s limits).',
      ].join('\n'),
    );
  });
});
