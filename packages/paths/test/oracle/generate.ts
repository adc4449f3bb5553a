/**
 * Random small organizations for the oracle (issue 18, item 5): a fast-check arbitrary of an {@link OrgSpec}
 * (plain numbers and menu choices, so fast-check can shrink it) and {@link buildSnapshot}, which turns a spec into
 * the {@link OrgSnapshot} the engine reads. Everything a hop depends on is varied: OU trees, 2-6 member accounts
 * (the first is the management account), roles and users, trust policies naming exact ARNs, `:root`, bare account
 * ids, `*`, a service, an account outside the organization, Deny and NotPrincipal; identity policies with
 * Allow/Deny, Action/NotAction wildcards, Resource/NotResource ARN wildcards, groups, AWS-managed policies repeated
 * in every account (as GAAD repeats them), boundaries; SCPs and RCPs on the root, OUs and accounts; conditions on
 * aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:PrincipalAccount, aws:PrincipalArn, aws:PrincipalTag,
 * sts:ExternalId and aws:MultiFactorAuthPresent. Documents are objects or URL-encoded text, as GAAD returns them.
 */
import fc from 'fast-check';
import type { OrgPolicy, OrgSnapshot, SnapshotAccount, SnapshotPolicy, SnapshotRole, SnapshotUser } from '../../src/types';

export const ORG_ID = 'o-aaaaaaaaaa';
export const OTHER_ORG_ID = 'o-bbbbbbbbbb';
export const ROOT_ID = 'r-aaaa';
/** An account outside the organization and the snapshot that trust policies may name. */
export const OUTSIDE_ACCOUNT = '555555555555';
export const SERVICE = 'ec2.amazonaws.com';
/** The ExternalId values policies may require; the oracle tries each. */
export const EXTERNAL_IDS = ['ext-1', 'ext-2'] as const;

export const accountIdOf = (i: number): string => `1000000000${String(i + 10).padStart(2, '0')}`;
export const ouIdOf = (i: number): string => `ou-aaaa-${String(i + 1).padStart(8, '0')}`;

const ROLE_PREFIXES = ['dev-', 'prod-', 'hub-'] as const;

// ---- spec ---------------------------------------------------------------------------------------------------

/** A reference to a principal by indices, resolved modulo what exists when the snapshot is built. */
export type PrincipalRef =
  | { readonly k: 'role'; readonly acct: number; readonly idx: number }
  | { readonly k: 'user'; readonly acct: number; readonly idx: number }
  | { readonly k: 'root'; readonly acct: number }
  | { readonly k: 'id'; readonly acct: number }
  | { readonly k: 'outside' }
  | { readonly k: 'star' }
  | { readonly k: 'service' };

export type ResourceRef =
  | { readonly k: 'star' }
  | { readonly k: 'role'; readonly acct: number; readonly idx: number }
  | { readonly k: 'accountRoles'; readonly acct: number }
  | { readonly k: 'prefix'; readonly prefix: number }
  | { readonly k: 'question' };

export interface IdentityStatementSpec {
  readonly deny: boolean;
  readonly notAction: boolean;
  readonly actions: readonly number[];
  readonly notResource: boolean;
  readonly resources: readonly ResourceRef[];
  readonly cond: number | null;
}

export interface TrustStatementSpec {
  readonly deny: boolean;
  readonly notPrincipal: boolean;
  readonly principals: readonly PrincipalRef[];
  readonly bareStar: boolean;
  readonly action: number;
  readonly cond: number | null;
}

export interface PrincipalSpec {
  readonly inline: readonly IdentityStatementSpec[];
  /** Indices into MANAGED. */
  readonly managed: readonly number[];
  readonly boundary: number | null;
  readonly teamRed: boolean;
}

export interface RoleSpec extends PrincipalSpec {
  readonly prefix: number;
  readonly trust: readonly TrustStatementSpec[];
}

export interface UserSpec extends PrincipalSpec {
  readonly inGroup: boolean;
}

