/**
 * The snapshot writer is the inverse of the reader: readSnapshot(snapshotFiles(s)) must give the analysis s
 * gives (the same paths into every target and the same findings), over the oracle's random organizations
 * (OUs, SCPs, RCPs, boundaries, groups, URL-encoded documents), the README's example snapshot, and a code
 * snapshot (snapshotFromCode). The offline preview's tests do the same for the sample workspace's code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyseSnapshot, parsePathsConfig, readSnapshot, snapshotFiles, snapshotFromCode, type CodeResource, type Declared, type OrgSnapshot, type SnapshotFile } from '../src';
import { accountIdOf, buildSnapshot, orgSpec, roleArnOf } from './oracle/generate';

const config = parsePathsConfig(undefined);

/** Reads the written files back as `trust-guard paths` gathers a folder: organization.json, then `<accountId>.json`. */
function roundTrip(snapshot: OrgSnapshot) {
  const files = snapshotFiles(snapshot);
  const asInput = (f: { name: string; text: string }): SnapshotFile => ({ name: f.name, bytes: f.text });
  const organization = files.find((f) => f.name === 'organization.json');
  return readSnapshot({ ...(organization !== undefined && { organization: asInput(organization) }), accounts: files.filter((f) => f !== organization).map(asInput) });
}

/** What a report shows: every target's paths (with guards and reasons) and every finding, as plain data. */
function analysis(snapshot: OrgSnapshot, declared: Declared) {
  const a = analyseSnapshot(snapshot, declared, config, { maxHops: 8, all: false });
  if (!a.ok) throw new Error(a.problems.join('\n'));
  return JSON.parse(JSON.stringify({ targets: a.targets, findings: a.judgement.findings }));
}

/** Declared facts over a generated organization: account 0 is the identity account, role 0 of it the hub, role 0 of each other account its deploy role. */
function declaredFor(spec: Parameters<typeof buildSnapshot>[0]): Declared {
  const hub = spec.accounts[0].roles.length > 0 ? roleArnOf(spec, 0, 0) : undefined;
  return {
    identity: { key: 'identity', accountId: accountIdOf(0), ...(hub !== undefined && { hubRoleArn: hub }) },
    accounts: spec.accounts.flatMap((a, i) =>
      i === 0 || a.roles.length === 0 ? [] : [{ key: `account${i}`, accountId: accountIdOf(i), environment: i % 2 === 0 ? 'prod' : 'dev', deployRoleArn: roleArnOf(spec, i, 0), trustedPrincipals: hub !== undefined ? [hub] : [] }],
    ),
    externalAccounts: [],
  };
}

