import { describe, expect, it } from 'vitest';
import { DRIFT_RULE_IDS, buildAccessGraph, driftReport, edgesInto, findCycles, judgePaths, parsePathsConfig, requiresExternalId, whoCanReach, type Declared, type PathGuard } from '../src';
import { HUB, PROD, VENDOR, allow, assume, doc, roleArn, rootArn, snapshot, trustAws, trustService, trusts, type Statement } from './engine/builder';

/**
 * Declared vs actual on small snapshots: each decoy differs from its case in one fact (an ExternalId
 * present or missing, a declared principal present or absent, one trust statement).
 */
const HUB_ROLE = roleArn(HUB, 'hub');
const DEPLOY = roleArn(PROD, 'deploy');
const OPS = roleArn(PROD, 'ops');
const EXT = 'trustline-prod-7f3a';
const withExternalId = (value: string, operator = 'StringEquals'): Statement => ({ Condition: { [operator]: { 'sts:ExternalId': value } } });

const declaredWith = (over: { trustedPrincipals?: string[]; externalId?: string | undefined } = {}): Declared => ({
  identity: { key: 'identity', accountId: HUB, hubRoleArn: HUB_ROLE },
  accounts: [{ key: 'prod', accountId: PROD, environment: 'prod', deployRoleArn: DEPLOY, trustedPrincipals: over.trustedPrincipals ?? [HUB_ROLE], ...('externalId' in over ? (over.externalId === undefined ? {} : { externalId: over.externalId }) : { externalId: EXT }) }],
  externalAccounts: [{ accountId: VENDOR, name: 'vendor' }],
});

/** CI (an EC2 role in the identity account) -> hub -> prod deploy; the deploy role's trust is the variable. */
function org(deployTrust: ReturnType<typeof doc>, extra?: (b: ReturnType<typeof snapshot>) => void) {
  const b = snapshot()
    .role(HUB, 'ci', { trust: trustService('ec2.amazonaws.com'), policies: [assume(HUB_ROLE)] })
    .role(HUB, 'hub', { trust: trustAws(roleArn(HUB, 'ci')), policies: [assume(DEPLOY, OPS)] })
    .role(PROD, 'deploy', { trust: deployTrust, policies: [doc(allow('*'))] });
  extra?.(b);
  return b.build();
}
const keys = (r: { findings: readonly { key: string }[] }) => r.findings.map((f) => f.key);

