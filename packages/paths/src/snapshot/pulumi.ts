import { isObj } from '@trustline/trust';
import type { Declared } from '../rules/declared';
import type { OrgSnapshot, SnapshotAccount, SnapshotGroup, SnapshotPolicy, SnapshotRole, SnapshotUser } from '../types';

/**
 * The organization snapshot of what the code declares, before anything is deployed: the IAM resources the
 * programs register (roles, inline and attached policies, users, groups), each in the account of the
 * provider it goes through, plus the registry's declared principals (the identity account's hub) as roles
 * that may assume exactly the deploy roles that name them. Pure: the caller (the offline preview, or a
 * reader of `pulumi preview --json`) gives plain records; nothing here knows Pulumi's runtime.
 */

/** One registered resource, as the caller read it. */
export interface CodeResource {
  /** Pulumi type token, e.g. `aws:iam/role:Role`. */
  readonly type: string;
  readonly urn: string;
  /** Logical (Pulumi) name. */
  readonly name: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Per input property, the URNs its value came from (how an attachment finds its role and policy). */
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
  /** The account of the provider the resource goes through (its role chain's end), or null when not known. */
  readonly account: string | null;
  /** The provider's region (for the partition of the ARNs), when known. */
  readonly region?: string | null;
}

/** Something the code graph could not take as written; it is reported, never dropped silently. */
export interface CodeProblem {
  /** URN of the resource it is about. */
  readonly urn: string;
  readonly message: string;
}

export interface CodeSnapshotOptions {
  /** True when a value is (or contains) a value Pulumi does not know before deploy (the caller's sentinels). */
  readonly isUnknown?: (value: unknown) => boolean;
}

export interface CodeSnapshot {
  readonly snapshot: OrgSnapshot;
  readonly problems: CodeProblem[];
  /** The ARN of each role the code creates, by its URN (a report points a finding about the role at its resource). */
  readonly roleArns: ReadonlyMap<string, string>;
}

export const CODE_ROLE_TYPE = 'aws:iam/role:Role';
export const CODE_IAM_TYPES: readonly string[] = [
  CODE_ROLE_TYPE,
  'aws:iam/rolePolicy:RolePolicy',
  'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
  'aws:iam/policy:Policy',
  'aws:iam/user:User',
  'aws:iam/userPolicy:UserPolicy',
  'aws:iam/userPolicyAttachment:UserPolicyAttachment',
  'aws:iam/group:Group',
  'aws:iam/groupPolicy:GroupPolicy',
  'aws:iam/groupPolicyAttachment:GroupPolicyAttachment',
  'aws:iam/groupMembership:GroupMembership',
  'aws:iam/userGroupMembership:UserGroupMembership',
];