export interface AccountSpec {
  readonly roles: readonly RoleSpec[];
  readonly users: readonly UserSpec[];
  readonly group: readonly IdentityStatementSpec[];
  readonly encoded: boolean;
  /** -1: under the root; else an OU index (modulo). */
  readonly parent: number;
  /** SCPs and RCPs attached directly to the account: [allow choice, extra deny choice or -1]. */
  readonly scp: readonly [number, number];
  readonly rcp: number;
}

export interface OrgSpec {
  readonly accounts: readonly AccountSpec[];
  /** OU parents: -1 the root, else an earlier OU index (modulo). */
  readonly ous: readonly { readonly parent: number; readonly scp: readonly [number, number]; readonly rcp: number }[];
  readonly rootScp: readonly [number, number];
  readonly rootRcp: number;
  readonly scpsOn: boolean;
  readonly rcpsOn: boolean;
}

// ---- menus --------------------------------------------------------------------------------------------------

type Doc = { Version: string; Statement: Record<string, unknown>[] };
const doc = (...Statement: Record<string, unknown>[]): Doc => ({ Version: '2012-10-17', Statement });

const ALLOW_ACTIONS = ['sts:AssumeRole', 'sts:*', '*', 'sts:Assume*', 'sts:assumerole', 'iam:*', 's3:GetObject', 'sts:TagSession'];
const NOT_ACTIONS = ['iam:*', 's3:*', 'sts:AssumeRole', 'sts:TagSession'];

const IDENTITY_CONDITIONS: readonly Record<string, unknown>[] = [
  { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
  { StringEquals: { 'aws:PrincipalTag/team': 'red' } },
  { StringEquals: { 'aws:PrincipalOrgID': ORG_ID } },
  { StringEquals: { 'aws:PrincipalOrgID': OTHER_ORG_ID } },
  { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
];

const TRUST_ACTIONS: readonly (string | string[])[] = [
  'sts:AssumeRole',
  'sts:*',
  ['sts:AssumeRole', 'sts:TagSession'],
  'sts:TagSession',
  '*',
  'sts:AssumeRoleWithWebIdentity',
];

/** Conditions of Allow trust statements; `acct` stands for an account id chosen by the spec. */
const trustAllowCondition = (i: number, acct: string): Record<string, unknown> =>
  [
    { StringEquals: { 'aws:PrincipalOrgID': ORG_ID } },
    { StringEquals: { 'aws:PrincipalOrgID': OTHER_ORG_ID } },
    { StringEquals: { 'aws:PrincipalAccount': acct } },
    { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/dev-*' } },
    { StringEquals: { 'sts:ExternalId': EXTERNAL_IDS[0] } },
    { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    { StringEquals: { 'aws:PrincipalTag/team': 'red' } },
    { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': [`${ORG_ID}/${ROOT_ID}/${ouIdOf(0)}/*`] } },
    { StringEquals: { 'sts:ExternalId': EXTERNAL_IDS }, Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
  ][i % 9];

const trustDenyCondition = (i: number, acct: string): Record<string, unknown> =>
  [
    { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    { StringNotEquals: { 'aws:PrincipalOrgID': ORG_ID } },
    { StringNotEquals: { 'aws:PrincipalAccount': acct } },
    { Null: { 'sts:ExternalId': 'true' } },
    { StringEquals: { 'sts:ExternalId': EXTERNAL_IDS[1] } },
  ][i % 5];

/** Managed policies every account's GAAD carries: two AWS-managed (repeated in each account) and one customer-managed. */
export const MANAGED: readonly { readonly name: string; readonly aws: boolean; readonly doc: Doc }[] = [
  { name: 'AdministratorAccess', aws: true, doc: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) },
  { name: 'ReadOnlyAccess', aws: true, doc: doc({ Effect: 'Allow', Action: ['iam:Get*', 's3:Get*', 'sts:GetCallerIdentity'], Resource: '*' }) },
  { name: 'assume-any', aws: false, doc: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }) },
];

/** Permission boundaries (customer-managed policies of the account). */
export const BOUNDARIES: readonly { readonly name: string; readonly doc: Doc }[] = [
  { name: 'boundary-all', doc: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) },
  { name: 'boundary-s3', doc: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }) },
  { name: 'boundary-dev', doc: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::*:role/dev-*' }) },
  { name: 'boundary-notiam', doc: doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }) },
];

