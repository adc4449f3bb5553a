import { describe, expect, it } from 'vitest';
import { buildAccessGraph, findCycles, roleArns, whatCanReach, whoCanReach, type AccessPath, type OrgSnapshot, type PathEntry } from '../../src';
import { ADMIN, DEV, PROD, TEST, VENDOR, allow, assume, doc, roleArn, snapshot, trustAws, trustService, trusts, userArn, type SnapshotBuilder } from './builder';

const TARGET = roleArn(PROD, 'target');
const GITHUB = `arn:aws:iam::${PROD}:oidc-provider/token.actions.githubusercontent.com`;
const SAML = `arn:aws:iam::${PROD}:saml-provider/corp`;

const withTarget = (trust: Record<string, unknown>, more: (b: SnapshotBuilder) => void = () => undefined): OrgSnapshot => {
  const b = snapshot().organization().member(DEV).member(PROD).role(PROD, 'target', { trust, policies: [ADMIN] });
  more(b);
  return b.build();
};
const reach = (snap: OrgSnapshot, target = TARGET): AccessPath[] => whoCanReach(buildAccessGraph(snap), target);
const pathFrom = (ps: AccessPath[], e: PathEntry): AccessPath | undefined => ps.find((p) => p.from.kind === e.kind && p.from.id === e.id);

interface EntryCase {
  readonly name: string;
  readonly planted: OrgSnapshot;
  readonly decoy: OrgSnapshot;
  readonly entry: PathEntry;
  readonly action?: string;
  readonly guard?: string;
  readonly verdict?: AccessPath['verdict'];
}

const GH_SUB = { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' }, StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/infra:*' } };

const ENTRIES: readonly EntryCase[] = [
  {
    name: 'OIDC provider with pinned subject: web identity hop, claims are guards',
    planted: withTarget(doc(trusts({ Federated: GITHUB }, { Condition: GH_SUB }, 'sts:AssumeRoleWithWebIdentity'))),
    decoy: withTarget(doc(trusts({ Federated: GITHUB }, { Condition: GH_SUB }, 'sts:AssumeRole'))),
    entry: { kind: 'federated', id: GITHUB },
    action: 'sts:AssumeRoleWithWebIdentity',
    guard: 'token.actions.githubusercontent.com:sub',
    verdict: 'conditional',
  },
  {
    name: "OIDC provider without a subject: the issuer table's verdict is a guard",
    planted: withTarget(doc(trusts({ Federated: GITHUB }, { Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } } }, 'sts:AssumeRoleWithWebIdentity'))),
    decoy: withTarget(doc(trusts({ Federated: GITHUB }, { Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } } }, 'sts:AssumeRoleWithSAML'))),
    entry: { kind: 'federated', id: GITHUB },
    guard: 'federation:unbounded',
  },
  {
    name: 'SAML provider: SAML hop',
    planted: withTarget(doc(trusts({ Federated: SAML }, { Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } } }, 'sts:AssumeRoleWithSAML'))),
    decoy: withTarget(doc(trusts({ Federated: SAML }, { Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } } }, 'sts:AssumeRoleWithWebIdentity'))),
    entry: { kind: 'federated', id: SAML },
    action: 'sts:AssumeRoleWithSAML',
    guard: 'saml:aud',
  },
  {
    name: 'service principal, with its confused-deputy condition as a guard',
    planted: withTarget(doc(trusts({ Service: 'events.amazonaws.com' }, { Condition: { StringEquals: { 'aws:SourceAccount': PROD } } }))),
    decoy: withTarget(doc(trusts({ Service: 'events.amazonaws.com' }, { Condition: { StringEquals: { 'aws:PrincipalAccount': PROD } } }))),
    entry: { kind: 'service', id: 'events.amazonaws.com' },
    guard: 'aws:sourceaccount',
  },
  {
    name: 'anyone (*) with no condition',
    planted: withTarget(doc(trusts('*'))),
    decoy: withTarget(doc(trusts('*', { Condition: { StringEquals: { 'aws:PrincipalAccount': DEV } } }))),
    entry: { kind: 'anyone', id: '*' },
    verdict: 'always',
  },
  {
    name: 'anyone (*) with web identity: a token of any provider',
    planted: withTarget(doc(trusts('*', {}, 'sts:AssumeRoleWithWebIdentity'))),
    decoy: withTarget(doc(trusts('*', {}, 'sts:TagSession'))),
    entry: { kind: 'anyone', id: '*' },
    action: 'sts:AssumeRoleWithWebIdentity',
  },
  {
    name: 'Allow with NotPrincipal admits everyone else',
    planted: withTarget(doc({ Effect: 'Allow', NotPrincipal: { AWS: `arn:aws:iam::${VENDOR}:root` }, Action: 'sts:AssumeRole' })),
    decoy: withTarget(doc(trusts({ AWS: `arn:aws:iam::${TEST}:root` }))),
    entry: { kind: 'anyone', id: '*' },
  },
  {
    name: 'a role ARN outside the snapshot is its own entry',
    planted: withTarget(trustAws(roleArn(VENDOR, 'ci'))),
    decoy: withTarget(trustAws(roleArn(VENDOR, 'ci')), (b) => b.account(VENDOR)),
    entry: { kind: 'role', id: roleArn(VENDOR, 'ci') },
    verdict: 'always',
  },
  {
    name: 'a user starts with its own keys; its group grants the identity allow',
    planted: withTarget(trustAws(`arn:aws:iam::${DEV}:root`), (b) => b.group(DEV, 'ops', [assume(TARGET)]).user(DEV, 'alice', { groups: ['ops'] })),
    decoy: withTarget(trustAws(`arn:aws:iam::${DEV}:root`), (b) => b.group(DEV, 'ops', [assume(TARGET)]).user(DEV, 'alice', { groups: [] })),
    entry: { kind: 'user', id: userArn(DEV, 'alice') },
  },
  {
    name: 'an assumed-role session principal names its role',
    planted: withTarget(trustAws(`arn:aws:sts::${DEV}:assumed-role/app/session-1`), (b) => b.role(DEV, 'app', { trust: trustService('ec2.amazonaws.com'), policies: [assume(TARGET)] })),
    decoy: withTarget(trustAws(`arn:aws:sts::${DEV}:assumed-role/other/session-1`), (b) => b.role(DEV, 'app', { trust: trustService('ec2.amazonaws.com'), policies: [assume(TARGET)] })),
    entry: { kind: 'service', id: 'ec2.amazonaws.com' },
  },
];

