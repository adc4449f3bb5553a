import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  type IAMClient,
  PutGroupPolicyCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  AttachPolicyCommand,
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand as CreateOrgPolicyCommand,
  EnablePolicyTypeCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import type { Organization, OrganizationalUnit } from '@trustline/paths';
import { loadRegistry, roleArn, type AccountRegistry } from '@trustline/registry';
import { deployRoleTrust } from './org';
import { adminIam, inAccount, SETUP_CREDENTIALS } from './org';
import { setMotoAuth } from './moto';

/** The management account, which is also the registry's identity account (the admin user and hub role live there). */
export const MANAGEMENT_ACCOUNT = '012345678901';
export const HUB_ROLE = 'trustline-hub';
export const DEPLOY_ROLE = 'trustline-deploy';
/** A read-only audit role in every account (management included), trusting the hub: what `collect --role-name` reads through. */
export const AUDIT_ROLE = 'trustline-audit';
/** The role Organizations creates in every account it creates (moto does too), trusting the management account. */
export const ORG_ACCESS_ROLE = 'OrganizationAccountAccessRole';

/** One principal's IAM as the generator loaded it: documents as objects, managed policy ARNs sorted. */
export interface ExpectedPrincipal {
  readonly name: string;
  readonly path: string;
  readonly trust?: unknown;
  readonly inline: Record<string, unknown>;
  readonly managed: readonly string[];
  readonly boundary?: string;
  readonly groups?: readonly string[];
  readonly tags?: Record<string, string>;
}

/** One account's IAM as loaded: roles, users and groups by name, customer-managed policy documents by ARN. */
export interface ExpectedIam {
  readonly roles: Record<string, ExpectedPrincipal>;
  readonly users: Record<string, ExpectedPrincipal>;
  readonly groups: Record<string, ExpectedPrincipal>;
  readonly managedPolicies: Record<string, unknown>;
}

/** What {@link generateOrganization} loaded into moto, and how to act in it. */
export interface GeneratedOrganization {
  /** A temporary accounts.json for the generated account ids (moto picks them): point TRUSTLINE_REGISTRY at it. */
  readonly registryFile: string;
  readonly registry: AccountRegistry;
  /** The admin user's access key in the management account. */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly adminArn: string;
  /** organization.json as the generator built it (policy content as objects; the default FullAWSAccess policies included). */
  readonly organization: Organization;
  readonly iam: ReadonlyMap<string, ExpectedIam>;
  /** Removes the temporary registry folder. */
  cleanup(): void;
}

const doc = (...statements: Record<string, unknown>[]) => ({ Version: '2012-10-17', Statement: statements });
const json = (d: unknown) => JSON.stringify(d);
const allow = (Action: string | string[], Resource: string | string[] = '*') => ({ Effect: 'Allow', Action, Resource });