/** SCP allow choices (one per level): FullAWSAccess mostly, sometimes an allow without sts. */
const SCP_ALLOWS: readonly { readonly name: string; readonly doc: Doc }[] = [
  { name: 'FullAWSAccess', doc: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) },
  { name: 'FullAWSAccess', doc: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) },
  { name: 'FullAWSAccess', doc: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) },
  { name: 'AllowS3Only', doc: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }) },
  { name: 'AllowNotIam', doc: doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }) },
];
/** Extra SCPs (deny guardrails) a level may carry in addition. */
const SCP_EXTRAS: readonly { readonly name: string; readonly doc: Doc }[] = [
  { name: 'DenyAssumeRole', doc: doc({ Effect: 'Deny', Action: 'sts:AssumeRole', Resource: '*' }) },
  { name: 'DenyAssumeProd', doc: doc({ Effect: 'Deny', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::*:role/prod-*' }) },
  { name: 'DenyWithoutMfa', doc: doc({ Effect: 'Deny', Action: 'sts:*', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } }) },
  { name: 'DenyNotS3', doc: doc({ Effect: 'Deny', NotAction: ['s3:*', 'sts:*'], Resource: '*' }) },
  { name: 'AllowSts', doc: doc({ Effect: 'Allow', Action: 'sts:*', Resource: '*' }) },
];
/** RCPs (deny only, as AWS allows; RCPFullAWSAccess is attached everywhere as AWS lists it). */
const RCP_FULL = { name: 'RCPFullAWSAccess', doc: doc({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }) };
const RCP_EXTRAS: readonly { readonly name: string; readonly doc: Doc }[] = [
  { name: 'RcpOrgOnly', doc: doc({ Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole', Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': ORG_ID } } }) },
  {
    name: 'RcpOrgOnlyExceptServices',
    doc: doc({ Effect: 'Deny', Principal: '*', Action: 'sts:*', Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': ORG_ID }, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } } }),
  },
  { name: 'RcpDenyProd', doc: doc({ Effect: 'Deny', Principal: '*', Action: 'sts:*', Resource: 'arn:aws:iam::*:role/prod-*' }) },
  { name: 'RcpExternalIdOutside', doc: doc({ Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole', Resource: '*', Condition: { Null: { 'sts:ExternalId': 'true' }, StringNotEqualsIfExists: { 'aws:PrincipalOrgID': ORG_ID } } }) },
];

// ---- arbitraries ----------------------------------------------------------------------------------------------

const small = (max: number) => fc.nat({ max });
const principalRef: fc.Arbitrary<PrincipalRef> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constant('role' as const), acct: small(5), idx: small(3) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('user' as const), acct: small(5), idx: small(2) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('root' as const), acct: small(5) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('id' as const), acct: small(5) }) },
  { weight: 1, arbitrary: fc.constant({ k: 'outside' as const }) },
  { weight: 1, arbitrary: fc.constant({ k: 'star' as const }) },
  { weight: 1, arbitrary: fc.constant({ k: 'service' as const }) },
);
const resourceRef: fc.Arbitrary<ResourceRef> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ k: 'star' as const }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('role' as const), acct: small(5), idx: small(3) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('accountRoles' as const), acct: small(5) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('prefix' as const), prefix: small(ROLE_PREFIXES.length - 1) }) },
  { weight: 1, arbitrary: fc.constant({ k: 'question' as const }) },
);
const maybe = <T>(a: fc.Arbitrary<T>, freq: number) => fc.option(a, { freq, nil: null });

const identityStatement: fc.Arbitrary<IdentityStatementSpec> = fc.record({
  deny: fc.boolean().chain((b) => (b ? fc.boolean().map((c) => b && c) : fc.constant(false))),
  notAction: fc.nat(5).map((n) => n === 0),
  actions: fc.uniqueArray(small(ALLOW_ACTIONS.length - 1), { minLength: 1, maxLength: 2 }),
  notResource: fc.nat(6).map((n) => n === 0),
  resources: fc.array(resourceRef, { minLength: 1, maxLength: 2 }),
  cond: maybe(small(IDENTITY_CONDITIONS.length - 1), 3),
});

