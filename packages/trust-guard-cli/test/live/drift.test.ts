import { parsePathsConfig } from '@trustline/paths';
import { loadRegistry, SAMPLE_REGISTRY_FILE, type AccountEntry } from '@trustline/registry';
import { describe, expect, it } from 'vitest';
import { driftJson, liveDrift, renderDriftText, type LiveAccountIam } from '../../src/live/drift';

// liveDrift is pure: the GAAD text a scan read (here written by hand, URL-encoded as the API returns it) in,
// the declared-vs-live report out. The moto round trip is packages/integration-tests/test/scan-drift.test.ts.

const registry = loadRegistry(SAMPLE_REGISTRY_FILE);
const account = (key: string) => registry.accounts.find((a) => a.key === key) as AccountEntry;
const HUB = 'arn:aws:iam::012345678901:role/trustline-hub';
const CI = 'arn:aws:iam::012345678901:role/ci/github-actions-deploy';
const DEV_DEPLOY = 'arn:aws:iam::111111111111:role/trustline-deploy';
const TEST_DEPLOY = 'arn:aws:iam::222222222222:role/trustline-deploy';
const INTRUDER = 'arn:aws:iam::222222222222:role/ops-intruder';
const KEY = `path-undeclared[${INTRUDER}->${DEV_DEPLOY}]`;

const encoded = (doc: unknown) => encodeURIComponent(JSON.stringify(doc));
const trustOf = (...principals: string[]) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principals }, Action: 'sts:AssumeRole' }] });
const role = (arn: string, trust: unknown, inline: { PolicyName: string; PolicyDocument: string }[] = []) => ({
  RoleName: arn.replace(/^.*:role\//, ''),
  Arn: arn,
  Path: '/',
  AssumeRolePolicyDocument: encoded(trust),
  RolePolicyList: inline,
  AttachedManagedPolicies: [],
  Tags: [],
});
const gaad = (...roles: unknown[]) => JSON.stringify({ UserDetailList: [], GroupDetailList: [], RoleDetailList: roles, Policies: [] });
const read = (key: string, ...roles: unknown[]): LiveAccountIam => ({ account: account(key), source: `account ${key} (${account(key).accountId})`, gaad: gaad(...roles) });

/** dev's deploy role trusts its two declared principals and, undeclared, a role of the test account that may assume it. */
const withIntruder = (devInline: { PolicyName: string; PolicyDocument: string }[] = []) => [
  read('dev', role(DEV_DEPLOY, trustOf(HUB, CI, INTRUDER), devInline)),
  read('test', role(TEST_DEPLOY, trustOf(HUB)), role(INTRUDER, trustOf(TEST_DEPLOY), [{ PolicyName: 'assume-dev', PolicyDocument: encoded({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: DEV_DEPLOY }] }) }])),
];

const base = { registry, registryFile: 'accounts.json', scanned: [account('dev'), account('test')], failed: [], config: parsePathsConfig(undefined) };

describe('liveDrift: scan --live, declared vs live', () => {
  it('an undeclared edge into a deploy role fails it; the unread identity account and the unscanned prod are unreadable, so the hub is "unknown", never dropped', () => {
    const d = liveDrift({ ...base, read: withIntruder() });
    expect(d.failed).toBe(true);
    expect(d.faults).toEqual([]);
    expect(d.report.judgement.findings.map((f) => [f.ruleId, f.severity, f.key])).toEqual([['path-undeclared', 'mandatory', KEY]]);
    expect(d.notRead.map((n) => [n.name, n.accountId])).toEqual([
      ['identity', '012345678901'],
      ['prod', '333333333333'],
    ]);
    // Only the scanned accounts' deploy roles are compared.
    expect(d.report.deployRoles?.map((r) => [r.account, r.inSnapshot, r.edges.map((e) => [e.caller, e.declared, e.verdict])])).toEqual([
      ['dev', true, [[CI, true, 'unknown'], [HUB, true, 'unknown'], [INTRUDER, false, 'always']]],
      ['test', true, [[HUB, true, 'unknown']]],
    ]);
    expect(d.report.header).toMatchObject({ accounts: 4, unreadable: 2 });

    const text = renderDriftText(d);
    expect(text).toContain(`    UNDECLARED ${INTRUDER}`);
    expect(text).toContain('Snapshot: organization not read (scan --live makes no Organizations calls');
    expect(text.trimEnd().split('\n').pop()).toBe('trust-guard scan --live, declared vs live, FAILED: 1 mandatory finding, 0 advisory, 0 exempted (2 targets, 3 paths, 0 input problems).');
    const json = driftJson(d);
    expect(json).toMatchObject({ organizationRead: false, summary: { mandatory: 1, problems: 0, passed: false } });
    expect(json.notRead.map((n) => n.accountId)).toEqual(['012345678901', '333333333333']);
  });

  it('without the undeclared principal in the trust, the same accounts pass', () => {
    const d = liveDrift({ ...base, read: [read('dev', role(DEV_DEPLOY, trustOf(HUB, CI))), withIntruder()[1]] });
    expect(d.failed).toBe(false);
    expect(d.report.judgement.findings).toEqual([]);
  });

  it('an account the scan could not read is unreadable with its code: the path from it is "unknown" and still judged', () => {
    const d = liveDrift({ ...base, read: [withIntruder()[0]], failed: [{ account: account('test'), source: 'account test (222222222222)', code: 'access-denied', problem: 'no.' }] });
    expect(d.report.judgement.findings.map((f) => f.key)).toEqual([KEY]);
    expect(d.report.deployRoles?.find((r) => r.account === 'dev')?.edges.find((e) => e.caller === INTRUDER)?.verdict).toBe('unknown');
    expect(d.report.deployRoles?.find((r) => r.account === 'test')?.inSnapshot).toBeUndefined();
    expect(d.report.problems).toEqual([{ file: 'account test (222222222222)', accountId: '222222222222', message: 'account test (222222222222) could not be read (access-denied); it is unreadable, and every path through it is reported as "unknown".' }]);
    // The account's failure is the scan's error, not a fault of what it read.
    expect(d.faults).toEqual([]);
  });

  it("a document the reader cannot read is a fault named by the account's label, without a position in the scan's own JSON text", () => {
    const d = liveDrift({ ...base, read: withIntruder([{ PolicyName: 'broken', PolicyDocument: '%7B%22Statement%22%3A' }]) });
    expect(d.faults).toHaveLength(1);
    expect(d.faults[0]).toMatchObject({ file: 'account dev (111111111111)', accountId: '111111111111' });
    expect(d.faults[0].message).toMatch(/broken/);
    expect(d.faults[0]).not.toHaveProperty('line');
    expect(renderDriftText(d)).toContain('Input problems:\n  account dev (111111111111): ');
  });

  it('exemptions of the "paths" section apply, and expire against the given time', () => {
    const config = parsePathsConfig({ exemptions: [{ ruleId: 'path-undeclared', findingKey: KEY, reason: 'Break-glass role, reviewed in change 4711.', expires: '2030-01-01' }] });
    const before = liveDrift({ ...base, read: withIntruder(), config, now: new Date('2029-06-01T00:00:00Z') });
    expect(before.failed).toBe(false);
    expect(before.report.judgement.exempted.map((e) => e.finding.key)).toEqual([KEY]);
    const after = liveDrift({ ...base, read: withIntruder(), config, now: new Date('2030-06-01T00:00:00Z') });
    expect(after.failed).toBe(true);
    expect(after.report.judgement.expired.map((e) => e.finding.key)).toEqual([KEY]);
  });
});
