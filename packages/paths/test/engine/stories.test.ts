import { describe, expect, it } from 'vitest';
import { buildAccessGraph, privilegedRoles, whatCanReach, whoCanReach, type OrgSnapshot } from '../../src';
import {
  ADMIN,
  DEV,
  HUB,
  MGMT,
  ORG_ID,
  PROD,
  ROOT,
  SANDBOX,
  TEST,
  VENDOR,
  allow,
  assume,
  deny,
  doc,
  roleArn,
  snapshot,
  trustAws,
  trustService,
  trusts,
} from './builder';

/** The issue's organization: identity account with the hub, dev, test, prod, a sandbox, an SCP-quarantined account. */
const QUARANTINE = '666666666666';
const ADMIN_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const HUB_ROLE = roleArn(HUB, 'trustline-hub');
const WORKLOAD = roleArn(DEV, 'ec2-workload');
const deployRole = (account: string): string => roleArn(account, 'trustline-deploy');

function issueOrganization(): OrgSnapshot {
  const decoys = {
    noAllow: roleArn(DEV, 'reporting'),
    denied: roleArn(DEV, 'denied'),
    bounded: roleArn(DEV, 'bounded'),
    quarantined: roleArn(QUARANTINE, 'q-app'),
  };
  const b = snapshot()
    .organization({ 'ou-workloads': ROOT, 'ou-prod': ROOT, 'ou-quarantine': ROOT, 'ou-sandbox': ROOT })
    .member(MGMT)
    .member(HUB)
    .member(DEV, 'ou-workloads')
    .member(TEST, 'ou-workloads')
    .member(PROD, 'ou-prod')
    .member(SANDBOX, 'ou-sandbox')
    .member(QUARANTINE, 'ou-quarantine')
    .account(MGMT)
    .fullAccess('scp')
    .scp(['ou-quarantine'], doc(deny('*')), 'quarantine')
    .fullAccess('rcp')
    .rcp(['ou-prod'], doc(deny('sts:AssumeRole', '*', { Principal: '*', Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': ORG_ID }, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } } })), 'org-only')
    // The hub: trusts the dev workload (a named role ARN in a registry account) and the decoys, may assume every deploy role.
    .role(HUB, 'trustline-hub', { trust: trustAws([WORKLOAD, ...Object.values(decoys)]), policies: [assume('arn:aws:iam::*:role/trustline-deploy')] })
    .role(DEV, 'ec2-workload', { trust: trustService('ec2.amazonaws.com'), policies: [assume(HUB_ROLE)] })
    .role(DEV, 'reporting', { trust: trustService('lambda.amazonaws.com'), policies: [doc(allow('s3:GetObject'))] })
    .role(DEV, 'denied', { trust: trustService('ecs-tasks.amazonaws.com'), policies: [assume(HUB_ROLE), doc(deny('sts:AssumeRole', HUB_ROLE))] })
    .role(DEV, 'bounded', { trust: trustService('codebuild.amazonaws.com'), policies: [assume(HUB_ROLE)], boundary: doc(allow('s3:*')) })
    .role(QUARANTINE, 'q-app', { trust: trustService('batch.amazonaws.com'), policies: [assume(HUB_ROLE)] })
    .role(PROD, 'vendor-audit', { trust: trustAws(`arn:aws:iam::${VENDOR}:root`, { Condition: { StringEquals: { 'sts:ExternalId': 'audit-42' } } }), policies: [doc(allow('s3:List*'))] })
    .role(PROD, 'partner', { trust: doc(trusts('*', { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-partner0000' } } })), managed: { [ADMIN_ARN]: ADMIN } });
  for (const account of [DEV, TEST, PROD, SANDBOX]) b.role(account, 'trustline-deploy', { trust: trustAws(HUB_ROLE), managed: { [ADMIN_ARN]: ADMIN } });
  return b.build();
}

describe('the issue: a dev EC2 workload reaches prod AdministratorAccess through the hub', () => {
  const graph = buildAccessGraph(issueOrganization());
  const paths = whoCanReach(graph, deployRole(PROD));

  it('finds the dev-to-prod chain, hop by hop, with the statements that allow each hop', () => {
    const p = paths.find((x) => x.from.kind === 'service' && x.from.id === 'ec2.amazonaws.com');
    expect(p?.hops).toEqual([WORKLOAD, HUB_ROLE, deployRole(PROD)]);
    expect(p?.verdict).toBe('always');
    expect(p?.reasons.map((r) => [r.role, r.trust, r.identity])).toEqual([
      [WORKLOAD, '#0', undefined],
      [HUB_ROLE, '#0', `${WORKLOAD}#inline/p0 statement #0`],
      [deployRole(PROD), '#0', `${HUB_ROLE}#inline/p0 statement #0`],
    ]);
    // The organization's levels that let the last hop through: SCPs of the hub's path, RCPs of prod's.
    expect(p?.reasons[2].scp).toEqual([`SCP FullAWSAccess statement #0 at ${ROOT}`, `SCP FullAWSAccess statement #0 at ${HUB}`]);
    expect(p?.reasons[2].rcp).toEqual([ROOT, 'ou-prod', PROD].map((level) => `RCP RCPFullAWSAccess statement #0 at ${level}`));
    expect(p?.notes).toEqual([
      `hop 1 (${HUB_ROLE}): role chaining: a session assumed with another role session lasts at most one hour`,
      `hop 2 (${deployRole(PROD)}): role chaining: a session assumed with another role session lasts at most one hour`,
    ]);
  });

  it('rejects every decoy: no identity allow, explicit Deny, boundary without sts, SCP on the caller OU', () => {
    const starts = paths.map((p) => p.from.id).sort();
    expect(starts).toEqual(['ec2.amazonaws.com']);
    for (const id of ['lambda.amazonaws.com', 'ecs-tasks.amazonaws.com', 'codebuild.amazonaws.com', 'batch.amazonaws.com']) {
      expect(whatCanReach(graph, { kind: 'service', id })).toHaveLength(1);
    }
  });

  it('the vendor trust in prod is blocked by the RCP, the partner trust by its organization id', () => {
    expect(whoCanReach(graph, roleArn(PROD, 'vendor-audit'))).toEqual([]);
    expect(whoCanReach(graph, roleArn(PROD, 'partner'))).toEqual([]);
  });

  it('reaches every deploy role from the workload, and names the privileged roles', () => {
    const reached = whatCanReach(graph, { kind: 'role', id: WORKLOAD }).map((p) => p.hops[p.hops.length - 1]);
    expect(reached.sort()).toEqual([HUB_ROLE, ...[DEV, TEST, PROD, SANDBOX].map(deployRole)].sort());
    expect(privilegedRoles(graph)).toEqual([...[DEV, TEST, PROD, SANDBOX].map(deployRole), roleArn(PROD, 'partner')].sort().map((arn) => ({ arn, why: 'allows *' })));
  });

  it('parses the AWS-managed policy once for all accounts', () => {
    // AdministratorAccess (1), trust policies and identity policies: the four deploy roles share one trust document.
    const snap = issueOrganization();
    const distinct = new Set<string>();
    for (const a of snap.accounts) {
      for (const r of a.roles) {
        distinct.add(JSON.stringify(r.trustPolicy));
        for (const p of r.inlinePolicies) distinct.add(JSON.stringify(p.document));
      }
      for (const d of a.managedPolicies.values()) distinct.add(JSON.stringify(d));
    }
    for (const p of snap.organization?.policies ?? []) distinct.add(JSON.stringify(p.content));
    expect(graph.stats.documents).toBe(distinct.size);
  });
});

describe('the issue: a six-hop chain from a dev role with NotAction iam:* into prod', () => {
  const NOT_IAM = doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' });
  const chain = [roleArn(DEV, 'c0'), roleArn(TEST, 'c1'), roleArn(SANDBOX, 'c2'), roleArn(DEV, 'c3'), roleArn(SANDBOX, 'c4'), roleArn(TEST, 'c5'), roleArn(PROD, 'c6')];
  const build = (brokenAt?: number): OrgSnapshot => {
    const b = snapshot().organization({ 'ou-workloads': ROOT }).member(DEV, 'ou-workloads').member(TEST, 'ou-workloads').member(SANDBOX).member(PROD).member(MGMT);
    chain.forEach((arn, k) => {
      const [, , , , account, res] = arn.split(':');
      const name = res.slice('role/'.length);
      const trust = k === 0 ? trustService('ec2.amazonaws.com') : trustAws(k === brokenAt ? roleArn(account, 'nobody') : chain[k - 1]);
      b.role(account, name, { trust, policies: [k === chain.length - 1 ? ADMIN : NOT_IAM] });
    });
    return b.build();
  };

  it('is found with every hop, and only within the hop bound', () => {
    const graph = buildAccessGraph(build());
    const [p] = whoCanReach(graph, chain[6]);
    expect(p.from).toEqual({ kind: 'service', id: 'ec2.amazonaws.com' });
    expect(p.hops).toEqual(chain);
    expect(p.verdict).toBe('always');
    expect(whoCanReach(graph, chain[6], { maxHops: 6 }).map((x) => x.from)).toEqual([]);
    expect(whatCanReach(graph, { kind: 'role', id: chain[0] }).find((x) => x.hops[x.hops.length - 1] === chain[6])?.hops).toHaveLength(6);
  });

  it('a break in any one hop removes it', () => {
    for (let k = 1; k < chain.length; k++) expect(whoCanReach(buildAccessGraph(build(k)), chain[6]).filter((p) => p.from.kind === 'service'), `broken at hop ${k}`).toEqual([]);
  });
});