const trustStatement: fc.Arbitrary<TrustStatementSpec> = fc.record({
  deny: fc.nat(6).map((n) => n === 0),
  notPrincipal: fc.nat(3).map((n) => n === 0),
  principals: fc.array(principalRef, { minLength: 1, maxLength: 2 }),
  bareStar: fc.boolean(),
  action: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 4, arbitrary: small(TRUST_ACTIONS.length - 1) }),
  cond: maybe(small(40), 2),
});

const principalFields = {
  inline: fc.array(identityStatement, { maxLength: 2 }),
  managed: fc.uniqueArray(small(MANAGED.length - 1), { maxLength: 2 }),
  boundary: maybe(small(BOUNDARIES.length - 1), 3),
  teamRed: fc.boolean(),
};
const roleSpec: fc.Arbitrary<RoleSpec> = fc.record({
  ...principalFields,
  prefix: small(ROLE_PREFIXES.length - 1),
  trust: fc.array(trustStatement, { minLength: 1, maxLength: 2 }),
});
const userSpec: fc.Arbitrary<UserSpec> = fc.record({ ...principalFields, inGroup: fc.boolean() });
const scpChoice = fc.tuple(small(SCP_ALLOWS.length - 1), fc.integer({ min: -3, max: SCP_EXTRAS.length - 1 })).map(([a, e]) => [a, Math.max(e, -1)] as const);
const rcpChoice = fc.integer({ min: -3, max: RCP_EXTRAS.length - 1 }).map((e) => Math.max(e, -1));

const accountSpec: fc.Arbitrary<AccountSpec> = fc.record({
  roles: fc.array(roleSpec, { minLength: 1, maxLength: 3 }),
  users: fc.array(userSpec, { maxLength: 2 }),
  group: fc.array(identityStatement, { maxLength: 1 }),
  encoded: fc.boolean(),
  parent: fc.integer({ min: -1, max: 3 }),
  scp: scpChoice,
  rcp: rcpChoice,
});

/** The arbitrary of small organizations (2-6 member accounts, 0-3 OUs). */
export const orgSpec: fc.Arbitrary<OrgSpec> = fc.record({
  accounts: fc.array(accountSpec, { minLength: 2, maxLength: 6 }),
  ous: fc.array(fc.record({ parent: fc.integer({ min: -1, max: 2 }), scp: scpChoice, rcp: rcpChoice }), { maxLength: 3 }),
  rootScp: scpChoice,
  rootRcp: rcpChoice,
  scpsOn: fc.boolean(),
  rcpsOn: fc.boolean(),
});

// ---- building the snapshot ------------------------------------------------------------------------------------

const roleName = (spec: OrgSpec, a: number, r: number): string => `${ROLE_PREFIXES[spec.accounts[a].roles[r].prefix]}${a}${r}`;
export const roleArnOf = (spec: OrgSpec, a: number, r: number): string => `arn:aws:iam::${accountIdOf(a)}:role/${roleName(spec, a, r)}`;
export const userArnOf = (a: number, u: number): string => `arn:aws:iam::${accountIdOf(a)}:user/user-${a}${u}`;

function principalValue(spec: OrgSpec, ref: PrincipalRef): { AWS?: string; Service?: string } {
  const n = spec.accounts.length;
  switch (ref.k) {
    case 'role': {
      const a = ref.acct % n;
      return { AWS: roleArnOf(spec, a, ref.idx % spec.accounts[a].roles.length) };
    }
    case 'user': {
      const a = ref.acct % n;
      const users = spec.accounts[a].users.length;
      // An account with no user: the reference names a user that does not exist (a dead trust, never a hop).
      return { AWS: users > 0 ? userArnOf(a, ref.idx % users) : `arn:aws:iam::${accountIdOf(a)}:user/gone` };
    }
    case 'root':
      return { AWS: `arn:aws:iam::${accountIdOf(ref.acct % n)}:root` };
    case 'id':
      return { AWS: accountIdOf(ref.acct % n) };
    case 'outside':
      return { AWS: `arn:aws:iam::${OUTSIDE_ACCOUNT}:root` };
    case 'star':
      return { AWS: '*' };
    case 'service':
      return { Service: SERVICE };
  }
}