describe('snapshotFiles: an organization snapshot as the files trust-guard paths reads', () => {
  it('round-trips the oracle organizations: the same paths and findings, and no problem reading the files back', () => {
    let paths = 0;
    fc.assert(
      fc.property(orgSpec, (spec) => {
        const snapshot = buildSnapshot(spec);
        const declared = declaredFor(spec);
        const read = roundTrip(snapshot);
        expect(read.problems).toEqual([]);
        const before = analysis(snapshot, declared);
        expect(analysis(read.snapshot, declared)).toEqual(before);
        paths += before.targets.reduce((n: number, t: { paths: unknown[] }) => n + t.paths.length, 0);
      }),
      { seed: 20261208, numRuns: 40 },
    );
    // The property says something only if the organizations have paths to compare.
    expect(paths).toBeGreaterThan(40);
  });

  it('round-trips the README example snapshot (read from its folder, written, read again)', () => {
    const dir = path.join(__dirname, '../../../examples/org-snapshot');
    const names = fs.readdirSync(dir).filter((n) => /^\d{12}\.json$/.test(n));
    const original = readSnapshot({ organization: { name: 'organization.json', bytes: fs.readFileSync(path.join(dir, 'organization.json')) }, accounts: names.map((n) => ({ name: n, bytes: fs.readFileSync(path.join(dir, n)) })) });
    const declared: Declared = {
      identity: { key: 'identity', accountId: '012345678901', hubRoleArn: 'arn:aws:iam::012345678901:role/trustline-hub' },
      accounts: [
        { key: 'dev', accountId: '111111111111', environment: 'dev', deployRoleArn: 'arn:aws:iam::111111111111:role/trustline-deploy', trustedPrincipals: ['arn:aws:iam::012345678901:role/trustline-hub'] },
        { key: 'prod', accountId: '333333333333', environment: 'prod', deployRoleArn: 'arn:aws:iam::333333333333:role/trustline-deploy', trustedPrincipals: ['arn:aws:iam::012345678901:role/trustline-hub'] },
      ],
      externalAccounts: [],
    };
    const read = roundTrip(original.snapshot);
    expect(read.problems).toEqual(original.problems);
    const before = analysis(original.snapshot, declared);
    expect(before.findings.map((f: { ruleId: string }) => f.ruleId)).toContain('path-cross-environment');
    expect(analysis(read.snapshot, declared)).toEqual(before);
  });

  it('round-trips a code snapshot: a dev role trusting the prod deploy role, the hub as the registry declares it, attachments by URN', () => {
    const HUB = 'arn:aws:iam::012345678901:role/trustline-hub';
    const declared: Declared = {
      identity: { key: 'identity', accountId: '012345678901', hubRoleArn: HUB },
      accounts: [
        { key: 'dev', accountId: '111111111111', environment: 'dev', deployRoleArn: 'arn:aws:iam::111111111111:role/trustline-deploy', trustedPrincipals: [HUB] },
        { key: 'prod', accountId: '333333333333', environment: 'prod', deployRoleArn: 'arn:aws:iam::333333333333:role/trustline-deploy', trustedPrincipals: [HUB] },
      ],
      externalAccounts: [],
    };
    const trust = (principal: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }] });
    const role = (stack: string, account: string, name: string, principal: string, rolePath = '/'): CodeResource[] => {
      const urn = `urn:pulumi:${stack}::${stack}::aws:iam/role:Role::${name}`;
      return [
        { type: 'aws:iam/role:Role', urn, name, inputs: { name, path: rolePath, assumeRolePolicy: trust(principal), tags: { team: 'platform' } }, account },
        { type: 'aws:iam/rolePolicyAttachment:RolePolicyAttachment', urn: `${urn}-admin`, name: `${name}-admin`, inputs: { role: name, policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }, propertyDependencies: { role: [urn] }, account },
      ];
    };
    const records = [
      ...role('identity', '111111111111', 'trustline-deploy', HUB),
      ...role('identity', '333333333333', 'trustline-deploy', HUB),
      ...role('dev', '111111111111', 'dev-admin', 'arn:aws:iam::333333333333:role/trustline-deploy', '/ops/'),
    ];
    const { snapshot } = snapshotFromCode(records, declared);
    const read = roundTrip(snapshot);
    expect(read.problems).toEqual([]);
    const before = analysis(snapshot, declared);
    expect(before.findings.map((f: { ruleId: string }) => f.ruleId)).toContain('path-cross-environment');
    expect(analysis(read.snapshot, declared)).toEqual(before);
    // The role the registry declares (not the code) keeps its tag, so a reader of the folder can tell it apart.
    expect(JSON.parse(snapshotFiles(snapshot).find((f) => f.name === '012345678901.json')?.text ?? '{}').RoleDetailList[0].Tags).toEqual([{ Key: 'trustline:declared-by', Value: 'accounts.json' }]);
  });

  it('leaves out the file of an unreadable account of the organization, so it reads back unreadable; refuses one the organization does not list', () => {
    const spec = fc.sample(orgSpec, { seed: 7, numRuns: 1 })[0];
    const snapshot = buildSnapshot(spec);
    const lost = { ...snapshot.accounts[0], status: 'unreadable' as const, reason: 'access-denied', roles: [], users: [], groups: [], managedPolicies: new Map() };
    const withUnreadable: OrgSnapshot = { ...snapshot, accounts: [lost, ...snapshot.accounts.slice(1)] };
    expect(snapshotFiles(withUnreadable).map((f) => f.name)).not.toContain(`${accountIdOf(0)}.json`);
    expect(roundTrip(withUnreadable).snapshot.accounts.find((a) => a.accountId === accountIdOf(0))?.status).toBe('unreadable');
    expect(() => snapshotFiles({ accounts: [lost] })).toThrow(`account ${accountIdOf(0)} is unreadable but not in the snapshot's organization`);
  });
});