/** The organization's policies (SCPs and RCPs) the generator attaches, beside moto's default FullAWSAccess ones. */
const SCP_DENY_LEAVE = doc({ Sid: 'NoLeaving', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' });
const SCP_QUARANTINE = doc({ Sid: 'NoAssume', Effect: 'Deny', Action: 'sts:AssumeRole', Resource: '*' });
const SCP_NO_USERS = doc({ Sid: 'NoUsers', Effect: 'Deny', Action: ['iam:CreateUser', 'iam:CreateAccessKey'], Resource: '*' });
const SCP_ONE_ACCOUNT = doc({ Sid: 'NoRegionOutsideEu', Effect: 'Deny', NotAction: ['iam:*', 'sts:*'], Resource: '*', Condition: { StringNotLike: { 'aws:RequestedRegion': 'eu-*' } } });

/** moto's default policies (Organizations attaches FullAWSAccess the same way), as moto writes them. */
const FULL_AWS_ACCESS = doc(allow('*'));
const RCP_FULL_AWS_ACCESS = doc({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' });

async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

/**
 * Loads a generated organization of `members` member accounts into moto (authentication off while loading,
 * on at the end): the organization with SCPs and RCPs enabled, OUs `workloads/dev`, `workloads/prod`,
 * `sandbox` and `quarantine`, accounts spread over them (moto picks their ids), four SCPs and an RCP attached
 * at root, OU and account level, and in every account roles, users, groups, inline and managed policies and
 * permissions boundaries (cross-account trust from each account's workload role to the next account's app
 * role), plus the deploy role and the identity account's admin user and hub role. Returns what was loaded and
 * a registry for the generated ids.
 */
export async function generateOrganization(endpoint: string, members: number): Promise<GeneratedOrganization> {
  await setMotoAuth(endpoint, false);
  const orgs = inAccount(new OrganizationsClient({ region: 'us-east-1', endpoint, credentials: SETUP_CREDENTIALS }), MANAGEMENT_ACCOUNT);
  const created = (await orgs.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }))).Organization;
  const organizationId = created?.Id ?? '';
  const rootId = (await orgs.send(new ListRootsCommand({}))).Roots?.[0]?.Id ?? '';
  for (const type of ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'] as const) await orgs.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: type }));
  const ous: OrganizationalUnit[] = [];
  const ou = async (name: string, parentId: string) => {
    const id = (await orgs.send(new CreateOrganizationalUnitCommand({ ParentId: parentId, Name: name }))).OrganizationalUnit?.Id ?? '';
    ous.push({ id, parentId, name });
    return id;
  };
  const workloads = await ou('workloads', rootId);
  const leaves = [await ou('dev', workloads), await ou('prod', workloads), await ou('sandbox', rootId), await ou('quarantine', rootId)];
  const environments = ['dev', 'prod', 'dev', 'test'];

  const accountIds: string[] = [];
  for (let i = 0; i < members; i++) {
    const status = (await orgs.send(new CreateAccountCommand({ AccountName: `member-${i}`, Email: `member-${i}@example.com` }))).CreateAccountStatus;
    const id = status?.AccountId ?? '';
    accountIds.push(id);
    await orgs.send(new MoveAccountCommand({ AccountId: id, SourceParentId: rootId, DestinationParentId: leaves[i % 4] }));
  }
  const orgAccounts = [
    { accountId: MANAGEMENT_ACCOUNT, name: 'master', parentId: rootId },
    ...accountIds.map((accountId, i) => ({ accountId, name: `member-${i}`, parentId: leaves[i % 4] })),
  ];

  const policies: Organization['policies'][number][] = [
    // moto attaches its default policies to the root, the management account and every OU and account it creates, as Organizations does.
    { id: 'p-FullAWSAccess', type: 'SERVICE_CONTROL_POLICY', name: 'FullAWSAccess', content: FULL_AWS_ACCESS, targets: [rootId, MANAGEMENT_ACCOUNT, ...ous.map((o) => o.id), ...accountIds] },
    { id: 'p-RCPFullAWSAccess', type: 'RESOURCE_CONTROL_POLICY', name: 'RCPFullAWSAccess', content: RCP_FULL_AWS_ACCESS, targets: [rootId, MANAGEMENT_ACCOUNT, ...ous.map((o) => o.id), ...accountIds] },
  ];
  const orgPolicy = async (name: string, type: 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY', content: unknown, targets: string[]) => {
    const id = (await orgs.send(new CreateOrgPolicyCommand({ Name: name, Type: type, Description: name, Content: json(content) }))).Policy?.PolicySummary?.Id ?? '';
    for (const t of targets) await orgs.send(new AttachPolicyCommand({ PolicyId: id, TargetId: t }));
    policies.push({ id, type, name, content, targets });
  };
  await orgPolicy('deny-leave', 'SERVICE_CONTROL_POLICY', SCP_DENY_LEAVE, [rootId]);
  await orgPolicy('quarantine', 'SERVICE_CONTROL_POLICY', SCP_QUARANTINE, [leaves[3]]);
  await orgPolicy('no-users', 'SERVICE_CONTROL_POLICY', SCP_NO_USERS, [leaves[2]]);
  if (accountIds.length > 0) await orgPolicy('eu-only', 'SERVICE_CONTROL_POLICY', SCP_ONE_ACCOUNT, [accountIds[0]]);
  await orgPolicy(
    'org-only',
    'RESOURCE_CONTROL_POLICY',
    doc({ Sid: 'OrgOnly', Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole', Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': organizationId }, Bool: { 'aws:PrincipalIsAWSService': 'false' } } }),
    [leaves[1]],
  );
  orgs.destroy();

  // The registry: the management account is the identity account with the hub; every member is a registry account.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-generated-org-'));
  const registryFile = path.join(dir, 'accounts.json');
  const hubArn = roleArn(MANAGEMENT_ACCOUNT, HUB_ROLE, 'eu-west-1');
  fs.writeFileSync(
    registryFile,
    json({
      organizationId,
      bootstrapRoleName: ORG_ACCESS_ROLE,
      environments: ['dev', 'test', 'prod'],
      identity: { key: 'identity', accountId: MANAGEMENT_ACCOUNT, region: 'eu-west-1', hubRoleName: HUB_ROLE },
      externalAccounts: [],
      accounts: accountIds.map((accountId, i) => ({
        key: `member-${i}`,
        accountId,
        environment: environments[i % 4],
        region: 'eu-west-1',
        deployRoleName: DEPLOY_ROLE,
        trustedPrincipals: [hubArn],
        ...(environments[i % 4] === 'prod' ? { externalId: `trustline-${accountId}` } : {}),
        maxSessionDurationSeconds: 3600,
      })),
    }),
  );
  const registry = loadRegistry(registryFile);

  const iam = new Map<string, ExpectedIam>();
  const management = await loadManagementAccount(endpoint, hubArn);
  iam.set(MANAGEMENT_ACCOUNT, management.expected);
  await pool(registry.accounts, 4, async (entry, i) => {
    const next = accountIds[(i + 1) % accountIds.length];
    const previous = accountIds[(i + accountIds.length - 1) % accountIds.length];
    // member-0 holds a privileged role that the developers of member-1 (prod) and member-3 (quarantined: its SCP denies sts:AssumeRole) are trusted into.
    const opsAdminTrust = i === 0 ? [1, 3].filter((k) => k < accountIds.length).map((k) => `arn:aws:iam::${accountIds[k]}:user/developer`) : undefined;
    iam.set(entry.accountId, await loadMemberAccount(adminIam(endpoint, entry.accountId), entry.accountId, { next, previous, deployTrust: deployRoleTrust(registry, entry), ...(opsAdminTrust ? { opsAdminTrust } : {}) }));
  });
  await setMotoAuth(endpoint, true);
  return {
    registryFile,
    registry,
    credentials: management.credentials,
    adminArn: management.adminArn,
    organization: { organizationId, managementAccountId: MANAGEMENT_ACCOUNT, rootId, organizationalUnits: ous, accounts: orgAccounts, policies },
    iam,
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Records every IAM write of one account, so the generator's model is exactly what it sent. */
class AccountLoader {
  readonly expected: { roles: Record<string, ExpectedPrincipal>; users: Record<string, ExpectedPrincipal>; groups: Record<string, ExpectedPrincipal>; managedPolicies: Record<string, unknown> } = {
    roles: {},
    users: {},
    groups: {},
    managedPolicies: {},
  };
  constructor(
    readonly iam: IAMClient,
    readonly accountId: string,
  ) {}

  async policy(name: string, document: unknown): Promise<string> {
    const arn = (await this.iam.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: json(document) }))).Policy?.Arn ?? '';
    this.expected.managedPolicies[arn] = document;
    return arn;
  }

  async role(name: string, trust: unknown, extra: { path?: string; inline?: Record<string, unknown>; managed?: string[]; boundary?: string; tags?: Record<string, string> } = {}): Promise<void> {
    const rolePath = extra.path ?? '/';
    await this.iam.send(
      new CreateRoleCommand({
        RoleName: name,
        Path: rolePath,
        AssumeRolePolicyDocument: json(trust),
        ...(extra.tags ? { Tags: Object.entries(extra.tags).map(([Key, Value]) => ({ Key, Value })) } : {}),
      }),
    );
    for (const [p, d] of Object.entries(extra.inline ?? {})) await this.iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: p, PolicyDocument: json(d) }));
    for (const arn of extra.managed ?? []) await this.iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: arn }));
    if (extra.boundary) await this.iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: name, PermissionsBoundary: extra.boundary }));
    this.expected.roles[name] = { name, path: rolePath, trust, inline: extra.inline ?? {}, managed: [...(extra.managed ?? [])].sort(), ...(extra.boundary ? { boundary: extra.boundary } : {}), tags: extra.tags ?? {} };
  }

  async group(name: string, inline: Record<string, unknown>, managed: string[]): Promise<void> {
    await this.iam.send(new CreateGroupCommand({ GroupName: name }));
    for (const [p, d] of Object.entries(inline)) await this.iam.send(new PutGroupPolicyCommand({ GroupName: name, PolicyName: p, PolicyDocument: json(d) }));
    for (const arn of managed) await this.iam.send(new AttachGroupPolicyCommand({ GroupName: name, PolicyArn: arn }));
    this.expected.groups[name] = { name, path: '/', inline, managed: [...managed].sort() };
  }

  async user(name: string, extra: { inline?: Record<string, unknown>; groups?: string[] } = {}): Promise<void> {
    await this.iam.send(new CreateUserCommand({ UserName: name }));
    for (const [p, d] of Object.entries(extra.inline ?? {})) await this.iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: p, PolicyDocument: json(d) }));
    for (const g of extra.groups ?? []) await this.iam.send(new AddUserToGroupCommand({ UserName: name, GroupName: g }));
    this.expected.users[name] = { name, path: '/', inline: extra.inline ?? {}, managed: [], groups: [...(extra.groups ?? [])].sort() };
  }
}