function resourceValue(spec: OrgSpec, ref: ResourceRef): string {
  const n = spec.accounts.length;
  switch (ref.k) {
    case 'star':
      return '*';
    case 'role': {
      const a = ref.acct % n;
      return roleArnOf(spec, a, ref.idx % spec.accounts[a].roles.length);
    }
    case 'accountRoles':
      return `arn:aws:iam::${accountIdOf(ref.acct % n)}:role/*`;
    case 'prefix':
      return `arn:aws:iam::*:role/${ROLE_PREFIXES[ref.prefix]}*`;
    case 'question':
      return 'arn:aws:iam::*:role/hub-?0';
  }
}

function identityDoc(spec: OrgSpec, statements: readonly IdentityStatementSpec[]): Doc {
  return doc(
    ...statements.map((s) => {
      const actions = s.notAction ? s.actions.map((i) => NOT_ACTIONS[i % NOT_ACTIONS.length]) : s.actions.map((i) => ALLOW_ACTIONS[i]);
      const resources = s.resources.map((r) => resourceValue(spec, r));
      return {
        Effect: s.deny ? 'Deny' : 'Allow',
        [s.notAction ? 'NotAction' : 'Action']: actions.length === 1 ? actions[0] : actions,
        [s.notResource ? 'NotResource' : 'Resource']: resources.length === 1 ? resources[0] : resources,
        ...(s.cond === null ? {} : { Condition: IDENTITY_CONDITIONS[s.cond] }),
      };
    }),
  );
}

function trustDoc(spec: OrgSpec, a: number, statements: readonly TrustStatementSpec[]): Doc {
  return doc(
    ...statements.map((s, i) => {
      const values = s.principals.map((p) => principalValue(spec, p));
      const aws = [...new Set(values.flatMap((v) => (v.AWS ? [v.AWS] : [])))];
      const services = [...new Set(values.flatMap((v) => (v.Service ? [v.Service] : [])))];
      const principal: unknown =
        s.bareStar && aws.length === 1 && aws[0] === '*' && services.length === 0
          ? '*'
          : { ...(aws.length ? { AWS: aws.length === 1 ? aws[0] : aws } : {}), ...(services.length ? { Service: services.length === 1 ? services[0] : services } : {}) };
      const condAcct = accountIdOf((a + 1 + (s.cond ?? 0)) % spec.accounts.length);
      const cond = s.cond === null ? undefined : s.deny ? trustDenyCondition(s.cond, condAcct) : trustAllowCondition(s.cond, condAcct);
      return {
        Sid: `T${i}`,
        Effect: s.deny ? 'Deny' : 'Allow',
        [s.deny && s.notPrincipal ? 'NotPrincipal' : 'Principal']: principal,
        Action: TRUST_ACTIONS[s.action],
        ...(cond ? { Condition: cond } : {}),
      };
    }),
  );
}

/** GAAD returns documents URL-encoded; the snapshot carries either form. */
const encode = (d: Doc, encoded: boolean): unknown => (encoded ? encodeURIComponent(JSON.stringify(d)) : d);

const managedArn = (m: (typeof MANAGED)[number], acct: string) => (m.aws ? `arn:aws:iam::aws:policy/${m.name}` : `arn:aws:iam::${acct}:policy/${m.name}`);