describe('entry points: planted path and one-fact decoy', () => {
  it.each(ENTRIES)('$name', (c) => {
    const p = pathFrom(reach(c.planted), c.entry);
    expect(p, 'planted path').toBeDefined();
    if (c.action !== undefined) expect(p?.reasons[p.reasons.length - 1].action).toBe(c.action);
    if (c.guard !== undefined) expect(p?.guards.map((g) => g.key)).toContain(c.guard);
    if (c.verdict !== undefined) expect(p?.verdict).toBe(c.verdict);
    expect(pathFrom(reach(c.decoy), c.entry), 'decoy path').toBeUndefined();
  });

  it('explains the issuer verdict in the guard text', () => {
    const p = pathFrom(reach(ENTRIES[1].planted), ENTRIES[1].entry);
    expect(p?.guards.find((g) => g.key === 'federation:unbounded')?.text).toMatch(/GitHub Actions workload can assume the role/);
  });
});

/** a -> b -> c chains in DEV, entered by EC2 at a, with per-hop trust extras. */
function chain(names: readonly string[], extra: (k: number) => Record<string, unknown> = () => ({}), policies: (k: number) => Record<string, unknown>[] | undefined = () => undefined): OrgSnapshot {
  const b = snapshot().organization().member(DEV);
  names.forEach((n, k) => {
    const next = names[k + 1];
    b.role(DEV, n, {
      trust: k === 0 ? trustService('ec2.amazonaws.com') : trustAws(roleArn(DEV, names[k - 1]), extra(k)),
      policies: policies(k) ?? (next === undefined ? [ADMIN] : [assume(roleArn(DEV, next))]),
    });
  });
  return b.build();
}

const sourceIdentity = (v: string) => ({ Condition: { StringEquals: { 'sts:SourceIdentity': v } } });