/** AWS-managed policies whose document the code graph knows without reading an account (the deploy roles' default). */
const AWS_MANAGED_DOCUMENTS: Readonly<Record<string, unknown>> = {
  AdministratorAccess: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

/** The tag a role the registry declares (not the code) carries in the code snapshot. */
export const DECLARED_ROLE_TAG = 'trustline:declared-by';

const partition = (region: string | null | undefined): string => (region?.startsWith('cn-') ? 'aws-cn' : region?.startsWith('us-gov-') ? 'aws-us-gov' : 'aws');
const normPath = (p: unknown): string => (typeof p === 'string' && p.startsWith('/') ? (p.endsWith('/') ? p : `${p}/`) : '/');
const lastSegment = (v: string): string => v.slice(v.lastIndexOf('/') + 1);

interface Draft {
  roles: Map<string, { role: SnapshotRole; inline: SnapshotPolicy[]; managed: string[] }>;
  users: Map<string, { user: SnapshotUser; inline: SnapshotPolicy[]; managed: string[]; groups: string[] }>;
  groups: Map<string, { group: SnapshotGroup; inline: SnapshotPolicy[]; managed: string[] }>;
  managed: Map<string, unknown>;
}

/**
 * Builds the snapshot. Unknown values: a role's name, path and account come from its inputs and its
 * provider's chain, so its ARN is known whenever they are (the usual case: names are literal, the account
 * is the registry's); a resource whose account, name or document is unknown is a {@link CodeProblem}, and a
 * role whose trust policy is unknown is kept with an empty trust policy (no path into it) and reported.
 */
export function snapshotFromCode(records: readonly CodeResource[], declared: Declared, options: CodeSnapshotOptions = {}): CodeSnapshot {
  const unknown = options.isUnknown ?? (() => false);
  const problems: CodeProblem[] = [];
  const drafts = new Map<string, Draft>();
  const draftOf = (account: string): Draft => {
    let d = drafts.get(account);
    if (d === undefined) drafts.set(account, (d = { roles: new Map(), users: new Map(), groups: new Map(), managed: new Map() }));
    return d;
  };
  const text = (r: CodeResource, field: string): string | undefined => {
    const v = r.inputs[field];
    return typeof v === 'string' && v !== '' && !unknown(v) ? v : undefined;
  };
  /** The IAM name of a named resource: its `name` input, else its logical name (Pulumi would add a random suffix). */
  const iamName = (r: CodeResource): string | undefined => (unknown(r.inputs.name) ? undefined : (text(r, 'name') ?? r.name));
  const document = (r: CodeResource, field: string): unknown => {
    const v = r.inputs[field];
    if (v === undefined || unknown(v)) {
      problems.push({ urn: r.urn, message: `${r.type} "${r.name}": ${field} is ${v === undefined ? 'not set' : 'not known before deploy (computed from another resource)'}; it is judged as granting nothing, so paths it would open are not shown.` });
      return { Version: '2012-10-17', Statement: [] };
    }
    return v;
  };
  const accountOf = (r: CodeResource): string | undefined => {
    if (r.account !== null) return r.account;
    problems.push({ urn: r.urn, message: `${r.type} "${r.name}": the account it is created in is not known (its provider's role chain is not known during preview); it is left out of the code graph.` });
    return undefined;
  };
  const arnOf = (r: CodeResource, kind: 'role' | 'user' | 'group' | 'policy', account: string, name: string) => `arn:${partition(r.region)}:iam::${account}:${kind}${normPath(r.inputs.path)}${name}`;
  const roleArnOf = new Map<string, string>(); // URN -> ARN
  const policyArnOf = new Map<string, string>();
  const userArnOf = new Map<string, string>();
  const groupNameOf = new Map<string, string>();

  // Principals and managed policies first, so attachments in any order find them.
  for (const r of records) {
    const kind = r.type === CODE_ROLE_TYPE ? 'role' : r.type === 'aws:iam/user:User' ? 'user' : r.type === 'aws:iam/group:Group' ? 'group' : r.type === 'aws:iam/policy:Policy' ? 'policy' : undefined;
    if (kind === undefined) continue;
    const account = accountOf(r);
    if (account === undefined) continue;
    const name = iamName(r);
    if (name === undefined) {
      problems.push({ urn: r.urn, message: `${r.type} "${r.name}": its name is not known before deploy; it is left out of the code graph.` });
      continue;
    }
    const arn = arnOf(r, kind, account, name);
    const d = draftOf(account);
    const tags = isObj(r.inputs.tags) ? (Object.fromEntries(Object.entries(r.inputs.tags).filter((e): e is [string, string] => typeof e[1] === 'string')) as Record<string, string>) : {};
    const boundary = text(r, 'permissionsBoundary');
    if (kind === 'policy') {
      d.managed.set(arn, document(r, 'policy'));
      policyArnOf.set(r.urn, arn);
    } else if (kind === 'role') {
      const inline: SnapshotPolicy[] = [];
      if (Array.isArray(r.inputs.inlinePolicies)) {
        for (const p of r.inputs.inlinePolicies) {
          if (!isObj(p) || typeof p.name !== 'string' || unknown(p.policy)) {
            problems.push({ urn: r.urn, message: `${r.type} "${r.name}": an inlinePolicies entry has no known name or policy before deploy; it is judged as granting nothing.` });
            continue;
          }
          inline.push({ id: `${arn}#inline/${p.name}`, document: p.policy });
        }
      }
      const managed = Array.isArray(r.inputs.managedPolicyArns) ? r.inputs.managedPolicyArns.filter((a): a is string => typeof a === 'string' && !unknown(a)) : [];
      const role: SnapshotRole = { arn, name, path: normPath(r.inputs.path), trustPolicy: document(r, 'assumeRolePolicy'), inlinePolicies: inline, managedPolicyArns: managed, ...(boundary !== undefined && { permissionsBoundaryArn: boundary }), tags };
      d.roles.set(arn, { role, inline, managed });
      roleArnOf.set(r.urn, arn);
    } else if (kind === 'user') {
      const user: SnapshotUser = { arn, name, path: normPath(r.inputs.path), inlinePolicies: [], managedPolicyArns: [], groups: [], ...(boundary !== undefined && { permissionsBoundaryArn: boundary }), tags };
      d.users.set(arn, { user, inline: [], managed: [], groups: [] });
      userArnOf.set(r.urn, arn);
    } else {
      d.groups.set(name, { group: { arn, name, inlinePolicies: [], managedPolicyArns: [] }, inline: [], managed: [] });
      groupNameOf.set(r.urn, name);
    }
  }

  /** The principal a policy or attachment names in `field`: the resource its value came from, else a name or ARN in the same account. */
  const principalOf = (r: CodeResource, field: string, kind: 'role' | 'user' | 'group', account: string): string | undefined => {
    const own = kind === 'role' ? roleArnOf : kind === 'user' ? userArnOf : groupNameOf;
    for (const urn of r.propertyDependencies?.[field] ?? []) {
      const found = own.get(urn);
      if (found !== undefined) return found;
    }
    const value = text(r, field);
    const d = drafts.get(account);
    if (value !== undefined && d !== undefined) {
      const name = lastSegment(value);
      const map = kind === 'role' ? d.roles : kind === 'user' ? d.users : d.groups;
      for (const [key, entry] of map) if (key === value || ('role' in entry ? entry.role.name : 'user' in entry ? entry.user.name : entry.group.name) === name) return key;
    }
    problems.push({ urn: r.urn, message: `${r.type} "${r.name}": ${field} ${value === undefined ? 'is not known before deploy' : JSON.stringify(value)} names no ${kind} the code creates in account ${account}; the policy is left out of the code graph.` });
    return undefined;
  };
  const policyArnFor = (r: CodeResource): string | undefined => {
    for (const urn of r.propertyDependencies?.policyArn ?? []) {
      const found = policyArnOf.get(urn);
      if (found !== undefined) return found;
    }
    const value = text(r, 'policyArn');
    if (value === undefined) problems.push({ urn: r.urn, message: `${r.type} "${r.name}": policyArn is not known before deploy and comes from no policy the code creates; the attachment is left out of the code graph.` });
    return value;
  };

  for (const r of records) {
    const m = /^aws:iam\/(role|user|group)(Policy|PolicyAttachment):/.exec(r.type);
    if (m === null) continue;
    const kind = m[1] as 'role' | 'user' | 'group';
    const account = accountOf(r);
    if (account === undefined) continue;
    const owner = principalOf(r, kind, kind, account);
    if (owner === undefined) continue;
    const d = draftOf(account);
    const entry = kind === 'role' ? d.roles.get(owner) : kind === 'user' ? d.users.get(owner) : d.groups.get(owner);
    if (entry === undefined) continue;
    if (m[2] === 'Policy') {
      const name = iamName(r) ?? r.name;
      const ownerArn = 'role' in entry ? entry.role.arn : 'user' in entry ? entry.user.arn : entry.group.arn;
      entry.inline.push({ id: `${ownerArn}#inline/${name}`, document: document(r, 'policy') });
    } else {
      const arn = policyArnFor(r);
      if (arn !== undefined && !entry.managed.includes(arn)) entry.managed.push(arn);
    }
  }
  for (const r of records) {
    if (r.type !== 'aws:iam/groupMembership:GroupMembership' && r.type !== 'aws:iam/userGroupMembership:UserGroupMembership') continue;
    const account = accountOf(r);
    if (account === undefined) continue;
    const d = draftOf(account);
    if (r.type === 'aws:iam/groupMembership:GroupMembership') {
      const group = principalOf(r, 'group', 'group', account);
      const users = Array.isArray(r.inputs.users) ? r.inputs.users : [];
      for (const u of users) {
        const user = typeof u === 'string' ? [...d.users.values()].find((x) => x.user.name === u) : undefined;
        if (group !== undefined && user !== undefined && !user.groups.includes(group)) user.groups.push(group);
      }
    } else {
      const userArn = principalOf(r, 'user', 'user', account);
      const user = userArn === undefined ? undefined : d.users.get(userArn);
      for (const g of Array.isArray(r.inputs.groups) ? r.inputs.groups : []) if (typeof g === 'string' && user !== undefined && !user.groups.includes(g)) user.groups.push(g);
    }
  }

  addDeclaredPrincipals(declared, drafts, draftOf);

  const accounts: SnapshotAccount[] = [...drafts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([accountId, d]) => {
      const managed = new Map(d.managed);
      const attached = [...d.roles.values()].flatMap((x) => x.managed).concat([...d.users.values()].flatMap((x) => x.managed), [...d.groups.values()].flatMap((x) => x.managed));
      for (const arn of attached) {
        const aws = /^arn:aws[\w-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
        if (!managed.has(arn) && aws !== null && AWS_MANAGED_DOCUMENTS[aws[1]] !== undefined) managed.set(arn, AWS_MANAGED_DOCUMENTS[aws[1]]);
      }
      return {
        accountId,
        status: 'read' as const,
        roles: [...d.roles.values()].map((x) => ({ ...x.role, inlinePolicies: x.inline, managedPolicyArns: x.managed })),
        users: [...d.users.values()].map((x) => ({ ...x.user, inlinePolicies: x.inline, managedPolicyArns: x.managed, groups: x.groups })),
        groups: [...d.groups.values()].map((x) => ({ ...x.group, inlinePolicies: x.inline, managedPolicyArns: x.managed })),
        managedPolicies: managed,
      };
    });
  return { snapshot: { accounts }, problems, roleArns: roleArnOf };
}

/**
 * The registry's declared principals that no program creates (the identity account's hub, a CI role):
 * each a role that the identity account's own principals may assume (`<identity>:root` in its trust, as
 * credentials live there) and whose identity policy allows `sts:AssumeRole` and `sts:TagSession` on exactly
 * the deploy roles that declare it in `trustedPrincipals`, tagged {@link DECLARED_ROLE_TAG} `accounts.json`.
 */
function addDeclaredPrincipals(declared: Declared, drafts: ReadonlyMap<string, Draft>, draftOf: (account: string) => Draft): void {
  const mayAssume = new Map<string, string[]>();
  if (declared.identity.hubRoleArn !== undefined) mayAssume.set(declared.identity.hubRoleArn, []);
  for (const a of declared.accounts) for (const p of a.trustedPrincipals) mayAssume.set(p, [...(mayAssume.get(p) ?? []), a.deployRoleArn]);
  for (const [arn, targets] of mayAssume) {
    const m = /^arn:(aws[\w-]*):iam::(\d{12}):role(\/(?:.*\/)?)([^/]+)$/.exec(arn);
    if (m === null) continue;
    const [, part, account, path, name] = m;
    if (drafts.get(account)?.roles.has(arn)) continue; // the code creates it: its own policies count
    const inline: SnapshotPolicy[] =
      targets.length === 0 ? [] : [{ id: `${arn}#inline/declared-in-accounts-json`, document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: targets }] } }];
    const role: SnapshotRole = {
      arn,
      name,
      path,
      trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:${part}:iam::${declared.identity.accountId}:root` }, Action: 'sts:AssumeRole' }] },
      inlinePolicies: inline,
      managedPolicyArns: [],
      tags: { [DECLARED_ROLE_TAG]: 'accounts.json' },
    };
    draftOf(account).roles.set(arn, { role, inline, managed: [] });
  }
}
