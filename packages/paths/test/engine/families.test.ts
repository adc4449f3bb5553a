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
    .role(PROD, 'prod-admin', { trust: s.trust ?? trustAws(callerArn), policies: [ADMIN] });
  s.org?.(b);
  return b.build();
}

const paths = (snap: OrgSnapshot, target = TARGET, maxHops?: number): AccessPath[] => whoCanReach(buildAccessGraph(snap), target, maxHops === undefined ? {} : { maxHops });
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
    name: 'an unreadable account of the organization is unknown, not dropped',
    planted: scenario({ trust: trustAws(rootArn(HUB)), org: (b) => b.unreadable(HUB) }),
    decoy: scenario({ trust: trustAws(rootArn(HUB)), org: (b) => b.account(HUB) }),
    entry: { kind: 'account', id: HUB },
    verdict: 'unknown',
    guard: 'unknown:account-unreadable',
  },
  {
    name: 'S2 grey zone: same-account trust names the caller, no identity allow',
    planted: scenario({ callerAccount: PROD, caller: [], trust: trustAws(roleArn(PROD, 'dev-app')) }),
    decoy: scenario({ callerAccount: PROD, caller: [], trust: trustAws(rootArn(PROD)) }),
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

describe('access-path semantics: planted path and one-fact decoy', () => {
  it.each(FAMILIES)('$name', (f) => {
    const entry = f.entry ?? EC2;
    const planted = from(paths(f.planted), entry);
    expect(planted, 'planted path').toBeDefined();
    expect(planted?.hops[planted.hops.length - 1]).toBe(TARGET);
    if (f.verdict !== undefined) expect(planted?.verdict).toBe(f.verdict);
    if (f.guard !== undefined) expect(planted?.guards.map((g) => g.key)).toContain(f.guard);
    expect(from(paths(f.decoy), entry), 'decoy path').toBeUndefined();
  });
});