describe('driftReport: declared vs actual, both ways', () => {
  it('the declared chain with the declared ExternalId: no drift', () => {
    const r = driftReport(org(trustAws(HUB_ROLE, withExternalId(EXT))), declaredWith());
    expect(keys(r)).toEqual([]);
    expect(r.deployRoles).toEqual([
      {
        account: 'prod',
        deployRoleArn: DEPLOY,
        inSnapshot: true,
        declaredPrincipals: [HUB_ROLE],
        externalId: EXT,
        edges: [{ caller: HUB_ROLE, declared: true, verdict: 'conditional', guards: [expect.objectContaining({ hop: 0, source: 'trust', key: 'sts:externalid', values: [EXT] })] }],
      },
    ]);
  });

  it.each([
    ['missing', trustAws(HUB_ROLE), 'no sts:ExternalId condition'],
    ['another value', trustAws(HUB_ROLE, withExternalId('something-else')), 'something-else'],
    ['a pattern', trustAws(HUB_ROLE, withExternalId('trustline-*', 'StringLike')), 'StringLike'],
    ['only if present', trustAws(HUB_ROLE, withExternalId(EXT, 'StringEqualsIfExists')), 'StringEqualsIfExists'],
  ])('a declared ExternalId that the trust policy does not require (%s): path-guard-weaker on the edge', (_name, trust, shownActual) => {
    const r = driftReport(org(trust), declaredWith());
    expect(keys(r)).toEqual([`path-guard-weaker[${HUB_ROLE}->${DEPLOY}]`]);
    expect(r.findings[0]).toMatchObject({ severity: 'mandatory', target: DEPLOY });
    expect(r.findings[0].message).toContain(`requires sts:ExternalId "${EXT}", but ${HUB_ROLE} assumes it with `);
    expect(r.findings[0].message).toContain(shownActual);
    expect(r.findings[0].fix).toBe(`Add Condition StringEquals sts:ExternalId "${EXT}" to the statement of the trust policy of ${DEPLOY} that admits ${HUB_ROLE} (the access project writes it from accounts.json), or remove externalId from accounts["prod"] if the account no longer needs it.`);
  });

  it('a Deny unless the declared ExternalId requires it too; a Deny unless another value does not', () => {
    const denyUnless = (value: string) => doc(trusts({ AWS: HUB_ROLE }), { Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole', Condition: { StringNotEquals: { 'sts:ExternalId': value } } });
    expect(keys(driftReport(org(denyUnless(EXT)), declaredWith()))).toEqual([]);
    expect(keys(driftReport(org(denyUnless('something-else')), declaredWith()))).toEqual([`path-guard-weaker[${HUB_ROLE}->${DEPLOY}]`]);
  });

  it('a second trust statement without the ExternalId opens the edge without it: weaker', () => {
    const r = driftReport(org(doc(trusts({ AWS: HUB_ROLE }, withExternalId(EXT)), trusts({ AWS: HUB_ROLE }))), declaredWith());
    expect(keys(r)).toEqual([`path-guard-weaker[${HUB_ROLE}->${DEPLOY}]`]);
  });

  it('no ExternalId declared: an edge without one is not weaker', () => {
    expect(keys(driftReport(org(trustAws(HUB_ROLE)), declaredWith({ externalId: undefined })))).toEqual([]);
  });

  it('a declared principal absent from the snapshot: path-declared-dead; present and trusted: nothing', () => {
    const gone = roleArn(HUB, 'release');
    const trust = trustAws([HUB_ROLE, gone], withExternalId(EXT));
    const declared = declaredWith({ trustedPrincipals: [HUB_ROLE, gone] });
    expect(keys(driftReport(org(trust), declared))).toEqual([`path-declared-dead[${gone}->${DEPLOY}]`]);
    // The decoy: the same, with the role present (and allowed to assume the deploy role).
    const present = org(trust, (b) => b.role(HUB, 'release', { trust: trustService('ec2.amazonaws.com'), policies: [assume(DEPLOY)] }));
    expect(keys(driftReport(present, declared))).toEqual([]);
  });

  it('a declared principal present but without the edge (its trust is gone): path-declared-dead', () => {
    const release = roleArn(HUB, 'release');
    const snap = org(trustAws(HUB_ROLE, withExternalId(EXT)), (b) => b.role(HUB, 'release', { trust: trustService('ec2.amazonaws.com'), policies: [assume(DEPLOY)] }));
    expect(keys(driftReport(snap, declaredWith({ trustedPrincipals: [HUB_ROLE, release] })))).toEqual([`path-declared-dead[${release}->${DEPLOY}]`]);
  });

  it('every undeclared edge is reported, also one that no shortest path passes', () => {
    // ci -> hub -> deploy is the shortest path from the only entry point; hub -> ops -> deploy is longer, so
    // the edge ops -> deploy is on no shortest path.
    const snap = org(trustAws([HUB_ROLE, OPS], withExternalId(EXT)), (b) => b.role(PROD, 'ops', { trust: trustAws(HUB_ROLE), policies: [assume(DEPLOY)] }));
    const r = driftReport(snap, declaredWith());
    expect(keys(r)).toEqual([`path-undeclared[${OPS}->${DEPLOY}]`]);
    expect(r.findings[0].message).toMatch(new RegExp(`^role ${OPS} -> ${DEPLOY}: the deploy role of account prod is assumed by ${OPS}, which the registry does not declare`));
    expect(r.deployRoles[0].edges.map((e) => [e.caller, e.declared])).toEqual([
      [OPS, false],
      [HUB_ROLE, true],
    ]);
    // Judged on paths alone (no edgesInto), the same edge is missed: the edges are what make it seen.
    const graph = buildAccessGraph(snap);
    const onPaths = judgePaths({ snapshot: snap, declared: declaredWith(), targets: [{ target: DEPLOY, why: 'deploy role of account prod', paths: whoCanReach(graph, DEPLOY) }], cycles: findCycles(graph), canAssume: () => true });
    expect(keys(onPaths).filter((k) => k.startsWith('path-undeclared'))).toEqual([]);
    expect(edgesInto(graph, DEPLOY).map((p) => [p.from.id, p.hops])).toEqual([
      [OPS, [DEPLOY]],
      [HUB_ROLE, [DEPLOY]],
    ]);
  });

  it('both ways in one snapshot: an undeclared account edge without the ExternalId, and a dead declared principal', () => {
    const gone = roleArn(HUB, 'gone');
    const snap = org(doc(trusts({ AWS: HUB_ROLE }, withExternalId(EXT)), trusts({ AWS: rootArn(VENDOR) })));
    const r = driftReport(snap, declaredWith({ trustedPrincipals: [HUB_ROLE, gone] }));
    expect(keys(r)).toEqual([`path-undeclared[${rootArn(VENDOR)}->${DEPLOY}]`, `path-guard-weaker[${rootArn(VENDOR)}->${DEPLOY}]`, `path-declared-dead[${gone}->${DEPLOY}]`]);
    expect(new Set(r.findings.map((f) => f.ruleId))).toEqual(new Set(DRIFT_RULE_IDS));
  });

  it('runs only the drift rules, with the levels and exemptions of the "paths" config', () => {
    const snap = org(trustAws(HUB_ROLE));
    const key = `path-guard-weaker[${HUB_ROLE}->${DEPLOY}]`;
    const config = parsePathsConfig({ rules: { 'path-guard-weaker': 'advisory' }, exemptions: [{ ruleId: 'path-guard-weaker', findingKey: key, reason: 'Vendor migration, ExternalId added next week.', expires: '2030-01-01' }] });
    const before = driftReport(snap, declaredWith(), { config, now: new Date('2029-06-01T00:00:00Z') });
    expect(before.findings).toEqual([]);
    expect(before.exempted.map((e) => [e.finding.key, e.finding.severity])).toEqual([[key, 'advisory']]);
    expect(keys(driftReport(snap, declaredWith(), { config, now: new Date('2030-06-01T00:00:00Z') }))).toEqual([key]);
    expect(keys(driftReport(snap, declaredWith(), { config: parsePathsConfig({ rules: { 'path-guard-weaker': 'disabled' } }) }))).toEqual([]);
  });

  it('a deploy role the snapshot lacks: dead, and not in the snapshot', () => {
    const snap = snapshot().role(HUB, 'hub', { trust: trustService('ec2.amazonaws.com') }).account(PROD).build();
    const r = driftReport(snap, declaredWith());
    expect(keys(r)).toEqual([`path-declared-dead[${DEPLOY}]`]);
    expect(r.deployRoles[0]).toMatchObject({ inSnapshot: false, edges: [] });
  });
});

describe('requiresExternalId', () => {
  const g = (over: Partial<PathGuard>): PathGuard => ({ hop: 0, source: 'trust', key: 'sts:externalid', operator: 'StringEquals', values: [EXT], text: '', ...over });
  it.each<[string, PathGuard, boolean]>([
    ['StringEquals the value', g({}), true],
    ['a Deny unless StringNotEquals the value', g({ operator: 'Not(StringNotEquals)' }), true],
    ['StringEquals two values', g({ values: [EXT, 'other'] }), false],
    ['StringLike', g({ operator: 'StringLike' }), false],
    ['StringEqualsIgnoreCase', g({ operator: 'StringEqualsIgnoreCase' }), false],
    ['another key', g({ key: 'sts:sourceidentity' }), false],
    ['an engine marker', g({ source: 'engine' }), false],
  ])('%s: %s', (_name, guard, expected) => {
    expect(requiresExternalId([guard], EXT)).toBe(expected);
  });
});