describe('chains', () => {
  it.each([
    { name: 'SourceIdentity pinned to one value on two hops', values: ['alice', 'alice'], found: true },
    { name: 'SourceIdentity pinned to two values cannot hold (it never changes along a chain)', values: ['alice', 'bob'], found: false },
  ])('$name', ({ values, found }) => {
    const snap = chain(['a', 'b', 'c'], (k) => sourceIdentity(values[k - 1]));
    const ps = reach(snap, roleArn(DEV, 'c'));
    expect(ps.some((p) => p.from.kind === 'service')).toBe(found);
    if (found) expect(ps[0].guards.filter((g) => g.key === 'sts:sourceidentity').map((g) => g.hop)).toEqual([1, 2]);
  });

  it('a SourceIdentity conflict on the shortest path falls back to a longer valid one', () => {
    // a -> x (bob) -> c (alice) is shortest but cannot hold; a -> b (alice) -> d (alice) -> c can.
    const b = snapshot().organization().member(DEV);
    const r = (n: string): string => roleArn(DEV, n);
    b.role(DEV, 'a', { trust: trustService('ec2.amazonaws.com'), policies: [assume(r('b'), r('x'))] });
    b.role(DEV, 'x', { trust: trustAws(r('a'), sourceIdentity('bob')), policies: [assume(r('c'))] });
    b.role(DEV, 'b', { trust: trustAws(r('a'), sourceIdentity('alice')), policies: [assume(r('d'))] });
    b.role(DEV, 'd', { trust: trustAws(r('b'), sourceIdentity('alice')), policies: [assume(r('c'))] });
    b.role(DEV, 'c', { trust: trustAws([r('x'), r('d')], sourceIdentity('alice')), policies: [ADMIN] });
    const g = buildAccessGraph(b.build());
    const short = (p: AccessPath): string => p.hops.map((h) => h.slice(h.lastIndexOf('/') + 1)).join('>');
    expect(whoCanReach(g, r('c')).map(short)).toEqual(['a>b>d>c']);
    expect(whoCanReach(g, r('c'), { all: true }).map(short)).toEqual(['a>b>d>c']);
    expect(whatCanReach(g, { kind: 'service', id: 'ec2.amazonaws.com' }).map(short)).toEqual(['a', 'a>b', 'a>x', 'a>b>d', 'a>b>d>c']);
  });

  it('every simple path with all, the shortest per entry by default', () => {
    const b = snapshot().organization().member(DEV);
    b.role(DEV, 'a', { trust: trustService('ec2.amazonaws.com'), policies: [assume(roleArn(DEV, 'b'), roleArn(DEV, 'c'))] });
    b.role(DEV, 'b', { trust: trustAws(roleArn(DEV, 'a')), policies: [assume(roleArn(DEV, 'c'))] });
    b.role(DEV, 'c', { trust: trustAws([roleArn(DEV, 'a'), roleArn(DEV, 'b')]), policies: [ADMIN] });
    const g = buildAccessGraph(b.build());
    expect(whoCanReach(g, roleArn(DEV, 'c')).map((p) => p.hops.length)).toEqual([2]);
    expect(whoCanReach(g, roleArn(DEV, 'c'), { all: true }).map((p) => p.hops.length)).toEqual([2, 3]);
    expect(whatCanReach(g, { kind: 'service', id: 'ec2.amazonaws.com' }, { all: true }).map((p) => p.hops.length)).toEqual([1, 2, 2, 3]);
  });

  it.each([
    { maxHops: 3, found: false },
    { maxHops: 4, found: true },
  ])('hop bound $maxHops on a four-hop chain: found $found', ({ maxHops, found }) => {
    const g = buildAccessGraph(chain(['a', 'b', 'c', 'd']));
    expect(whoCanReach(g, roleArn(DEV, 'd'), { maxHops }).length > 0).toBe(found);
    expect(whoCanReach(g, roleArn(DEV, 'd'), { maxHops, all: true }).length > 0).toBe(found);
  });

  it('refuses a hop bound that is not a positive whole number', () => {
    const g = buildAccessGraph(chain(['a', 'b']));
    expect(() => whoCanReach(g, roleArn(DEV, 'b'), { maxHops: 0 })).toThrow(/maxHops 0 must be a whole number of hops, at least 1/);
  });

  it.each([
    { name: 'two roles that assume each other form a cycle', bAllows: true, cycles: [[roleArn(DEV, 'a'), roleArn(TEST, 'b')]] },
    { name: 'without the identity allow back there is no cycle', bAllows: false, cycles: [] },
  ])('$name', ({ bAllows, cycles }) => {
    const b = snapshot().organization().member(DEV);
    // Across accounts, so that the trust naming b is not enough without b's identity allow (S1, not the S2 grey zone).
    b.member(TEST);
    b.role(DEV, 'a', { trust: doc(trusts({ Service: 'ec2.amazonaws.com' }), trusts({ AWS: roleArn(TEST, 'b') })), policies: [assume(roleArn(TEST, 'b'))] });
    b.role(TEST, 'b', { trust: trustAws(roleArn(DEV, 'a')), policies: bAllows ? [assume(roleArn(DEV, 'a'))] : [doc(allow('s3:*'))] });
    const g = buildAccessGraph(b.build());
    expect(findCycles(g)).toEqual(cycles);
    // Queries terminate and never repeat a role on a path.
    for (const p of whoCanReach(g, roleArn(DEV, 'a'), { all: true })) expect(new Set(p.hops).size).toBe(p.hops.length);
  });

  it.each([
    { name: 'S4: no implicit self-trust', trustsItself: false, cycles: [] },
    { name: 'a role whose trust names itself can assume itself', trustsItself: true, cycles: [[roleArn(DEV, 'self')]] },
  ])('$name', ({ trustsItself, cycles }) => {
    const b = snapshot().member(DEV);
    const trust = trustsItself ? doc(trusts({ Service: 'ec2.amazonaws.com' }), trusts({ AWS: roleArn(DEV, 'self') })) : trustService('ec2.amazonaws.com');
    b.role(DEV, 'self', { trust, policies: [assume(roleArn(DEV, 'self'))] });
    const g = buildAccessGraph(b.build());
    expect(findCycles(g)).toEqual(cycles);
    // Either way the role is entered through EC2, and a path never repeats it.
    expect(whoCanReach(g, roleArn(DEV, 'self'), { all: true }).map((p) => [p.from.id, p.hops.length])).toEqual([['ec2.amazonaws.com', 1]]);
  });

  it('a role that only it itself assumes starts with its own credentials', () => {
    const b = snapshot().member(DEV).member(PROD).role(PROD, 'target', { trust: trustAws(roleArn(DEV, 'loner')), policies: [ADMIN] });
    b.role(DEV, 'loner', { trust: trustAws(roleArn(DEV, 'loner')), policies: [assume(roleArn(DEV, 'loner'), TARGET)] });
    expect(reach(b.build()).map((p) => [p.from, p.hops])).toEqual([[{ kind: 'role', id: roleArn(DEV, 'loner') }, [TARGET]]]);
  });
});