/** The hub role's identity policy: assume the deploy and audit roles of every account, read IAM; `extra` statements after (a test adds a Deny). */
export function hubPolicy(...extra: Record<string, unknown>[]) {
  return doc(allow('sts:AssumeRole', [`arn:aws:iam::*:role/${DEPLOY_ROLE}`, `arn:aws:iam::*:role/${AUDIT_ROLE}`]), allow(['iam:Get*', 'iam:List*']), ...extra);
}

/**
 * The audit role: trusts the hub, may read IAM. moto judges a trust policy in the caller's own account by
 * comparing the caller's ARN as a string, so in the management account the hub's session (the role session
 * principal `collect` uses there, a principal AWS accepts too) is named beside the hub role.
 */
const auditRole = (loader: AccountLoader) => {
  const hub = `arn:aws:iam::${MANAGEMENT_ACCOUNT}:role/${HUB_ROLE}`;
  const trusted = loader.accountId === MANAGEMENT_ACCOUNT ? [hub, `arn:aws:sts::${MANAGEMENT_ACCOUNT}:assumed-role/${HUB_ROLE}/trustline-hub-collect`] : hub;
  return loader.role(AUDIT_ROLE, doc({ Effect: 'Allow', Principal: { AWS: trusted }, Action: 'sts:AssumeRole' }), { inline: { read: doc(allow(['iam:Get*', 'iam:List*'])) } });
};

