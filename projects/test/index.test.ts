import { describeAccountProject } from '@trustline/testing';

// Written out from accounts.json, not read from it: the test fails when the registry or the program drifts.
describeAccountProject({
  dir: __dirname,
  importProgram: () => import('./index.js'),
  expected: {
    key: 'test',
    accountId: '222222222222',
    region: 'eu-central-1',
    environment: 'test',
    externalId: undefined,
    hubRoleArn: 'arn:aws:iam::012345678901:role/trustline-hub',
    deployRoleArn: 'arn:aws:iam::222222222222:role/trustline-deploy',
    awsResourceTypes: [
      'aws:kms/key:Key',
      'aws:s3/bucket:Bucket',
      'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
      'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
      'aws:ssm/parameter:Parameter',
    ],
    outputs: { accountId: '222222222222', bucketName: 'test-baseline-bucket-mock', parameterName: '/trustline/test/baseline-bucket' },
  },
});
