/**
 * The access-path engine's data model: an organization snapshot in (whatever produced it: GAAD files,
 * live collection, the code), paths out. This file is the contract between the snapshot readers, the
 * engine, the path rules and the CLI; change it in one place.
 */

/** One managed or inline identity policy as the snapshot carries it (document not yet normalised). */
export interface SnapshotPolicy {
  /** Managed policy ARN, or `<principal ARN>#inline/<name>` for an inline policy. */
  readonly id: string;
  /** The document: an object or (as GAAD returns it) URL-encoded JSON text. */
  readonly document: unknown;
}

export interface SnapshotRole {
  readonly arn: string;
  readonly name: string;
  readonly path: string;
  /** AssumeRolePolicyDocument (object or URL-encoded text). */
  readonly trustPolicy: unknown;
  readonly inlinePolicies: readonly SnapshotPolicy[];
  /** ARNs of attached managed policies (documents in {@link SnapshotAccount.managedPolicies}). */
  readonly managedPolicyArns: readonly string[];
  readonly permissionsBoundaryArn?: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface SnapshotUser {
  readonly arn: string;
  readonly name: string;
  readonly path: string;
  readonly inlinePolicies: readonly SnapshotPolicy[];
  readonly managedPolicyArns: readonly string[];
  /** Group names (the account's groups, {@link SnapshotAccount.groups}). */
  readonly groups: readonly string[];
  readonly permissionsBoundaryArn?: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface SnapshotGroup {
  readonly arn: string;
  readonly name: string;
  readonly inlinePolicies: readonly SnapshotPolicy[];
  readonly managedPolicyArns: readonly string[];
}

/** One account's IAM, as `aws iam get-account-authorization-details` describes it. */
export interface SnapshotAccount {
  readonly accountId: string;
  /** `read`: its IAM is in the snapshot. `unreadable`: it is in the organization but could not be read (`reason` says why); paths through it are `unknown`. */
  readonly status: 'read' | 'unreadable';
  readonly reason?: string;
  readonly roles: readonly SnapshotRole[];
  readonly users: readonly SnapshotUser[];
  readonly groups: readonly SnapshotGroup[];
  /** Managed policies by ARN: their default version's document (AWS-managed ones repeat in every account). */
  readonly managedPolicies: ReadonlyMap<string, unknown>;
}

export type OrgPolicyType = 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';

export interface OrgPolicy {
  readonly id: string;
  readonly type: OrgPolicyType;
  readonly name: string;
  /** The policy document (object; JSON text already parsed by the reader). */
  readonly content: unknown;
  /** Root, OU or account ids the policy is attached to. */
  readonly targets: readonly string[];
}

export interface OrganizationalUnit {
  readonly id: string;
  readonly parentId: string;
  readonly name: string;
}

export interface OrgAccount {
  readonly accountId: string;
  readonly name?: string;
  /** Root or OU id. */
  readonly parentId: string;
}

export interface Organization {
  readonly organizationId: string;
  readonly managementAccountId: string;
  readonly rootId: string;
  readonly organizationalUnits: readonly OrganizationalUnit[];
  readonly accounts: readonly OrgAccount[];
  /** No policy of a type = that policy type is off (every request passes it). */
  readonly policies: readonly OrgPolicy[];
}

/** Everything the engine reads. Accounts not in `accounts` are outside the snapshot: entry points whose own policies are unknown. */
export interface OrgSnapshot {
  /** Absent for loose files without an organization.json: then there are no SCPs or RCPs and no organization id. */
  readonly organization?: Organization;
  readonly accounts: readonly SnapshotAccount[];
}

/** Where a path starts. */
export type EntryKind = 'role' | 'user' | 'account' | 'federated' | 'service' | 'anyone';

export interface PathEntry {
  readonly kind: EntryKind;
  /** ARN of a role or user; account id; provider ARN or host; service principal; `*`. */
  readonly id: string;
}

/** A condition that must hold on a hop for the path to be taken, kept symbolic (caller-chosen or environmental). */
export interface PathGuard {
  /** Index of the hop (into {@link AccessPath.hops}) that carries it. */
  readonly hop: number;
  /** Where it comes from: the target's trust policy, the caller's identity policy, a boundary, an SCP, an RCP, or the engine itself (`engine`, e.g. the same-account grey zone or an unreadable account). */
  readonly source: 'trust' | 'identity' | 'boundary' | 'scp' | 'rcp' | 'engine';
  /** Lower-cased condition key (`sts:externalid`), or an engine marker such as `grey-zone:same-account-trust` or `unknown:account-unreadable`. */
  readonly key: string;
  readonly operator?: string;
  readonly values?: readonly string[];
  /** One sentence a person reads: `sts:ExternalId equals "x" (trust policy of arn:…)`. */
  readonly text: string;
}

/** Why one hop exists: the statements that allowed it, so a path is explained hop by hop. */
export interface HopReason {
  /** The role assumed on this hop. */
  readonly role: string;
  /** `sts:AssumeRole`, `sts:AssumeRoleWithWebIdentity` or `sts:AssumeRoleWithSAML`. */
  readonly action: string;
  /** The trust statement (`Sid` or index) that grants it. */
  readonly trust: string;
  /** The identity policy and statement that allow it, absent when none is needed (federated, service, outside account) or none exists (grey zone). */
  readonly identity?: string;
  /** The permissions-boundary statement that allows it, when the caller has a boundary. */
  readonly boundary?: string;
  /** The SCP statements that allow it at each level of the caller account's OU path (root first), when SCPs apply. */
  readonly scp?: readonly string[];
  /** The RCP statements that allow it at each level of the target account's OU path (root first), when RCPs apply. */
  readonly rcp?: readonly string[];
}

export type Verdict = 'always' | 'conditional' | 'unknown';

export interface AccessPath {
  readonly from: PathEntry;
  /** Every role assumed, in order; the target last. */
  readonly hops: readonly string[];
  /** `always`: no guard; `conditional`: guards must hold; `unknown`: the path passes an account the snapshot could not read. */
  readonly verdict: Verdict;
  readonly guards: readonly PathGuard[];
  readonly reasons: readonly HopReason[];
  /** Facts about the path that are not conditions on it (role chaining caps the session at one hour). */
  readonly notes?: readonly string[];
}

export interface TargetPaths {
  readonly target: string;
  /** Why it is a target: `deploy role of account <key>`, `allows *`, `allows iam:*`, or `asked for`. */
  readonly why: string;
  readonly paths: readonly AccessPath[];
}

/** The file `trust-guard collect` writes beside `organization.json`: how each account was read, and every problem met. */
export const COLLECT_REPORT_FILE = 'collect.json';

/**
 * One account as `trust-guard collect` left it. An `unreadable` account has no `<accountId>.json` in the
 * folder (so a reader that ignores this report still finds it unreadable); `reason` says why.
 */
export interface CollectedAccount {
  readonly accountId: string;
  readonly status: 'read' | 'unreadable';
  /** The role (or caller) whose credentials read the account's IAM, or would have. */
  readonly readAs?: string;
  /** Unreadable only: a stable code (`access-denied`, `throttled`, `timeout`, `no-role`, `gaad-page-failed`, ...). */
  readonly code?: string;
  /** Unreadable only: one sentence, naming the call, role and error. */
  readonly reason?: string;
}

/** A fault met while collecting that is not one account being unreadable: an Organizations call denied, a boundary policy that could not be fetched, a policy target naming no OU. */
export interface CollectProblem {
  /** Stable code: `organizations-call-failed`, `policy-target-unknown`, `boundary-unreadable`, ... */
  readonly code: string;
  /** The call or file part it concerns: `ListPolicies RESOURCE_CONTROL_POLICY`, `policy p-ab12cd34ef`, ... */
  readonly where: string;
  readonly accountId?: string;
  /** One sentence: what is missing or doubtful in the snapshot, and why. */
  readonly message: string;
}

/** `collect.json`. Written last, together with `organization.json`, by one rename of the whole folder. */
export interface CollectReport {
  readonly schemaVersion: 1;
  /** ISO 8601 time the collection started. */
  readonly collectedAt: string;
  /** The ARN of the base credentials (sts:GetCallerIdentity). */
  readonly caller: string;
  /** The ARN of the role (or the caller) whose credentials made the Organizations calls. */
  readonly organizationReadAs: string;
  /** Every account of `organization.json`, in its order. */
  readonly accounts: readonly CollectedAccount[];
  readonly problems: readonly CollectProblem[];
}