/** The management (identity) account: the admin user whose key the collector uses, and the hub role. */
async function loadManagementAccount(endpoint: string, hubArn: string) {
  const iam = adminIam(endpoint, MANAGEMENT_ACCOUNT);
  const loader = new AccountLoader(iam, MANAGEMENT_ACCOUNT);
  const adminArn = `arn:aws:iam::${MANAGEMENT_ACCOUNT}:user/trustline-admin`;
  await loader.user('trustline-admin', {
    inline: { collect: doc(allow('sts:AssumeRole', hubArn), allow(['organizations:Describe*', 'organizations:List*'])) },
  });
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'trustline-admin' }))).AccessKey;
  if (!key?.AccessKeyId || !key.SecretAccessKey) throw new Error('moto returned no access key for the admin user.');
  await loader.role(HUB_ROLE, doc({ Sid: 'Admins', Effect: 'Allow', Principal: { AWS: [adminArn] }, Action: ['sts:AssumeRole'] }), { inline: { hub: hubPolicy() } });
  await auditRole(loader);
  return { expected: loader.expected, credentials: { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey }, adminArn };
}

/**
 * One member account: the deploy role (the components' trust document), the audit role, Organizations' access role as
 * moto creates it, a workload role (EC2 trust, a permissions boundary used by nothing else, a managed policy
 * to assume the next account's app role), the app role under a path (trusting the previous account's workload
 * role), and a user in a group with inline and managed policies; in member-0, a privileged role (`*`) that
 * the developer users of member-1 (prod) and member-3 (quarantined) are trusted into.
 */
