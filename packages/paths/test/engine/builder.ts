import type { OrgPolicy, OrgSnapshot, Organization, SnapshotAccount, SnapshotGroup, SnapshotRole, SnapshotUser } from '../../src';

/**
 * A small builder for organization snapshots in engine tests: accounts, roles, users, groups, an OU
 * tree, SCPs and RCPs, written as the facts a test cares about. Documents are plain objects.
 */

export const ORG_ID = 'o-aaaa1111bb';
export const ROOT = 'r-root';
export const MGMT = '012345678901';
export const DEV = '111111111111';
export const TEST = '222222222222';
export const PROD = '333333333333';
export const HUB = '444444444444';
export const SANDBOX = '555555555555';
/** Not in the snapshot, not in the organization. */
export const VENDOR = '999999999999';

export const roleArn = (account: string, name: string): string => `arn:aws:iam::${account}:role/${name}`;
export const userArn = (account: string, name: string): string => `arn:aws:iam::${account}:user/${name}`;
export const rootArn = (account: string): string => `arn:aws:iam::${account}:root`;

type Doc = Record<string, unknown>;
export type Statement = Record<string, unknown>;

export const doc = (...statements: Statement[]): Doc => ({ Version: '2012-10-17', Statement: statements });
export const allow = (action: string | string[], resource: string | string[] = '*', extra: Statement = {}): Statement => ({ Effect: 'Allow', Action: action, Resource: resource, ...extra });
export const deny = (action: string | string[], resource: string | string[] = '*', extra: Statement = {}): Statement => ({ Effect: 'Deny', Action: action, Resource: resource, ...extra });
/** Identity policy: may assume these roles. */
export const assume = (...arns: string[]): Doc => doc(allow('sts:AssumeRole', arns.length === 1 ? arns[0] : arns));
export const ADMIN = doc(allow('*', '*'));
/** Trust statement for principals of a block type (`AWS`, `Service`, `Federated`, or `*`). */
export const trusts = (principal: Record<string, string | string[]> | '*', extra: Statement = {}, action: string | string[] = 'sts:AssumeRole'): Statement => ({ Effect: 'Allow', Principal: principal, Action: action, ...extra });
export const trustAws = (arns: string | string[], extra: Statement = {}): Doc => doc(trusts({ AWS: arns }, extra));
export const trustService = (service: string): Doc => doc(trusts({ Service: service }));

export interface RoleSpec {
  readonly trust: Doc | string;
  /** Inline identity policies. */
  readonly policies?: readonly Doc[];
  /** Managed policies: ARN -> document (put into the account's managedPolicies). */
  readonly managed?: Readonly<Record<string, Doc>>;
  readonly boundary?: Doc;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface UserSpec {
  readonly policies?: readonly Doc[];
  readonly groups?: readonly string[];
  readonly boundary?: Doc;
  readonly tags?: Readonly<Record<string, string>>;
}

interface AccountDraft {
  status: 'read' | 'unreadable';
  roles: SnapshotRole[];
  users: SnapshotUser[];
  groups: SnapshotGroup[];
  managed: Map<string, unknown>;
}

export class SnapshotBuilder {
  private readonly accounts = new Map<string, AccountDraft>();
  private org: { ous: { id: string; parentId: string }[]; parents: Map<string, string>; policies: OrgPolicy[]; management: string } | undefined;

  /** Puts the snapshot in an organization (SCPs and RCPs stay off until one is added). */
  organization(ous: Readonly<Record<string, string>> = {}, management = MGMT): this {
    this.org = { ous: Object.entries(ous).map(([id, parentId]) => ({ id, parentId })), parents: new Map(), policies: [], management };
    return this;
  }

  /** Places an account of the organization under an OU (default: the root). */
  member(account: string, parentId: string = ROOT): this {
    if (this.org === undefined) this.organization();
    this.org?.parents.set(account, parentId);
    return this;
  }

  private acct(id: string): AccountDraft {
    let a = this.accounts.get(id);
    if (a === undefined) this.accounts.set(id, (a = { status: 'read', roles: [], users: [], groups: [], managed: new Map() }));
    return a;
  }

  account(id: string): this {
    this.acct(id);
    return this;
  }

  unreadable(id: string): this {
    this.acct(id).status = 'unreadable';
    return this;
  }

