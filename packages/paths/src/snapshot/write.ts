import type { OrgSnapshot, Organization, SnapshotAccount, SnapshotPolicy } from '../types';
import { ORGANIZATION_FILE } from './organization';

/**
 * The inverse of {@link readSnapshot}: an organization snapshot as the files `trust-guard paths` reads,
 * `organization.json` (its contract, `organization.ts`) and one `aws iam get-account-authorization-details`
 * page per account, `<accountId>.json`. Pure: returns names and text; the caller writes them (atomically).
 * Whatever produced the snapshot (the code under `npm start`, a generator), the report read back from these
 * files is the one the snapshot itself gives: the same paths and findings.
 */

/** One file of a snapshot folder. */
export interface SnapshotFileText {
  /** The file name inside the folder: `organization.json` or `<accountId>.json`. */
  readonly name: string;
  readonly text: string;
}

type Obj = Record<string, unknown>;

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** The policy name an inline policy id (`<principal ARN>#inline/<name>`) carries; the reader rebuilds the same id from it. */
function inlineName(owner: string, policy: SnapshotPolicy): string {
  const prefix = `${owner}#inline/`;
  return policy.id.startsWith(prefix) ? policy.id.slice(prefix.length) : policy.id;
}

const inlineList = (owner: string, policies: readonly SnapshotPolicy[]): Obj[] => policies.map((p) => ({ PolicyName: inlineName(owner, p), PolicyDocument: p.document }));
const attachedList = (arns: readonly string[]): Obj[] => arns.map((PolicyArn) => ({ PolicyName: PolicyArn.slice(PolicyArn.lastIndexOf('/') + 1), PolicyArn }));
const boundaryOf = (arn: string | undefined): Obj => (arn === undefined ? {} : { PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: arn } });
const tagList = (tags: Readonly<Record<string, string>>): Obj[] => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
/** The path of a group or policy ARN (`arn:aws:iam::<account>:group/<path/>name`): `/` when it has none. */
const arnPath = (arn: string): string => {
  const resource = arn.slice(arn.indexOf(':', arn.indexOf(':iam::') + 6) + 1);
  const inner = resource.slice(resource.indexOf('/'), resource.lastIndexOf('/') + 1);
  return inner.startsWith('/') ? inner : '/';
};

/** One account's IAM as one GAAD page (the fields {@link parseAuthorizationDetails} reads, named as the API names them). */
export function authorizationDetailsOf(account: SnapshotAccount): Obj {
  return {
    UserDetailList: account.users.map((u) => ({
      Path: u.path,
      UserName: u.name,
      Arn: u.arn,
      UserPolicyList: inlineList(u.arn, u.inlinePolicies),
      GroupList: [...u.groups],
      AttachedManagedPolicies: attachedList(u.managedPolicyArns),
      ...boundaryOf(u.permissionsBoundaryArn),
      Tags: tagList(u.tags),
    })),
    GroupDetailList: account.groups.map((g) => ({
      Path: arnPath(g.arn),
      GroupName: g.name,
      Arn: g.arn,
      GroupPolicyList: inlineList(g.arn, g.inlinePolicies),
      AttachedManagedPolicies: attachedList(g.managedPolicyArns),
    })),
    RoleDetailList: account.roles.map((r) => ({
      Path: r.path,
      RoleName: r.name,
      Arn: r.arn,
      AssumeRolePolicyDocument: r.trustPolicy,
      RolePolicyList: inlineList(r.arn, r.inlinePolicies),
      AttachedManagedPolicies: attachedList(r.managedPolicyArns),
      ...boundaryOf(r.permissionsBoundaryArn),
      Tags: tagList(r.tags),
    })),
    Policies: [...account.managedPolicies].map(([arn, document]) => ({
      PolicyName: arn.slice(arn.lastIndexOf('/') + 1),
      Arn: arn,
      Path: arnPath(arn),
      DefaultVersionId: 'v1',
      IsAttachable: true,
      PolicyVersionList: [{ Document: document, VersionId: 'v1', IsDefaultVersion: true }],
    })),
    IsTruncated: false,
  };
}

/** `organization.json`, field by field as its contract names them. */
export function organizationFileOf(organization: Organization): Obj {
  return {
    organizationId: organization.organizationId,
    managementAccountId: organization.managementAccountId,
    rootId: organization.rootId,
    organizationalUnits: organization.organizationalUnits.map((u) => ({ id: u.id, parentId: u.parentId, name: u.name })),
    accounts: organization.accounts.map((a) => ({ accountId: a.accountId, ...(a.name !== undefined && { name: a.name }), parentId: a.parentId })),
    policies: organization.policies.map((p) => ({ id: p.id, type: p.type, name: p.name, content: p.content, targets: [...p.targets] })),
  };
}

/**
 * The files of a snapshot folder: `organization.json` when the snapshot has an organization, and one
 * `<accountId>.json` per readable account, in account order. An unreadable account gets no file, as
 * `trust-guard collect` leaves it: the reader then finds it unreadable again (its reason becomes "no
 * <accountId>.json"), which only an account the organization lists can be, so an unreadable account
 * outside the organization is refused with an error naming it.
 */
export function snapshotFiles(snapshot: OrgSnapshot): SnapshotFileText[] {
  const listed = new Set(snapshot.organization?.accounts.map((a) => a.accountId) ?? []);
  const lost = snapshot.accounts.filter((a) => a.status === 'unreadable' && !listed.has(a.accountId));
  if (lost.length > 0) {
    throw new Error(
      `snapshotFiles: account${lost.length > 1 ? 's' : ''} ${lost.map((a) => a.accountId).join(', ')} ${lost.length > 1 ? 'are' : 'is'} unreadable but not in the snapshot's organization; a folder can only say "unreadable" for an account ${ORGANIZATION_FILE} lists (by leaving out its file).`,
    );
  }
  const seen = new Set<string>();
  const files: SnapshotFileText[] = [];
  if (snapshot.organization !== undefined) files.push({ name: ORGANIZATION_FILE, text: json(organizationFileOf(snapshot.organization)) });
  for (const account of snapshot.accounts) {
    if (seen.has(account.accountId)) throw new Error(`snapshotFiles: account ${account.accountId} is in the snapshot twice; a folder holds one <accountId>.json per account.`);
    seen.add(account.accountId);
    if (account.status === 'read') files.push({ name: `${account.accountId}.json`, text: json(authorizationDetailsOf(account)) });
  }
  return files;
}
