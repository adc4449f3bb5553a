/**
 * The canonical model of a policy document that {@link normalizePolicy} produces. Every JSON form IAM
 * accepts (Statement object or list, string or list values, bare account ids, any letter case in
 * condition keys, URL-encoded documents) maps to one shape here, so the rules judge meaning, not syntax.
 */

export type Partition = 'aws' | 'aws-us-gov' | 'aws-cn';

/** What a principal value names. `invalid` values carry a `problem` sentence. */
export type PrincipalKind =
  | 'any'
  | 'account'
  | 'role'
  | 'user'
  | 'assumed-role'
  | 'federated-user'
  | 'web-identity'
  | 'saml'
  | 'service'
  | 'canonical-user'
  | 'invalid';

/** The principal block key as written (`*` for the bare string form `"Principal": "*"`). */
export type PrincipalType = '*' | 'AWS' | 'Federated' | 'Service' | 'CanonicalUser';

export interface NormalizedPrincipal {
  /** Block key: `AWS`, `Federated`, `Service`, `CanonicalUser`, or `*` for `"Principal": "*"`. Unknown keys are kept as written. */
  readonly type: string;
  /** The value as written (numbers become strings). */
  readonly value: string;
  /** Stable reference used in finding keys: `AWS::arn:aws:iam::111111111111:root`, or `*`. */
  readonly ref: string;
  readonly kind: PrincipalKind;
  readonly partition?: Partition;
  /** Account id parsed from the ARN or the bare id; absent when the account field has a wildcard. */
  readonly accountId?: string;
  /** Role, user or session role name; service host; identity provider (host and path, lower-case). */
  readonly name?: string;
  /** True when the value (other than the lone `*`) contains `*` or `?`. */
  readonly wildcard: boolean;
  /** For `invalid` principals: why, as the end of a sentence. */
  readonly problem?: string;
}

export type ConditionQualifier = 'ForAllValues' | 'ForAnyValue';

/** Canonical names of the condition operators IAM knows (without IfExists and set qualifiers). */
export type BaseOperator =
  | 'StringEquals'
  | 'StringNotEquals'
  | 'StringEqualsIgnoreCase'
  | 'StringNotEqualsIgnoreCase'
  | 'StringLike'
  | 'StringNotLike'
  | 'NumericEquals'
  | 'NumericNotEquals'
  | 'NumericLessThan'
  | 'NumericLessThanEquals'
  | 'NumericGreaterThan'
  | 'NumericGreaterThanEquals'
  | 'DateEquals'
  | 'DateNotEquals'
  | 'DateLessThan'
  | 'DateLessThanEquals'
  | 'DateGreaterThan'
  | 'DateGreaterThanEquals'
  | 'Bool'
  | 'BinaryEquals'
  | 'IpAddress'
  | 'NotIpAddress'
  | 'ArnEquals'
  | 'ArnLike'
  | 'ArnNotEquals'
  | 'ArnNotLike'
  | 'Null';

export interface NormalizedCondition {
  /** The operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  readonly operator: string;
  /** Canonical base operator, or undefined when IAM does not know the operator. */
  readonly baseOperator: BaseOperator | undefined;
  readonly ifExists: boolean;
  readonly qualifier: ConditionQualifier | undefined;
  /** StringNotEquals, ArnNotLike, NotIpAddress, ...: true for everyone except the listed values. */
  readonly negated: boolean;
  /** Condition key, lower-cased (IAM compares keys case-insensitively). */
  readonly key: string;
  /** Values, always a list; numbers and booleans become strings. */
  readonly values: readonly string[];
}

export type Effect = 'Allow' | 'Deny';

export interface NormalizedStatement {
  /** Position in the normalised statement list. */
  readonly index: number;
  readonly sid: string | undefined;
  /** Undefined when missing or not `Allow`/`Deny` in any letter case. */
  readonly effect: Effect | undefined;
  /** The Effect as written when it differs from `effect` only in letter case (`"allow"`), else undefined. */
  readonly effectMiscased: string | undefined;
  /** True when the principals come from `NotPrincipal`. */
  readonly notPrincipal: boolean;
  /** True when the statement has neither `Principal` nor `NotPrincipal`. */
  readonly principalMissing: boolean;
  readonly principals: readonly NormalizedPrincipal[];
  /** True when the actions come from `NotAction`. */
  readonly notAction: boolean;
  readonly actionMissing: boolean;
  /** Actions as written, lower-cased. */
  readonly actions: readonly string[];
  /** STS trust actions the statement grants (or denies), wildcards expanded, lower-cased: `sts:assumerole`, ... */
  readonly trustActions: readonly string[];
  /** Bit mask of {@link TRUST_ACTIONS} granted, wildcards expanded (NotAction inverted). */
  readonly actionMask: number;
  /** Bit mask of trust actions named literally, without wildcards (to judge whether an action fits its principal). */
  readonly explicitMask: number;
  readonly conditions: readonly NormalizedCondition[];
  /** Resources as written (identity policies); `notResource` when from `NotResource`. */
  readonly resources: readonly string[];
  readonly notResource: boolean;
  readonly hasResource: boolean;
  /** Statement fields IAM does not know, as written. */
  readonly unknownFields: readonly string[];
}

/** Something that kept (part of) a document from being read. Reported, never thrown. */
export interface PolicyProblem {
  /** Statement index, or null for the document. */
  readonly statementIndex: number | null;
  /** `Document`, `Version`, `Statement`, `Principal`, `Action`, `Condition`, ... */
  readonly field: string;
  /** A sentence: what is wrong, the bad value quoted, what is allowed. */
  readonly message: string;
}

export interface NormalizedPolicy {
  /** False when the input could not be read as a JSON object at all. */
  readonly parsed: boolean;
  /** The Version as written; undefined when absent or not a string. */
  readonly version: string | undefined;
  readonly versionPresent: boolean;
  readonly statements: readonly NormalizedStatement[];
  readonly problems: readonly PolicyProblem[];
}