  role(account: string, name: string, spec: RoleSpec): this {
    const a = this.acct(account);
    const arn = roleArn(account, name);
    const managedArns: string[] = [];
    for (const [pArn, d] of Object.entries(spec.managed ?? {})) {
      a.managed.set(pArn, d);
      managedArns.push(pArn);
    }
    let boundaryArn: string | undefined;
    if (spec.boundary !== undefined) {
      boundaryArn = `arn:aws:iam::${account}:policy/boundary-${name}`;
      a.managed.set(boundaryArn, spec.boundary);
    }
    a.roles.push({
      arn,
      name,
      path: '/',
      trustPolicy: spec.trust,
      inlinePolicies: (spec.policies ?? []).map((d, i) => ({ id: `${arn}#inline/p${i}`, document: d })),
      managedPolicyArns: managedArns,
      ...(boundaryArn !== undefined && { permissionsBoundaryArn: boundaryArn }),
      tags: spec.tags ?? {},
    });
    return this;
  }

  user(account: string, name: string, spec: UserSpec = {}): this {
    const a = this.acct(account);
    const arn = userArn(account, name);
    let boundaryArn: string | undefined;
    if (spec.boundary !== undefined) {
      boundaryArn = `arn:aws:iam::${account}:policy/boundary-${name}`;
      a.managed.set(boundaryArn, spec.boundary);
    }
    a.users.push({
      arn,
      name,
      path: '/',
      inlinePolicies: (spec.policies ?? []).map((d, i) => ({ id: `${arn}#inline/p${i}`, document: d })),
      managedPolicyArns: [],
      groups: spec.groups ?? [],
      ...(boundaryArn !== undefined && { permissionsBoundaryArn: boundaryArn }),
      tags: spec.tags ?? {},
    });
    return this;
  }

  group(account: string, name: string, policies: readonly Doc[]): this {
    const a = this.acct(account);
    const arn = `arn:aws:iam::${account}:group/${name}`;
    a.groups.push({ arn, name, inlinePolicies: policies.map((d, i) => ({ id: `${arn}#inline/p${i}`, document: d })), managedPolicyArns: [] });
    return this;
  }

  private policy(type: OrgPolicy['type'], targets: readonly string[], content: Doc, name: string): this {
    if (this.org === undefined) this.organization();
    this.org?.policies.push({ id: `p-${this.org.policies.length + 1}`, type, name, content, targets });
    return this;
  }

  scp(targets: readonly string[], content: Doc, name = 'scp'): this {
    return this.policy('SERVICE_CONTROL_POLICY', targets, content, name);
  }

  rcp(targets: readonly string[], content: Doc, name = 'rcp'): this {
    return this.policy('RESOURCE_CONTROL_POLICY', targets, content, name);
  }

  /** FullAWSAccess-style Allow of `type` at the root, every OU and every member account. */
  fullAccess(type: 'scp' | 'rcp'): this {
    const targets = [ROOT, ...(this.org?.ous.map((o) => o.id) ?? []), ...(this.org?.parents.keys() ?? [])];
    return type === 'scp' ? this.scp(targets, doc(allow('*', '*')), 'FullAWSAccess') : this.rcp(targets, doc(allow('*', '*', { Principal: '*' })), 'RCPFullAWSAccess');
  }

  build(): OrgSnapshot {
    const accounts: SnapshotAccount[] = [...this.accounts.entries()].map(([accountId, a]) => ({
      accountId,
      status: a.status,
      ...(a.status === 'unreadable' && { reason: 'AccessDenied' }),
      roles: a.roles,
      users: a.users,
      groups: a.groups,
      managedPolicies: a.managed,
    }));
    if (this.org === undefined) return { accounts };
    const organization: Organization = {
      organizationId: ORG_ID,
      managementAccountId: this.org.management,
      rootId: ROOT,
      organizationalUnits: this.org.ous.map((o) => ({ ...o, name: o.id })),
      accounts: [...this.org.parents.entries()].map(([accountId, parentId]) => ({ accountId, parentId, name: accountId })),
      policies: this.org.policies,
    };
    return { organization, accounts };
  }
}

export const snapshot = (): SnapshotBuilder => new SnapshotBuilder();