describe('capability class nodes: no principal x role pairs', () => {
  const build = (): OrgSnapshot => {
    const b = snapshot().member(DEV).member(PROD).group(DEV, 'ops', [assume(`arn:aws:iam::${PROD}:role/app-*`)]);
    for (let u = 0; u < 20; u++) b.user(DEV, `u${u}`, { groups: ['ops'] });
    for (let r = 0; r < 5; r++) b.role(PROD, `app-${r}`, { trust: trustAws(`arn:aws:iam::${DEV}:root`), policies: [ADMIN] });
    return b.build();
  };

  it('20 users that may assume 5 roles: 20 memberships and 5 class edges, not 100 pairs; paths show roles only', () => {
    const g = buildAccessGraph(build());
    expect(g.stats.edges).toBe(20 + 5);
    const from = whatCanReach(g, { kind: 'user', id: userArn(DEV, 'u7') });
    expect(from.map((p) => p.hops)).toEqual([0, 1, 2, 3, 4].map((r) => [roleArn(PROD, `app-${r}`)]));
    expect(from[0].reasons[0].identity).toBe(`arn:aws:iam::${DEV}:group/ops#inline/p0 statement #0`);
    expect(whoCanReach(g, roleArn(PROD, 'app-3')).map((p) => p.from.id)).toEqual(Array.from({ length: 20 }, (_, u) => userArn(DEV, `u${u}`)).sort());
    expect(findCycles(g)).toEqual([]);
  });

  it('a member named by the trust and reached through its class is listed once', () => {
    const b = snapshot().member(DEV).member(PROD).group(DEV, 'ops', [assume(TARGET)]);
    for (const u of ['u0', 'u1']) b.user(DEV, u, { groups: ['ops'] });
    b.role(PROD, 'target', { trust: trustAws([`arn:aws:iam::${DEV}:root`, userArn(DEV, 'u0')]), policies: [ADMIN] });
    const g = buildAccessGraph(b.build());
    expect(whoCanReach(g, TARGET, { all: true }).map((p) => p.from.id)).toEqual([userArn(DEV, 'u0'), userArn(DEV, 'u1')]);
    expect(whatCanReach(g, { kind: 'user', id: userArn(DEV, 'u0') }, { all: true }).map((p) => p.hops)).toEqual([[TARGET]]);
  });

  it('a class whose members assume each other is a cycle of roles, and a chain may pass its class twice', () => {
    const b = snapshot().member(DEV);
    for (const n of ['a', 'b', 'x']) b.role(DEV, n, { trust: doc(trusts({ Service: 'ec2.amazonaws.com' }), trusts({ AWS: `arn:aws:iam::${DEV}:root` })), policies: [assume(`arn:aws:iam::${DEV}:role/*`)] });
    const g = buildAccessGraph(b.build());
    expect(findCycles(g)).toEqual([[roleArn(DEV, 'a'), roleArn(DEV, 'b'), roleArn(DEV, 'x')]]);
    expect(whoCanReach(g, roleArn(DEV, 'b'), { all: true }).map((p) => p.hops.map((h) => h.slice(h.lastIndexOf('/') + 1)).join('>'))).toEqual(['b', 'a>b', 'x>b', 'a>x>b', 'x>a>b']);
    expect(whoCanReach(g, roleArn(DEV, 'b'), { all: true, maxHops: 2 })).toHaveLength(3);
  });
});

