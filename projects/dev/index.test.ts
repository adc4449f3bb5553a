import { describeAccountProject } from '@trustline/testing';

// Written out from accounts.json, not read from it: the test fails when the registry or the program drifts.
describeAccountProject({
  dir: __dirname,
  importProgram: () => import('./index.js'),
  expected: {
    key: 'dev',
    accountId: '111111111111',
    region: 'eu-west-1',
    environment: 'dev',
    externalId: undefined,
    hubRoleArn: 'arn:aws:iam::012345678901:role/trustline-hub',
    deployRoleArn: 'arn:aws:iam::111111111111:role/trustline-deploy',
    awsResourceTypes: [
      'aws:kms/key:Key',
      'aws:s3/bucket:Bucket',
      'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
      'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
      'aws:ssm/parameter:Parameter',
    ],
    outputs: { accountId: '111111111111', bucketName: 'dev-baseline-bucket-mock', parameterName: '/trustline/dev/baseline-bucket' },
  },
});
