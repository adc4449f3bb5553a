// applyExemptions: by finding key and resource, with expiry; expired exemptions are reported.
import { describe, expect, it } from 'vitest';
import { analyzeTrustPolicy, applyExemptions, expiredExemptionNote, type Exemption, type Finding } from '../src';
import { CONFIG, HUB, allow, policy } from './fixtures';

describe('applyExemptions', () => {
  const root = analyzeTrustPolicy(policy(allow({ AWS: ['111111111111', 'arn:aws:iam::222222222222:root'] })), CONFIG);
  const urn = 'urn:pulumi:dev::account-dev::aws:iam/role:Role::legacy-role';
  const REASON = 'Legacy role, replaced in Q3 by the hub.';
  const keyed: Exemption = { ruleId: 'trust-account-root', findingKey: 'trust-account-root[Principal::AWS::111111111111]', reason: REASON };
  const keys = (fs: readonly Finding[]) => fs.map((f) => f.key);

  it('exempts exactly the finding its key names', () => {
    const r = applyExemptions(root, { urn }, { exemptions: [keyed] });
    expect(keys(r.findings)).toEqual(['trust-account-root[Principal::AWS::arn:aws:iam::222222222222:root]']);
    expect(r.exempted).toEqual([{ finding: root[0], exemption: keyed }]);
  });

  it('matches a resource by URN and by logical name, and requires both when both are given', () => {
    const byUrn: Exemption = { ruleId: 'trust-account-root', resource: urn, reason: REASON };
    const byName: Exemption = { ruleId: 'trust-account-root', resource: 'legacy-role', reason: REASON };
    expect(applyExemptions(root, { urn, name: 'legacy-role' }, { exemptions: [byUrn] }).findings).toEqual([]);
    expect(applyExemptions(root, { name: 'legacy-role' }, { exemptions: [byName] }).findings).toEqual([]);
    expect(applyExemptions(root, { name: 'other-role' }, { exemptions: [byName] }).findings).toEqual(root);
    expect(keys(applyExemptions(root, { name: 'other-role' }, { exemptions: [{ ...keyed, resource: 'legacy-role' }] }).findings)).toEqual(keys(root));
  });

  it('does not exempt another rule', () => {
    expect(applyExemptions(root, { name: 'legacy-role' }, { exemptions: [{ ruleId: 'trust-untrusted-account', resource: 'legacy-role', reason: REASON }] }).findings).toEqual(root);
  });

  it('applies through the expiry day (UTC) and not after', () => {
    const e: Exemption = { ...keyed, expires: '2030-01-31' };
    expect(applyExemptions(root, {}, { exemptions: [e] }, new Date('2030-01-31T23:59:59Z')).exempted).toHaveLength(1);
    expect(applyExemptions(root, {}, { exemptions: [e] }, new Date('2030-02-01T00:00:00Z')).exempted).toHaveLength(0);
  });

  it('never exempts "*" principals or NotPrincipal, even when a hand-made config names them', () => {
    const broad = analyzeTrustPolicy(policy(allow('*'), allow({ AWS: '*' }), { Effect: 'Allow', NotPrincipal: { AWS: HUB }, Action: 'sts:AssumeRole' }, allow({ AWS: 'arn:aws:iam::*:root' })), CONFIG);
    const exemptions: Exemption[] = [
      { ruleId: 'trust-any-principal', resource: 'r', reason: REASON },
      { ruleId: 'trust-not-principal', resource: 'r', reason: REASON },
    ];
    const r = applyExemptions(broad, { name: 'r' }, { exemptions });
    expect(keys(r.findings)).toEqual(['trust-any-principal[Principal::*]', 'trust-any-principal[Principal::AWS::*]', 'trust-not-principal[Statement::2]']);
    expect(keys(r.exempted.map((x) => x.finding))).toEqual(['trust-any-principal[Principal::AWS::arn:aws:iam::*:root]']);
  });
});

describe('expired exemptions are reported, not silently dropped', () => {
  const ROOT = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole' }] };
  const KEY = 'trust-account-root[Principal::AWS::arn:aws:iam::111111111111:root]';
  const lapsed: Exemption = { ruleId: 'trust-account-root', findingKey: KEY, reason: 'Legacy role, replaced by the hub in Q3.', expires: '2026-01-31' };
  const findings = analyzeTrustPolicy(ROOT, CONFIG);

  it('lists the finding an expired exemption no longer covers, with that exemption', () => {
    const r = applyExemptions(findings, { name: 'legacy' }, { exemptions: [lapsed] }, new Date('2026-02-01T00:00:00Z'));
    expect(r.findings.map((f) => f.key)).toEqual([KEY]);
    expect(r.exempted).toEqual([]);
    expect(r.expired).toEqual([{ finding: findings[0], exemption: lapsed }]);
  });

  it('still applies on its last day, and then lists nothing as expired', () => {
    const r = applyExemptions(findings, { name: 'legacy' }, { exemptions: [lapsed] }, new Date('2026-01-31T23:59:59Z'));
    expect([r.findings, r.expired, r.exempted.length]).toEqual([[], [], 1]);
  });

  it('an expired exemption of another resource is not reported against this one', () => {
    const r = applyExemptions(findings, { name: 'other' }, { exemptions: [{ ...lapsed, resource: 'legacy' }] }, new Date('2026-02-01T00:00:00Z'));
    expect(r.expired).toEqual([]);
  });

  it('says which exemption expired, when, and what it no longer covers', () => {
    expect(expiredExemptionNote(lapsed, KEY)).toBe(
      `The exemption of ${KEY} ("Legacy role, replaced by the hub in Q3.") expired on 2026-01-31; it no longer covers ${KEY}. Fix the finding, or renew the exemption with a new "expires" date.`,
    );
    expect(expiredExemptionNote({ ruleId: 'trust-account-root', resource: 'legacy', reason: 'Legacy role, replaced by the hub.', expires: '2026-01-31' }, KEY)).toBe(
      `The exemption of trust-account-root on resource "legacy" ("Legacy role, replaced by the hub.") expired on 2026-01-31; it no longer covers ${KEY}. Fix the finding, or renew the exemption with a new "expires" date.`,
    );
  });
});