describe('queries and problems', () => {
  it('lists role ARNs, answers [] for an unknown target, and starts whatCanReach from an outside account', () => {
    const snap = withTarget(trustAws(`arn:aws:iam::${VENDOR}:root`));
    const g = buildAccessGraph(snap);
    expect(roleArns(g)).toEqual([TARGET]);
    expect(whoCanReach(g, roleArn(PROD, 'nope'))).toEqual([]);
    expect(whatCanReach(g, { kind: 'account', id: VENDOR }).map((p) => p.hops)).toEqual([[TARGET]]);
  });

  it('reports a managed policy with no document and a document that does not parse, and judges them as granting nothing', () => {
    const b = snapshot().member(DEV).member(PROD);
    b.role(PROD, 'target', { trust: '%7Bnot json', policies: [ADMIN] });
    const snap = b.build();
    const acc = snap.accounts.find((a) => a.accountId === PROD);
    const broken: OrgSnapshot = { ...snap, accounts: snap.accounts.map((a) => (a === acc ? { ...a, roles: a.roles.map((r) => ({ ...r, managedPolicyArns: ['arn:aws:iam::aws:policy/Missing'] })) } : a)) };
    const g = buildAccessGraph(broken);
    expect(g.problems.map((p) => p.message).join('\n')).toMatch(/trust policy of arn:aws:iam::333333333333:role\/target could not be read and is judged as granting nothing: The policy document is not valid JSON/);
    expect(g.problems.map((p) => p.message).join('\n')).toMatch(/attaches managed policy arn:aws:iam::aws:policy\/Missing, which the account's file does not hold/);
    expect(whoCanReach(g, TARGET)).toEqual([]);
  });

  it('reads URL-encoded trust documents as GAAD returns them', () => {
    const snap = withTarget(encodeURIComponent(JSON.stringify(trustAws(`arn:aws:iam::${VENDOR}:root`))) as unknown as Record<string, unknown>);
    expect(reach(snap).map((p) => p.from)).toEqual([{ kind: 'account', id: VENDOR }]);
  });

  it('roles with identical policies share one capability class (one identity evaluation per target)', () => {
    const b = snapshot().member(DEV).member(PROD).role(PROD, 'target', { trust: trustAws(`arn:aws:iam::${DEV}:root`), policies: [ADMIN] });
    for (let k = 0; k < 20; k++) b.role(DEV, `r${k}`, { trust: trustService('ec2.amazonaws.com'), policies: [assume(TARGET)] });
    const g = buildAccessGraph(b.build());
    expect(whoCanReach(g, TARGET).length).toBe(1);
    const all = whoCanReach(g, TARGET, { all: true });
    expect(all.length).toBe(20);
    // Each path names its own role's policy, though the class was evaluated once.
    expect(all.map((p) => p.reasons[1].identity).sort()).toEqual(Array.from({ length: 20 }, (_, k) => `${roleArn(DEV, `r${k}`)}#inline/p0 statement #0`).sort());
    // 20 trust checks of EC2 -> r<k>, then for the class the 20 roles share: 1 trust check and 1 identity evaluation.
    expect(g.stats.evaluations).toBe(20 + 1 + 1);
  });
});