function buildAccount(spec: OrgSpec, a: number): SnapshotAccount {
  const acct = accountIdOf(a);
  const as = spec.accounts[a];
  const managedPolicies = new Map<string, unknown>();
  for (const m of MANAGED) managedPolicies.set(managedArn(m, acct), encode(m.doc, as.encoded));
  for (const b of BOUNDARIES) managedPolicies.set(`arn:aws:iam::${acct}:policy/${b.name}`, encode(b.doc, as.encoded));
  const inline = (owner: string, statements: readonly IdentityStatementSpec[]): SnapshotPolicy[] =>
    statements.length ? [{ id: `${owner}#inline/inline-0`, document: encode(identityDoc(spec, statements), as.encoded) }] : [];
  const common = (p: PrincipalSpec, arn: string) => ({
    inlinePolicies: inline(arn, p.inline),
    managedPolicyArns: p.managed.map((i) => managedArn(MANAGED[i], acct)),
    ...(p.boundary === null ? {} : { permissionsBoundaryArn: `arn:aws:iam::${acct}:policy/${BOUNDARIES[p.boundary].name}` }),
    tags: (p.teamRed ? { team: 'red' } : {}) as Record<string, string>,
  });
  const roles: SnapshotRole[] = as.roles.map((r, i) => {
    const arn = roleArnOf(spec, a, i);
    return { arn, name: roleName(spec, a, i), path: '/', trustPolicy: encode(trustDoc(spec, a, r.trust), as.encoded), ...common(r, arn) };
  });
  const groupArn = `arn:aws:iam::${acct}:group/team`;
  const users: SnapshotUser[] = as.users.map((u, i) => {
    const arn = userArnOf(a, i);
    return { arn, name: `user-${a}${i}`, path: '/', groups: u.inGroup ? ['team'] : [], ...common(u, arn) };
  });
  return {
    accountId: acct,
    status: 'read',
    roles,
    users,
    groups: [{ arn: groupArn, name: 'team', inlinePolicies: inline(groupArn, as.group), managedPolicyArns: [] }],
    managedPolicies,
  };
}

function orgPolicies(spec: OrgSpec): OrgPolicy[] {
  const targets = new Map<string, { type: OrgPolicy['type']; name: string; doc: Doc; targets: string[] }>();
  const attach = (type: OrgPolicy['type'], p: { name: string; doc: Doc }, target: string) => {
    const key = `${type}/${p.name}`;
    const entry = targets.get(key) ?? { type, name: p.name, doc: p.doc, targets: [] };
    if (!entry.targets.includes(target)) entry.targets.push(target);
    targets.set(key, entry);
  };
  const level = (target: string, scp: readonly [number, number], rcp: number) => {
    if (spec.scpsOn) {
      attach('SERVICE_CONTROL_POLICY', SCP_ALLOWS[scp[0]], target);
      if (scp[1] >= 0) attach('SERVICE_CONTROL_POLICY', SCP_EXTRAS[scp[1]], target);
    }
    if (spec.rcpsOn) {
      attach('RESOURCE_CONTROL_POLICY', RCP_FULL, target);
      if (rcp >= 0) attach('RESOURCE_CONTROL_POLICY', RCP_EXTRAS[rcp], target);
    }
  };
  level(ROOT_ID, spec.rootScp, spec.rootRcp);
  spec.ous.forEach((ou, i) => level(ouIdOf(i), ou.scp, ou.rcp));
  spec.accounts.forEach((as, a) => level(accountIdOf(a), as.scp, as.rcp));
  return [...targets.values()].map((p, i) => ({
    id: `p-${p.type === 'SERVICE_CONTROL_POLICY' ? 'scp' : 'rcp'}${String(i).padStart(6, '0')}`,
    type: p.type,
    name: p.name,
    content: p.doc,
    targets: p.targets,
  }));
}

/** The OU of index `i`'s parent id: an earlier OU or the root (so the tree has no cycle). */
const ouParent = (spec: OrgSpec, i: number): string => {
  const p = spec.ous[i].parent;
  return p < 0 || i === 0 ? ROOT_ID : ouIdOf(p % i);
};
const accountParent = (spec: OrgSpec, a: number): string => {
  const p = spec.accounts[a].parent;
  return p < 0 || spec.ous.length === 0 ? ROOT_ID : ouIdOf(p % spec.ous.length);
};

/** The snapshot the engine reads, built deterministically from a spec. Account 0 is the management account. */
export function buildSnapshot(spec: OrgSpec): OrgSnapshot {
  return {
    organization: {
      organizationId: ORG_ID,
      managementAccountId: accountIdOf(0),
      rootId: ROOT_ID,
      organizationalUnits: spec.ous.map((_, i) => ({ id: ouIdOf(i), parentId: ouParent(spec, i), name: `ou${i}` })),
      accounts: spec.accounts.map((_, a) => ({ accountId: accountIdOf(a), name: `account${a}`, parentId: accountParent(spec, a) })),
      policies: orgPolicies(spec),
    },
    accounts: spec.accounts.map((_, a) => buildAccount(spec, a)),
  };
}
