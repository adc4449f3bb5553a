import { describe, expect, it } from 'vitest';
import { buildAccessGraph, whoCanReach, type AccessPath, type OrgSnapshot, type PathEntry } from '../../src';
import {
  ADMIN,
  DEV,
  HUB,
  MGMT,
  ORG_ID,
  PROD,
  ROOT,
  VENDOR,
  allow,
  assume,
  deny,
  doc,
  roleArn,
  rootArn,
  snapshot,
  trustAws,
  trustService,
  trusts,
  type SnapshotBuilder,
} from './builder';

/**
 * Semantics families (S1-S10): each case builds a planted snapshot where the path exists and a decoy that
 * differs in one fact, and asks who can reach the target. The decoy must not have the path.
 */

const CALLER = roleArn(DEV, 'dev-app');
const TARGET = roleArn(PROD, 'prod-admin');
const EC2: PathEntry = { kind: 'service', id: 'ec2.amazonaws.com' };

interface Setup {
  /** Identity policies of the caller (dev-app, in DEV, entered by EC2). */
  readonly caller?: readonly Record<string, unknown>[];
  readonly callerBoundary?: Record<string, unknown>;
  readonly callerTags?: Record<string, string>;
  /** The caller's own trust policy (default: EC2). */
  readonly callerTrust?: Record<string, unknown>;
  readonly trust?: Record<string, unknown>;
  /** Extra organization facts. */
  readonly org?: (b: SnapshotBuilder) => void;
  /** The caller's account (default DEV). */
  readonly callerAccount?: string;
  /** The target's account (default PROD). */
  readonly targetAccount?: string;
}

/** dev-app (DEV, OU ou-dev) -> prod-admin (PROD, OU ou-prod), both sides allowing unless told otherwise. */
function scenario(s: Setup = {}): OrgSnapshot {
  const callerAccount = s.callerAccount ?? DEV;
  const callerArn = roleArn(callerAccount, 'dev-app');
  const b = snapshot()
    .organization({ 'ou-dev': ROOT, 'ou-prod': ROOT })
    .member(MGMT)
    .member(DEV, 'ou-dev')
    .member(PROD, 'ou-prod')
    .member(HUB)
    .account(MGMT)
    .role(callerAccount, 'dev-app', { trust: s.callerTrust ?? trustService('ec2.amazonaws.com'), policies: s.caller ?? [assume(TARGET)], ...(s.callerBoundary !== undefined && { boundary: s.callerBoundary }), ...(s.callerTags !== undefined && { tags: s.callerTags }) })
    .role(s.targetAccount ?? PROD, 'prod-admin', { trust: s.trust ?? trustAws(callerArn), policies: [ADMIN] });
  s.org?.(b);
  return b.build();
}

/** Loose files: the two accounts' IAM, no organization (no SCPs, RCPs or organization id). */
function snapshotWithoutOrg(trust: Record<string, unknown>): OrgSnapshot {
  return snapshot()
    .role(DEV, 'dev-app', { trust: trustService('ec2.amazonaws.com'), policies: [assume(TARGET)] })
    .role(PROD, 'prod-admin', { trust, policies: [ADMIN] })
    .build();
}

const paths = (snap: OrgSnapshot): AccessPath[] => {
  // The target is the one role named prod-admin, whichever account holds it.
  const target = snap.accounts.flatMap((a) => a.roles).find((r) => r.name === 'prod-admin')?.arn ?? TARGET;
  return whoCanReach(buildAccessGraph(snap), target);
};
const from = (ps: AccessPath[], e: PathEntry): AccessPath | undefined => ps.find((p) => p.from.kind === e.kind && p.from.id === e.id);

interface Family {
  readonly name: string;
  readonly planted: OrgSnapshot;
  readonly decoy: OrgSnapshot;
  /** The entry the path starts from (default EC2 through dev-app). */
  readonly entry?: PathEntry;
  readonly verdict?: AccessPath['verdict'];
  /** A guard key the planted path must carry. */
  readonly guard?: string;
}