async function loadMemberAccount(iam: IAMClient, accountId: string, links: { next: string; previous: string; deployTrust: unknown; opsAdminTrust?: string[] }): Promise<ExpectedIam> {
  const loader = new AccountLoader(iam, accountId);
  await loader.role(DEPLOY_ROLE, links.deployTrust, { inline: { permissions: doc(allow(['iam:Get*', 'iam:List*'])) } });
  await auditRole(loader);
  loader.expected.roles[ORG_ACCESS_ROLE] = {
    name: ORG_ACCESS_ROLE,
    path: '/',
    trust: doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MANAGEMENT_ACCOUNT}:root` }, Action: 'sts:AssumeRole' }),
    inline: {},
    managed: [],
    tags: {},
  };
  const boundary = await loader.policy('workload-boundary', doc(allow(['s3:*', 'sts:AssumeRole'])));
  const onward = await loader.policy('assume-onward', doc(allow('sts:AssumeRole', `arn:aws:iam::${links.next}:role/app/app-role`)));
  await loader.role('workload', doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }), {
    managed: [onward],
    boundary,
    tags: { team: 'payments' },
  });
  await loader.role('app-role', doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${links.previous}:role/workload` }, Action: 'sts:AssumeRole' }), {
    path: '/app/',
    inline: { read: doc(allow('s3:GetObject', 'arn:aws:s3:::app-data/*')) },
  });
  await loader.group('developers', { 'assume-app': doc(allow('sts:AssumeRole', `arn:aws:iam::${accountId}:role/app/app-role`)) }, [onward]);
  // moto has no PutUserPermissionsBoundary (NotImplementedError in moto 5.2): boundaries are on roles only.
  await loader.user('developer', { inline: { 'read-iam': doc(allow('iam:Get*')), 'ops-admin': doc(allow('sts:AssumeRole', 'arn:aws:iam::*:role/ops-admin')) }, groups: ['developers'] });
  if (links.opsAdminTrust) {
    await loader.role('ops-admin', doc({ Effect: 'Allow', Principal: { AWS: links.opsAdminTrust }, Action: 'sts:AssumeRole' }), { inline: { admin: doc(allow('*')) } });
  }
  return loader.expected;
}

/**
 * Writes the generator's own snapshot of what it loaded into `dir`: organization.json as built, and one
 * get-account-authorization-details file per account made from the model (documents as objects), so a test
 * can require the engine to find the same paths in it as in the snapshot `collect` wrote from moto.
 */
export function writeGeneratorSnapshot(org: GeneratedOrganization, dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'organization.json'), JSON.stringify(org.organization, null, 2));
  for (const [accountId, iam] of org.iam) {
    const arn = (kind: string, p: string, name: string) => `arn:aws:iam::${accountId}:${kind}${p}${name}`;
    const policyList = (inline: Record<string, unknown>) => Object.entries(inline).map(([PolicyName, PolicyDocument]) => ({ PolicyName, PolicyDocument }));
    const attached = (arns: readonly string[]) => arns.map((PolicyArn) => ({ PolicyArn, PolicyName: PolicyArn.replace(/^.*\//, '') }));
    const gaad = {
      RoleDetailList: Object.values(iam.roles).map((r) => ({
        RoleName: r.name,
        Path: r.path,
        Arn: arn('role', r.path, r.name),
        AssumeRolePolicyDocument: r.trust,
        RolePolicyList: policyList(r.inline),
        AttachedManagedPolicies: attached(r.managed),
        ...(r.boundary ? { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: r.boundary } } : {}),
        Tags: Object.entries(r.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
      })),
      UserDetailList: Object.values(iam.users).map((u) => ({
        UserName: u.name,
        Path: u.path,
        Arn: arn('user', u.path, u.name),
        UserPolicyList: policyList(u.inline),
        GroupList: u.groups ?? [],
        AttachedManagedPolicies: attached(u.managed),
        Tags: [],
      })),
      GroupDetailList: Object.values(iam.groups).map((g) => ({ GroupName: g.name, Path: g.path, Arn: arn('group', g.path, g.name), GroupPolicyList: policyList(g.inline), AttachedManagedPolicies: attached(g.managed) })),
      Policies: Object.entries(iam.managedPolicies).map(([Arn, Document]) => ({
        PolicyName: Arn.replace(/^.*\//, ''),
        Arn,
        Path: '/',
        DefaultVersionId: 'v1',
        PolicyVersionList: [{ Document, VersionId: 'v1', IsDefaultVersion: true }],
      })),
    };
    fs.writeFileSync(path.join(dir, `${accountId}.json`), JSON.stringify(gaad, null, 2));
  }
}
