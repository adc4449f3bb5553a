import { describeAccountProject } from '@trustline/testing';

// Written out from accounts.json, not read from it: the test fails when the registry or the program drifts.
describeAccountProject({
  dir: __dirname,
  importProgram: () => import('./index.js'),
  expected: {
    key: 'prod',
    accountId: '333333333333',
    region: 'eu-west-1',
    environment: 'prod',
    externalId: 'trustline-prod-7f3c9a1e',
    hubRoleArn: 'arn:aws:iam::012345678901:role/trustline-hub',
    deployRoleArn: 'arn:aws:iam::333333333333:role/trustline-deploy',
    awsResourceTypes: [
      'aws:kms/key:Key',
      'aws:s3/bucket:Bucket',
      'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
      'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
      'aws:ssm/parameter:Parameter',
    ],
    outputs: { accountId: '333333333333', bucketName: 'prod-baseline-bucket-mock', parameterName: '/trustline/prod/baseline-bucket' },
  },
});