const denyAssumeAt = (target: string) => (b: SnapshotBuilder) => b.fullAccess('scp').scp([target], doc(deny('sts:AssumeRole')), 'deny-sts');
const rcpDenyOthersAt = (target: string) => (b: SnapshotBuilder) =>
  b.fullAccess('rcp').rcp([target], doc(deny('sts:AssumeRole', '*', { Principal: '*', Condition: { StringNotEqualsIfExists: { 'aws:PrincipalAccount': [HUB] }, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } } })), 'only-hub');

const FAMILIES: readonly Family[] = [
  { name: 'S1 identity allow missing', planted: scenario(), decoy: scenario({ caller: [doc(allow('s3:*'))] }), verdict: 'always' },
  { name: 'S1 identity allow through a wildcard role ARN', planted: scenario({ caller: [assume('arn:aws:iam::*:role/prod-*')] }), decoy: scenario({ caller: [assume('arn:aws:iam::*:role/test-*')] }) },
  { name: 'S1 identity NotResource', planted: scenario({ caller: [doc(allow('sts:AssumeRole', [], { Resource: undefined, NotResource: roleArn(PROD, 'other') }))] }), decoy: scenario({ caller: [doc({ Effect: 'Allow', Action: 'sts:AssumeRole', NotResource: TARGET })] }) },
  { name: 'S1 NotAction iam:* allows sts', planted: scenario({ caller: [doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })] }), decoy: scenario({ caller: [doc({ Effect: 'Allow', NotAction: 'sts:*', Resource: '*' })] }) },
  { name: 'S1 explicit Deny in identity', planted: scenario({ caller: [assume(TARGET), doc(deny('s3:*'))] }), decoy: scenario({ caller: [assume(TARGET), doc(deny('sts:*'))] }) },
  {
    name: 'S1 explicit Deny in trust',
    planted: scenario({ trust: doc(trusts({ AWS: CALLER }), { Effect: 'Deny', Principal: { AWS: roleArn(DEV, 'other') }, Action: 'sts:AssumeRole' }) }),
    decoy: scenario({ trust: doc(trusts({ AWS: CALLER }), { Effect: 'Deny', Principal: { AWS: CALLER }, Action: 'sts:AssumeRole' }) }),
  },
  {
    name: 'S1 trust Deny with NotPrincipal',
    planted: scenario({ trust: doc(trusts({ AWS: CALLER }), { Effect: 'Deny', NotPrincipal: { AWS: CALLER }, Action: 'sts:AssumeRole' }) }),
    decoy: scenario({ trust: doc(trusts({ AWS: CALLER }), { Effect: 'Deny', NotPrincipal: { AWS: roleArn(HUB, 'hub') }, Action: 'sts:AssumeRole' }) }),
  },
  {
    name: 'guards on one hop that cannot hold together (trust needs MFA, the caller denies itself with MFA)',
    planted: scenario({ caller: [assume(TARGET), doc(deny('sts:AssumeRole', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } }))], trust: trustAws(CALLER, { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }) }),
    decoy: scenario({ caller: [assume(TARGET), doc(deny('sts:AssumeRole', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }))], trust: trustAws(CALLER, { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }) }),
    verdict: 'conditional',
    guard: 'aws:multifactorauthpresent',
  },
  {
    name: 'S8 a trust Deny with NotPrincipal applies to a caller with a permissions boundary even when it is listed',
    planted: scenario({ trust: doc(trusts({ AWS: CALLER }), { Effect: 'Deny', NotPrincipal: { AWS: CALLER }, Action: 'sts:AssumeRole' }) }),
    decoy: scenario({ callerBoundary: doc(allow('*')), trust: doc(trusts({ AWS: CALLER }), { Effect: 'Deny', NotPrincipal: { AWS: CALLER }, Action: 'sts:AssumeRole' }) }),
  },
  { name: 'S8 boundary without sts:*', planted: scenario({ callerBoundary: doc(allow(['s3:*', 'sts:*'])) }), decoy: scenario({ callerBoundary: doc(allow('s3:*')) }) },
  { name: 'S8 explicit Deny in boundary', planted: scenario({ callerBoundary: doc(allow('*'), deny('s3:*')) }), decoy: scenario({ callerBoundary: doc(allow('*'), deny('sts:AssumeRole')) }) },
  { name: "S6 SCP Deny on the caller's OU", planted: scenario({ org: denyAssumeAt('ou-prod') }), decoy: scenario({ org: denyAssumeAt('ou-dev') }) },
  { name: 'S6 SCP Deny on the root', planted: scenario({ org: (b) => b.fullAccess('scp') }), decoy: scenario({ org: denyAssumeAt(ROOT) }) },
  {
    name: 'S6 an OU level with no SCP Allow denies',
    planted: scenario({ org: (b) => b.scp([ROOT, 'ou-dev', 'ou-prod', DEV, PROD, MGMT, HUB], doc(allow('*'))) }),
    decoy: scenario({ org: (b) => b.scp([ROOT, 'ou-prod', DEV, PROD, MGMT, HUB], doc(allow('*'))) }),
  },
  {
    name: 'S6 the management account is exempt from SCPs',
    planted: scenario({ callerAccount: MGMT, org: denyAssumeAt(ROOT), trust: trustAws(roleArn(MGMT, 'dev-app')) }),
    decoy: scenario({ callerAccount: HUB, org: denyAssumeAt(ROOT), trust: trustAws(roleArn(HUB, 'dev-app')) }),
  },
  { name: "S7 RCP on the target's OU", planted: scenario({ org: rcpDenyOthersAt('ou-dev') }), decoy: scenario({ org: rcpDenyOthersAt('ou-prod') }) },
  { name: 'S7 RCP: a level with no RCP Allow denies', planted: scenario({ org: (b) => b.fullAccess('rcp') }), decoy: scenario({ org: (b) => b.rcp([ROOT, 'ou-dev', DEV], doc(allow('*', '*', { Principal: '*' }))) }) },
  {
    name: 'S7 the management account is exempt from RCPs',
    planted: scenario({ targetAccount: MGMT, caller: [assume(roleArn(MGMT, 'prod-admin'))], org: (b) => b.fullAccess('rcp').rcp([ROOT], doc(deny('sts:AssumeRole', '*', { Principal: '*', Condition: { BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } } }))) }),
    decoy: scenario({ targetAccount: HUB, caller: [assume(roleArn(HUB, 'prod-admin'))], org: (b) => b.fullAccess('rcp').rcp([ROOT], doc(deny('sts:AssumeRole', '*', { Principal: '*', Condition: { BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } } }))) }),
  },
  {
    name: 'S6 no SCP in the snapshot: SCPs are off (an RCP alone does not turn them on)',
    planted: scenario({ org: (b) => b.fullAccess('rcp') }),
    decoy: scenario({ org: (b) => b.fullAccess('rcp').scp([ROOT], doc(allow('s3:*')), 's3-only') }),
  },
  {
    name: 'S10 aws:PrincipalOrgID of another organization',
    planted: scenario({ trust: doc(trusts('*', { Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG_ID } } })) }),
    decoy: scenario({ trust: doc(trusts('*', { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-other99999' } } })) }),
    verdict: 'always',
  },
  {
    name: 'S10 aws:PrincipalOrgPaths of the caller',
    planted: scenario({ trust: doc(trusts('*', { Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': `${ORG_ID}/${ROOT}/ou-dev/*` } } })) }),
    decoy: scenario({ trust: doc(trusts('*', { Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': `${ORG_ID}/${ROOT}/ou-prod/*` } } })) }),
  },
  {
    name: 'principal tags fixed by the caller',
    planted: scenario({ callerTags: { team: 'platform' }, trust: trustAws(rootArn(DEV), { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'platform' } } }) }),
    decoy: scenario({ callerTags: { team: 'data' }, trust: trustAws(rootArn(DEV), { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'platform' } } }) }),
  },
  {
    name: 'S5 session tags: a caller whose trust allows sts:TagSession chooses its principal tags (a guard)',
    planted: scenario({ callerTags: { team: 'data' }, callerTrust: doc(trusts({ Service: 'ec2.amazonaws.com' }, {}, ['sts:AssumeRole', 'sts:TagSession'])), trust: trustAws(rootArn(DEV), { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'platform' } } }) }),
    decoy: scenario({ callerTags: { team: 'data' }, trust: trustAws(rootArn(DEV), { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'platform' } } }) }),
    verdict: 'conditional',
    guard: 'aws:principaltag/team',
  },
  {
    name: 'a service principal carries no principal tags (a negated tag condition holds, a positive one never)',
    planted: scenario({ trust: doc(trusts({ Service: 'ec2.amazonaws.com' }, { Condition: { StringNotEquals: { 'aws:PrincipalTag/team': 'red' } } })) }),
    decoy: scenario({ trust: doc(trusts({ Service: 'ec2.amazonaws.com' }, { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'red' } } })) }),
    verdict: 'always',
  },
  { name: 'S3 :root expanded to principals with an identity allow', planted: scenario({ trust: trustAws(rootArn(DEV)) }), decoy: scenario({ trust: trustAws(rootArn(DEV)), caller: [doc(allow('s3:*'))] }) },
  { name: 'S3 a bare account id is the account principal', planted: scenario({ trust: trustAws(DEV) }), decoy: scenario({ trust: trustAws(DEV), caller: [] }) },
  {
    name: 'an account outside the snapshot may (it is an entry)',
    planted: scenario({ trust: trustAws(rootArn(VENDOR)) }),
    decoy: scenario({ trust: trustAws(rootArn(VENDOR)), org: (b) => b.account(VENDOR) }),
    entry: { kind: 'account', id: VENDOR },
    verdict: 'always',
  },
  {
    name: 'ExternalId is a guard on the outside account',
    planted: scenario({ trust: trustAws(rootArn(VENDOR), { Condition: { StringEquals: { 'sts:ExternalId': 'vendor-123' } } }) }),
    decoy: scenario({ trust: trustAws(rootArn(VENDOR), { Condition: { StringEquals: { 'sts:ExternalId': 'vendor-123', 'aws:PrincipalOrgID': ORG_ID } } }) }),
    entry: { kind: 'account', id: VENDOR },
    verdict: 'conditional',
    guard: 'sts:externalid',
  },
  {
    name: 'aws:PrincipalOrgPaths naming our organization never holds for an outside account',
    planted: scenario({ trust: trustAws(rootArn(VENDOR), { Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-other99999/*' } } }) }),
    decoy: scenario({ trust: trustAws(rootArn(VENDOR), { Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': `${ORG_ID}/${ROOT}/ou-dev/*` } } }) }),
    entry: { kind: 'account', id: VENDOR },
    verdict: 'conditional',
    guard: 'aws:principalorgpaths',
  },
  {
    name: 'an unreadable account of the organization is unknown, not dropped',
    planted: scenario({ trust: trustAws(rootArn(HUB)), org: (b) => b.unreadable(HUB) }),
    decoy: scenario({ trust: trustAws(rootArn(HUB)), org: (b) => b.account(HUB) }),
    entry: { kind: 'account', id: HUB },
    verdict: 'unknown',
    guard: 'unknown:account-unreadable',
  },
  {
    name: 'a role ARN in an unreadable account is unknown, not dropped',
    planted: scenario({ trust: trustAws(roleArn(HUB, 'hub')), org: (b) => b.unreadable(HUB) }),
    decoy: scenario({ trust: trustAws(roleArn(HUB, 'hub')), org: (b) => b.account(HUB) }),
    entry: { kind: 'role', id: roleArn(HUB, 'hub') },
    verdict: 'unknown',
    guard: 'unknown:account-unreadable',
  },
  {
    name: 'without organization.json, aws:PrincipalOrgID cannot be evaluated: a guard',
    planted: snapshotWithoutOrg(doc(trusts('*', { Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG_ID } } }))),
    decoy: snapshotWithoutOrg(doc(trusts('*', { Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG_ID, 'aws:PrincipalAccount': HUB } } }))),
    verdict: 'conditional',
    guard: 'aws:principalorgid',
  },
  {
    name: 'S2 grey zone: same-account trust names the caller, no identity allow',
    planted: scenario({ callerAccount: PROD, caller: [], trust: trustAws(roleArn(PROD, 'dev-app')) }),
    decoy: scenario({ callerAccount: PROD, caller: [], trust: trustAws(rootArn(PROD)) }),
    verdict: 'conditional',
    guard: 'grey-zone:same-account-trust',
  },
  {
    name: 'S2 grey zone also when the trust names the account root beside the caller',
    planted: scenario({ callerAccount: PROD, caller: [], trust: trustAws([rootArn(PROD), roleArn(PROD, 'dev-app')]) }),
    decoy: scenario({ callerAccount: PROD, caller: [], trust: trustAws([rootArn(PROD), roleArn(PROD, 'other')]) }),
    verdict: 'conditional',
    guard: 'grey-zone:same-account-trust',
  },
  {
    name: 'environment keys are guards (MFA)',
    planted: scenario({ trust: trustAws(CALLER, { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }) }),
    decoy: scenario({ trust: trustAws(CALLER, { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, StringEquals: { 'aws:PrincipalAccount': PROD } } }) }),
    verdict: 'conditional',
    guard: 'aws:multifactorauthpresent',
  },
  {
    name: 'a Deny with symbolic conditions is a guard, one with fixed true conditions drops the edge',
    planted: scenario({ caller: [assume(TARGET), doc(deny('sts:AssumeRole', '*', { Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } }))] }),
    decoy: scenario({ caller: [assume(TARGET), doc(deny('sts:AssumeRole', '*', { Condition: { StringEquals: { 'aws:PrincipalAccount': DEV } } }))] }),
    verdict: 'conditional',
    guard: 'aws:multifactorauthpresent',
  },
];

describe('guard texts and reasons', () => {
  it('says what the grey zone is, and why an ExternalId is asked', () => {
    const grey = from(paths(scenario({ callerAccount: PROD, caller: [], trust: trustAws(roleArn(PROD, 'dev-app')) })), EC2);
    expect(grey?.guards).toEqual([
      {
        hop: 1,
        source: 'engine',
        key: 'grey-zone:same-account-trust',
        text: `The trust policy of ${TARGET} names ${roleArn(PROD, 'dev-app')} in the same account, which holds no identity-policy allow for sts:AssumeRole on it; IAM's documentation is ambiguous on whether such a grant alone is enough (a grant to the session principal is; a boundary may still cut it), so confirm it live.`,
      },
    ]);
    expect(grey?.reasons[1]).toEqual({ role: TARGET, action: 'sts:AssumeRole', trust: '#0' });
    const vendor = from(paths(scenario({ trust: trustAws(rootArn(VENDOR), { Condition: { StringEquals: { 'sts:ExternalId': 'vendor-123' } } }) })), { kind: 'account', id: VENDOR });
    expect(vendor?.guards).toEqual([
      { hop: 0, source: 'trust', key: 'sts:externalid', operator: 'StringEquals', values: ['vendor-123'], text: `sts:ExternalId StringEquals "vendor-123" (trust policy of ${TARGET} statement #0)` },
    ]);
  });

  it('names the boundary statement and the symbolic Deny it turned into a guard', () => {
    const p = from(paths(scenario({ callerBoundary: doc(allow('sts:*')), caller: [assume(TARGET), doc({ Sid: 'NoMfaNoAssume', ...deny('sts:AssumeRole', '*', { Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } }) })] })), EC2);
    expect(p?.reasons[1].boundary).toBe(`arn:aws:iam::${DEV}:policy/boundary-dev-app statement #0`);
    expect(p?.guards.map((g) => [g.source, g.text])).toEqual([['identity', `not (aws:MultiFactorAuthPresent BoolIfExists "false") (Deny in identity policy ${CALLER}#inline/p1 statement NoMfaNoAssume)`]]);
  });
});

describe('access-path semantics: planted path and one-fact decoy', () => {
  it.each(FAMILIES)('$name', (f) => {
    const entry = f.entry ?? EC2;
    const planted = from(paths(f.planted), entry);
    expect(planted, 'planted path').toBeDefined();
    expect(planted?.hops[planted.hops.length - 1]).toMatch(/:role\/prod-admin$/);
    if (f.verdict !== undefined) expect(planted?.verdict).toBe(f.verdict);
    if (f.guard !== undefined) expect(planted?.guards.map((g) => g.key)).toContain(f.guard);
    expect(from(paths(f.decoy), entry), 'decoy path').toBeUndefined();
  });
});
