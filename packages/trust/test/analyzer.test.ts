import { describe, expect, it } from 'vitest';
import { RULE_LIST, analyzeTrustPolicy, trustEdges, type Finding } from '../src';
import { BROAD, CONFIG, FINE, GH, HUB, ORG, allow, policy, type Case } from './fixtures';

const verdict = (fs: readonly Finding[]) => fs.map((f) => `${f.ruleId} ${f.severity} ${f.key}`).sort();

function check(c: Case) {
  const findings = analyzeTrustPolicy(c.doc, CONFIG);
  expect(verdict(findings)).toEqual([...c.expect].sort());
  if (c.message !== undefined || c.contains !== undefined) {
    const first = findings.find((f) => `${f.ruleId} ${f.severity} ${f.key}` === c.expect[0]);
    expect(first).toBeDefined();
    if (c.message !== undefined) expect(first?.message).toBe(c.message);
    for (const part of c.contains ?? []) expect(first?.message).toContain(part);
  }
}

describe('broad trust shapes are reported', () => {
  it.each(BROAD.map((c) => [c.name, c] as const))('%s', (_name, c) => check(c));
});

describe('fine trust shapes produce no finding', () => {
  it.each(FINE.map((c) => [c.name, c] as const))('%s', (_name, c) => check(c));
});

describe('every rule the analyzer emits has a compliant and a non-compliant case with an asserted message', () => {
  // Derived from the rule files: the rules whose findings analyzeTrustPolicy emits.
  const emitted = RULE_LIST.filter((r) => r.emittedBy.includes('analyzeTrustPolicy')).map((r) => r.id);
  it.each(emitted)('%s', (rule) => {
    const broad = BROAD.filter((c) => c.expect.some((e) => e.startsWith(rule + ' ')));
    expect(broad.length).toBeGreaterThan(0);
    expect(broad.some((c) => (c.message !== undefined || c.contains !== undefined) && c.expect[0].startsWith(rule + ' '))).toBe(true);
  });
});

describe('findings', () => {
  it('carry the statement index and principal of the offending statement', () => {
    const [f] = analyzeTrustPolicy(policy(allow({ AWS: HUB }), allow({ AWS: HUB }), allow({ AWS: ['444444444444'] })), CONFIG);
    expect(f).toMatchObject({ statementIndex: 2, principal: 'AWS::444444444444', key: 'trust-untrusted-account[Principal::AWS::444444444444]' });
  });

  it('follow configured enforcement: disabled drops, advisory downgrades, informational stays informational', () => {
    const config = { ...CONFIG, rules: { 'trust-account-root': 'disabled', 'trust-any-principal': 'advisory', 'trust-service-confused-deputy': 'mandatory' } as const };
    const doc = policy(allow({ AWS: ['*', '111111111111'] }), allow({ Service: ['events.amazonaws.com', 'ec2.amazonaws.com'] }));
    expect(verdict(analyzeTrustPolicy(doc, config))).toEqual([
      'trust-any-principal advisory trust-any-principal[Principal::AWS::*]',
      'trust-service-confused-deputy informational trust-service-confused-deputy[Principal::Service::ec2.amazonaws.com]',
      'trust-service-confused-deputy mandatory trust-service-confused-deputy[Principal::Service::events.amazonaws.com]',
    ]);
  });

  it('report an account outside trustedAccounts even when it is the organization management account of the sample', () => {
    const config = { ...CONFIG, trustedAccounts: ['111111111111'] };
    expect(verdict(analyzeTrustPolicy(policy(allow({ AWS: HUB })), config))).toEqual([`trust-untrusted-account mandatory trust-untrusted-account[Principal::AWS::${HUB}]`]);
  });

  it('treat a service-linked role as informational for confused deputy', () => {
    const [f] = analyzeTrustPolicy(policy(allow({ Service: 'events.amazonaws.com' })), CONFIG, { serviceLinked: true });
    expect(f.severity).toBe('informational');
  });

  it('judge a wildcard principal against an org condition when no organizationId is configured', () => {
    const { organizationId: _org, ...config } = CONFIG;
    const [f] = analyzeTrustPolicy(policy(allow({ AWS: '*' }, 'sts:AssumeRole', { StringEquals: { 'aws:PrincipalOrgID': ORG } })), config);
    expect(f.message).toContain(`no organizationId is configured to compare "${ORG}" with`);
  });
});

describe('trustEdges', () => {
  it('gives one edge per (statement, principal) with labels, actions and rules', () => {
    const doc = policy(
      allow({ AWS: [HUB, '999999999999'] }, ['sts:AssumeRole', 'sts:TagSession'], { StringEquals: { 'sts:ExternalId': 'x-123', 'aws:PrincipalOrgID': ORG }, Bool: { 'aws:MultiFactorAuthPresent': 'true' } }),
      allow({ Federated: GH }, 'sts:AssumeRoleWithWebIdentity', { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/infra:*' } }),
      allow({ AWS: '*' }, '*'),
      { Effect: 'Deny', Principal: { AWS: '444444444444' }, Action: 'sts:AssumeRole' },
    );
    expect(trustEdges(doc, CONFIG)).toEqual([
      { principal: `AWS::${HUB}`, kind: 'role', accountId: '012345678901', statementIndex: 0, actions: ['sts:AssumeRole', 'sts:TagSession'], conditions: ['ExternalId', `OrgID ${ORG}`, 'MFA'], broad: false, ruleIds: [] },
      { principal: 'AWS::999999999999', kind: 'account', accountId: '999999999999', statementIndex: 0, actions: ['sts:AssumeRole', 'sts:TagSession'], conditions: ['ExternalId', `OrgID ${ORG}`, 'MFA'], broad: false, ruleIds: [] },
      { principal: `Federated::${GH}`, kind: 'web-identity', accountId: '111111111111', statementIndex: 1, actions: ['sts:AssumeRoleWithWebIdentity'], conditions: ['sub repo:acme/infra:*'], broad: false, ruleIds: [] },
      {
        principal: 'AWS::*',
        kind: 'any',
        statementIndex: 2,
        actions: ['sts:AssumeRole', 'sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithSAML', 'sts:TagSession', 'sts:SetSourceIdentity', 'sts:SetContext'],
        conditions: [],
        broad: true,
        ruleIds: ['trust-any-principal', 'trust-tag-session-broad', 'trust-wildcard-action'],
      },
    ]);
  });

  it('marks a root edge advisory-only as not broad, and NotPrincipal as one broad edge', () => {
    const edges = trustEdges(policy(allow({ AWS: '111111111111' }), { Effect: 'Allow', NotPrincipal: { AWS: HUB }, Action: 'sts:AssumeRole' }), CONFIG);
    expect(edges.map((e) => [e.principal, e.broad, e.ruleIds, e.conditions])).toEqual([
      ['AWS::111111111111', false, ['trust-account-root'], []],
      ['*', true, ['trust-not-principal'], [`except AWS::${HUB}`]],
    ]);
  });

  it('returns no edges for an unreadable document', () => {
    expect(trustEdges('{', CONFIG)).toEqual([]);
  });
});
