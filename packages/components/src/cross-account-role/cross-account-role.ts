import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { show } from '@trustline/contract';
import { ROLE_NAME, type AccountRegistry } from '@trustline/registry';
import { DEFAULT_SESSION_SECONDS, MAX_SESSION_SECONDS, MIN_SESSION_SECONDS } from '@trustline/trust';
import { ComponentArgsError } from '../errors';
import { TrustPolicyError, buildTrustPolicy, trustContextFromRegistry } from '../trust-policy/build-trust-policy';
import type { TrustPolicyDocument, TrustPolicySpec } from '../trust-policy/types';

const ROLE_PATH = /^\/(?:[\u0021-\u007e]+\/)?$/;
const POLICY_ARN = /^arn:(aws|aws-us-gov|aws-cn):iam::(aws|\d{12}):policy\/((?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,128})$/;

export interface CrossAccountRoleArgs {
  /** Who may assume the role; built and checked by `buildTrustPolicy`. */
  readonly trust: TrustPolicySpec;
  /** The account registry the trust spec is checked against (principals outside it are refused). */
  readonly registry: AccountRegistry;
  /** The IAM role name (1 to 64 of letters, digits and `+=,.@_-`). */
  readonly roleName: string;
  /**
   * The role's MaxSessionDuration in seconds, within IAM's range (`MIN_SESSION_SECONDS`..`MAX_SESSION_SECONDS`
   * of `@trustline/trust`: 3600..43200).
   * @default DEFAULT_SESSION_SECONDS, IAM's default of 3600
   */
  readonly maxSessionDuration?: number;
  /** ARN of a managed policy that bounds the role's permissions. */
  readonly permissionsBoundary?: pulumi.Input<string>;
  /**
   * IAM path of the role.
   * @default '/'
   */
  readonly path?: string;
  /**
   * Managed policies to attach, one `aws.iam.RolePolicyAttachment` each, named
   * `<component name>-<policy name>` so reordering the list replaces nothing.
   * @default []
   */
  readonly managedPolicyArns?: readonly string[];
  /** Description shown in the IAM console. */
  readonly description?: string;
  /**
   * Tags for the role (the provider's default tags are added by AWS).
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * An IAM role that other accounts assume, with a trust policy built from a declarative spec and refused
 * when broad. Pass the target account's provider in `opts`; the children inherit it through `parent`.
 */
export class CrossAccountRole extends pulumi.ComponentResource {
  /** The role's ARN. */
  readonly arn: pulumi.Output<string>;
  /** The role's name. */
  readonly name: pulumi.Output<string>;
  /** The trust policy document the role was created with. */
  readonly trustPolicy: TrustPolicyDocument;
  /** The underlying IAM role (a child with the component's name), for callers that attach more to it. */
  readonly role: aws.iam.Role;
  /** One attachment per managed policy ARN, in the order given (the role's own `managedPolicyArns` is deprecated in @pulumi/aws 7). */
  readonly attachments: readonly aws.iam.RolePolicyAttachment[];

  constructor(name: string, args: CrossAccountRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super('trustline:iam:CrossAccountRole', name, {}, opts);

    const label = `CrossAccountRole "${name}"`;
    const problems = validateArgs(args);
    let trustPolicy: TrustPolicyDocument | undefined;
    try {
      trustPolicy = buildTrustPolicy(args.trust, trustContextFromRegistry(args.registry, label));
    } catch (e) {
      if (!(e instanceof TrustPolicyError)) throw e;
      problems.push(...e.problems.map((p) => `trust: ${p}`));
    }
    if (problems.length > 0 || !trustPolicy) throw new ComponentArgsError(label, problems);
    this.trustPolicy = trustPolicy;

    this.role = new aws.iam.Role(
      name,
      {
        name: args.roleName,
        assumeRolePolicy: JSON.stringify(trustPolicy),
        maxSessionDuration: args.maxSessionDuration ?? DEFAULT_SESSION_SECONDS,
        path: args.path ?? '/',
        ...(args.permissionsBoundary !== undefined ? { permissionsBoundary: args.permissionsBoundary } : {}),
        ...(args.description !== undefined ? { description: args.description } : {}),
        tags: { ...(args.tags ?? {}) },
      },
      { parent: this },
    );
    this.attachments = (args.managedPolicyArns ?? []).map(
      (policyArn) => new aws.iam.RolePolicyAttachment(`${name}-${attachmentSuffix(policyArn)}`, { role: this.role.name, policyArn }, { parent: this }),
    );

    this.arn = this.role.arn;
    this.name = this.role.name;
    this.registerOutputs({ arn: this.arn, name: this.name });
  }
}

/** `arn:aws:iam::aws:policy/job-function/ViewOnlyAccess` -> `job-function-ViewOnlyAccess`. */
function attachmentSuffix(policyArn: string): string {
  return (POLICY_ARN.exec(policyArn)?.[3] ?? policyArn).replace(/\//g, '-');
}

function validateArgs(args: CrossAccountRoleArgs): string[] {
  const problems: string[] = [];
  if (typeof args.roleName !== 'string' || !ROLE_NAME.test(args.roleName)) {
    problems.push(`roleName ${show(args.roleName)} is not an IAM role name (1 to 64 of letters, digits and +=,.@_-).`);
  }
  const d = args.maxSessionDuration;
  if (d !== undefined && (!Number.isInteger(d) || d < MIN_SESSION_SECONDS || d > MAX_SESSION_SECONDS)) {
    problems.push(`maxSessionDuration ${show(d)} is outside ${MIN_SESSION_SECONDS}..${MAX_SESSION_SECONDS} seconds (IAM's limits for a role's MaxSessionDuration).`);
  }
  if (args.path !== undefined && (!ROLE_PATH.test(args.path) || args.path.length > 512)) {
    problems.push(`path ${show(args.path)} is not an IAM path ("/" or "/segment/.../", at most 512 characters).`);
  }
  const seen = new Map<string, number>();
  (args.managedPolicyArns ?? []).forEach((arn, i) => {
    if (typeof arn !== 'string' || !POLICY_ARN.exec(arn)) {
      return void problems.push(`managedPolicyArns[${i}] ${show(arn)} is not a managed policy ARN (arn:aws:iam::aws:policy/<name> or arn:aws:iam::<account>:policy/<name>).`);
    }
    const suffix = attachmentSuffix(arn);
    const prev = seen.get(suffix);
    if (prev !== undefined) {
      problems.push(`managedPolicyArns[${i}] ${show(arn)} has the same policy name as managedPolicyArns[${prev}]; each attachment is named after its policy, so list each policy once.`);
    } else {
      seen.set(suffix, i);
    }
  });
  return problems;
}
