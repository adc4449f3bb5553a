import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { ACCOUNT_KEY } from '@trustline/registry';
import { ComponentArgsError } from '../errors';

export interface AccountBaselineArgs {
  /** The registry key of the account (used in the SSM parameter name and tags). */
  readonly accountKey: string;
  /**
   * Days KMS waits before deleting the key after it is scheduled for deletion, 7..30.
   * @default 30
   */
  readonly kmsDeletionWindowInDays?: number;
  /**
   * Tags for every child (the provider's default tags are added by AWS).
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The representative resources every account project creates: a private S3 bucket (all public access
 * blocked, SSE-KMS with a rotating key) and an SSM parameter publishing the bucket name at
 * `/trustline/<account>/baseline-bucket`. Pass the account's provider in `opts`.
 */
export class AccountBaseline extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  readonly kmsKeyArn: pulumi.Output<string>;
  readonly parameterName: pulumi.Output<string>;

  constructor(name: string, args: AccountBaselineArgs, opts?: pulumi.ComponentResourceOptions) {
    super('trustline:account:AccountBaseline', name, {}, opts);

    const problems: string[] = [];
    if (typeof args.accountKey !== 'string' || !ACCOUNT_KEY.test(args.accountKey)) {
      problems.push(`accountKey ${args.accountKey === undefined ? "missing" : JSON.stringify(args.accountKey)} is not a registry key (lower-case letters, digits and dashes, 2 to 40 characters, starting with a letter).`);
    }
    const window = args.kmsDeletionWindowInDays ?? 30;
    if (!Number.isInteger(window) || window < 7 || window > 30) {
      problems.push(`kmsDeletionWindowInDays ${JSON.stringify(window)} is outside 7..30 days (KMS's limits).`);
    }
    if (problems.length > 0) throw new ComponentArgsError(`AccountBaseline "${name}"`, problems);

    const tags = { ...(args.tags ?? {}) };
    const key = new aws.kms.Key(
      `${name}-key`,
      { description: `trustline baseline bucket key (${args.accountKey})`, enableKeyRotation: true, deletionWindowInDays: window, tags },
      { parent: this },
    );
    const bucket = new aws.s3.Bucket(`${name}-bucket`, { tags }, { parent: this });
    new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      { parent: this },
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }] },
      { parent: this },
    );
    const parameter = new aws.ssm.Parameter(
      `${name}-parameter`,
      { name: `/trustline/${args.accountKey}/baseline-bucket`, type: 'String', value: bucket.bucket, description: 'Name of the trustline baseline bucket.', tags },
      { parent: this },
    );

    this.bucketName = bucket.bucket;
    this.kmsKeyArn = key.arn;
    this.parameterName = parameter.name;
    this.registerOutputs({ bucketName: this.bucketName, kmsKeyArn: this.kmsKeyArn, parameterName: this.parameterName });
  }
}
