import type { Partition } from '@trustline/trust';

/** The IAM policy language version every document this package builds carries. */
export const POLICY_VERSION = '2012-10-17';

/** Condition block: operator -> condition key -> value(s). */
export type TrustCondition = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

/** One Allow statement of a role trust policy. */
export interface TrustPolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Principal: { readonly AWS: readonly string[] };
  readonly Action: readonly string[];
  readonly Condition?: TrustCondition;
}

/** A role trust policy (the role's `assumeRolePolicy`). */
export interface TrustPolicyDocument {
  readonly Version: typeof POLICY_VERSION;
  readonly Statement: readonly TrustPolicyStatement[];
}

/** Trust in a whole account, allowed only when narrowed to principals of that account. */
export interface AccountRootTrust {
  /** The 12-digit account whose root principal (`arn:aws:iam::<id>:root`) is trusted. */
  readonly accountId: string;
  /**
   * `aws:PrincipalArn` values in that same account that may assume the role, e.g.
   * `arn:aws:iam::111111111111:role/ci/*`. Required: the account root alone lets every principal of the
   * account that its own IAM policies allow assume the role.
   */
  readonly principalArns: readonly string[];
  /**
   * `ArnLike` accepts `*` and `?` in {@link principalArns}; `ArnEquals` requires exact ARNs.
   * @default 'ArnLike'
   */
  readonly operator?: 'ArnLike' | 'ArnEquals';
}

/** MFA requirement for the caller's session. */
export interface MfaRequirement {
  /**
   * Maximum seconds since the caller authenticated with MFA (`aws:MultiFactorAuthAge` NumericLessThan).
   * Role-chained and CI sessions carry no MFA context, so use this only on roles humans assume directly.
   */
  readonly maxAgeSeconds: number;
}

/** A declarative description of who may assume a role. Everything not asked for is left out. */
export interface TrustPolicySpec {
  /** Exact role ARNs allowed to assume the role. No wildcards; accounts must be in the registry. */
  readonly trustedRoleArns?: readonly string[];
  /** Account roots, each narrowed by `aws:PrincipalArn` to principals of that account. */
  readonly accountRoots?: readonly AccountRootTrust[];
  /** Require this exact `sts:ExternalId` (mandatory when a principal is an external account). */
  readonly externalId?: string;
  /** Require MFA (`aws:MultiFactorAuthPresent` true and a maximum `aws:MultiFactorAuthAge`). */
  readonly mfa?: MfaRequirement;
  /** Require the caller to belong to this AWS Organization (`aws:PrincipalOrgID`). */
  readonly principalOrgId?: string;
  /** Pin `sts:RoleSessionName` to these exact names. */
  readonly sessionNames?: readonly string[];
  /** Pin `sts:SourceIdentity` to these exact values; adds the `sts:SetSourceIdentity` action. */
  readonly sourceIdentities?: readonly string[];
  /**
   * Allow `sts:TagSession` (session tags) besides `sts:AssumeRole`.
   * @default false
   */
  readonly allowTagSession?: boolean;
}

/** Third-party account the registry allows to be trusted, with an exact `sts:ExternalId` only. */
export interface TrustExternalAccount {
  readonly accountId: string;
  readonly name?: string;
  /** ExternalId patterns the vendor documents (`acme@*`), from the registry. */
  readonly externalIdPatterns?: readonly string[];
}

/** What the builder checks a spec against; build it from the registry with `trustContextFromRegistry`. */
export interface TrustPolicyContext {
  /** Account ids of the organization (identity plus target accounts). */
  readonly trustedAccountIds: readonly string[];
  /** The organization's id; a spec's `principalOrgId` must equal it. */
  readonly organizationId?: string;
  /** Third-party accounts, trusted only together with `externalId`. */
  readonly externalAccounts?: readonly TrustExternalAccount[];
  /**
   * Partition for account-root principals.
   * @default 'aws'
   */
  readonly partition?: Partition;
  /**
   * What the spec is for, used to start error messages (e.g. `CrossAccountRole "dev-deploy"`).
   * @default 'trust policy spec'
   */
  readonly source?: string;
}
