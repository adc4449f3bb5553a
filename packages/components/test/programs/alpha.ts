import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

// A module-level program, like a project's index.ts: it runs when imported.
const config = new pulumi.Config('alpha');
const provider = new aws.Provider('alpha', { region: 'eu-west-1', allowedAccountIds: [config.require('accountId')] });
const bucket = new aws.s3.Bucket('alpha-bucket', {}, { provider });
export const bucketName = bucket.bucket;
export const stack = pulumi.getStack();
