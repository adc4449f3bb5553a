import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreatePolicyCommand, CreateRoleCommand, DeleteRolePolicyCommand, IAMClient, PutRolePolicyCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { roleArn, type AccountRegistry } from '@trustline/registry';
import { scanCommand, type ScanDeps } from '@trustline/trust-guard-cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminIam, asAdmin, captureIO, sampleEnv, startEmulatedOrganization, type EmulatedOrganization, type MotoServer } from '../src';
import { awsError, intercept } from './intercept';

// scan --live's declared-vs-live report (issue 19, item 3) against moto: each case changes one fact of the
// emulated sample organization, plants a decoy that differs from it by one fact and must produce no finding,
// and puts the fact back afterwards.

const ROOT = path.resolve(__dirname, '../../..');
const DEV = '111111111111';
const TEST = '222222222222';
const PROD = '333333333333';
const HUB = 'arn:aws:iam::012345678901:role/trustline-hub';
const DEPLOY = 'trustline-deploy';
const deployArn = (accountId: string) => `arn:aws:iam::${accountId}:role/${DEPLOY}`;
const INTRUDER = `arn:aws:iam::${TEST}:role/ops-intruder`;
const DECOY = `arn:aws:iam::${TEST}:role/ops-decoy`;
const BOUNDARY = `arn:aws:iam::${DEV}:policy/dev-boundary`;

let moto: MotoServer;
let registry: AccountRegistry;
let org: EmulatedOrganization;

const json = (doc: unknown) => JSON.stringify(doc);
const allow = (statement: Record<string, unknown>) => json({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', ...statement }] });

beforeAll(async () => {
  ({ moto, registry, org } = await startEmulatedOrganization());
  await asAdmin(moto.endpoint, async () => {
    // Two roles in the test account that may call sts:AssumeRole on dev's deploy role; only a trust naming one
    // makes an edge. Each trusts the test account's own deploy role (a named role of ours: no trust finding).
    const test = adminIam(moto.endpoint, TEST);
    for (const name of ['ops-intruder', 'ops-decoy']) {
      await test.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: allow({ Principal: { AWS: deployArn(TEST) }, Action: 'sts:AssumeRole' }) }));
      await test.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 'assume-dev-deploy', PolicyDocument: allow({ Action: 'sts:AssumeRole', Resource: deployArn(DEV) }) }));
    }
    // A role in prod that the hub may assume without an ExternalId: the decoy of the ExternalId case (not a deploy role).
    await adminIam(moto.endpoint, PROD).send(new CreateRoleCommand({ RoleName: 'prod-reader', AssumeRolePolicyDocument: allow({ Principal: { AWS: HUB }, Action: 'sts:AssumeRole' }) }));
    // A role in dev under a permissions boundary that nothing else uses (GAAD may leave such a policy out).
    const dev = adminIam(moto.endpoint, DEV);
    await dev.send(new CreatePolicyCommand({ PolicyName: 'dev-boundary', PolicyDocument: allow({ Action: 'sts:AssumeRole', Resource: '*' }) }));
    await dev.send(new CreateRoleCommand({ RoleName: 'bounded', PermissionsBoundary: BOUNDARY, AssumeRolePolicyDocument: allow({ Principal: { AWS: deployArn(DEV) }, Action: 'sts:AssumeRole' }) }));
  });
});

afterAll(async () => {
  await moto?.stop();
});

const env = () => sampleEnv({ AWS_ACCESS_KEY_ID: org.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: org.credentials.secretAccessKey });

/** Runs `fn` with an account's deploy role trusting `trust` instead of the components' document, which is put back however `fn` ends. */
async function withDeployTrust<T>(accountId: string, trust: unknown, fn: () => Promise<T>): Promise<T> {
  const key = registry.accounts.find((a) => a.accountId === accountId)?.key as string;
  const set = (doc: unknown) => asAdmin(moto.endpoint, () => adminIam(moto.endpoint, accountId).send(new UpdateAssumeRolePolicyCommand({ RoleName: DEPLOY, PolicyDocument: json(doc) })));
  await set(trust);
  try {
    return await fn();
  } finally {
    await set(org.deployTrust.get(key));
  }
}

/** Dev's deploy trust as the components build it, plus a statement that admits the intruder (the decoy is not named). */
const devTrustWithIntruder = () => {
  const trust = org.deployTrust.get('dev') as { readonly Statement: readonly unknown[] };
  return { ...trust, Statement: [...trust.Statement, { Sid: 'OpsBreakGlass', Effect: 'Allow', Principal: { AWS: INTRUDER }, Action: 'sts:AssumeRole' }] };
};

async function scan(argv: string[]) {
  const io = captureIO(env(), ROOT);
  const code = await scanCommand(['--live', '--endpoint', moto.endpoint, ...argv], io);
  return { code, out: io.out(), err: io.err() };
}

describe('trust-guard scan --live: declared vs live', () => {
  it('a clean organization: every deploy role compared, no drift finding, exit 0 (and the hub, in the unread identity account, is "unknown")', async () => {
    const { code, out } = await scan(['--format', 'json']);
    expect(code).toBe(0);
    const { drift, summary } = JSON.parse(out);
    expect(summary.passed).toBe(true);
    expect(drift.findings).toEqual([]);
    expect(drift.organizationRead).toBe(false);
    expect(drift.notRead).toEqual([{ accountId: '012345678901', name: 'identity', reason: expect.stringMatching(/^the identity account: scan --live reads each registry account through its deploy role/) }]);
    expect(drift.deployRoles.map((d: any) => [d.account, d.inSnapshot, d.edges.map((e: any) => [e.caller, e.declared, e.verdict])])).toEqual([
      ['dev', true, [['arn:aws:iam::012345678901:role/ci/github-actions-deploy', true, 'unknown'], [HUB, true, 'unknown']]],
      ['prod', true, [[HUB, true, 'unknown']]],
      ['test', true, [[HUB, true, 'unknown']]],
    ]);
    expect(drift.summary).toMatchObject({ mandatory: 0, problems: 0, passed: true });
  });

  it('an undeclared trust edge into a deploy role is a mandatory path-undeclared finding (exit 1); the decoy that may assume it but is not trusted is none', async () => {
    await withDeployTrust(DEV, devTrustWithIntruder(), async () => {
      const { code, out, err } = await scan(['--format', 'json']);
      expect(err).toBe('');
      expect(code).toBe(1);
      const report = JSON.parse(out);
      // The trust analysis has nothing mandatory: the exit is the drift's.
      expect(report.summary.mandatory).toBe(0);
      expect(report.summary.passed).toBe(false);
      expect(report.drift.findings.map((f: any) => [f.ruleId, f.severity, f.key])).toEqual([['path-undeclared', 'mandatory', `path-undeclared[${INTRUDER}->${deployArn(DEV)}]`]]);
      expect(report.drift.findings[0].message).toContain(`the deploy role of account dev is assumed by ${INTRUDER}, which the registry does not declare`);
      // The decoy was read (the trust report lists it), and the drift report never names it.
      expect(report.files.flatMap((f: any) => f.resources.map((r: any) => r.urn))).toContain(DECOY);
      expect(JSON.stringify(report.drift)).not.toContain(DECOY);
      const dev = report.drift.deployRoles.find((d: any) => d.account === 'dev');
      expect(dev.edges.find((e: any) => e.caller === INTRUDER)).toMatchObject({ declared: false, verdict: 'always' });
    });
  });

  it('the text report has the declared-vs-live section, as trust-guard paths --declared prints it, and an exemption in --config silences the finding (exit 0)', async () => {
    await withDeployTrust(DEV, devTrustWithIntruder(), async () => {
      const text = await scan(['--account', 'dev', '--account', 'test']);
      expect(text.code).toBe(1);
      expect(text.out).toMatch(/^trust-guard passed: 0 mandatory findings/m);
      expect(text.out).toContain("Declared vs live: each scanned account's deploy role, as read, against the registry");
      expect(text.out).toContain('  prod (333333333333): not scanned in this run (--account).');
      expect(text.out).toContain('Snapshot: organization not read (scan --live makes no Organizations calls, so no SCP or RCP is applied');
      expect(text.out).toContain(`    UNDECLARED ${INTRUDER}`);
      expect(text.out).toContain('  MANDATORY path-undeclared');
      expect(text.out).toMatch(/^trust-guard scan --live, declared vs live, FAILED: 1 mandatory finding, /m);

      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-drift-'));
      const config = path.join(dir, 'trust-guard.json');
      fs.writeFileSync(config, json({ paths: { exemptions: [{ ruleId: 'path-undeclared', findingKey: `path-undeclared[${INTRUDER}->${deployArn(DEV)}]`, reason: 'Ops break-glass role, reviewed in change 4711.' }] } }));
      try {
        const exempt = await scan(['--account', 'dev', '--account', 'test', '--config', config, '--format', 'json']);
        expect(exempt.code).toBe(0);
        const drift = JSON.parse(exempt.out).drift;
        expect(drift.findings).toEqual([]);
        expect(drift.exempted.map((e: any) => [e.key, e.reason])).toEqual([[`path-undeclared[${INTRUDER}->${deployArn(DEV)}]`, 'Ops break-glass role, reviewed in change 4711.']]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it('a declared ExternalId missing live is a mandatory path-guard-weaker finding (exit 1); the same trust on a role that is not the deploy role is none', async () => {
    const withoutExternalId = { Version: '2012-10-17', Statement: [{ Sid: 'TrustedRoles', Effect: 'Allow', Principal: { AWS: [HUB] }, Action: ['sts:AssumeRole'] }] };
    await withDeployTrust(PROD, withoutExternalId, async () => {
      const { code, out } = await scan(['--account', 'prod', '--format', 'json']);
      expect(code).toBe(1);
      const report = JSON.parse(out);
      expect(report.summary.mandatory).toBe(0);
      expect(report.drift.findings.map((f: any) => [f.ruleId, f.severity, f.key])).toEqual([['path-guard-weaker', 'mandatory', `path-guard-weaker[${HUB}->${deployArn(PROD)}]`]]);
      expect(report.drift.findings[0].message).toContain('requires sts:ExternalId "trustline-prod-7f3c9a1e", but arn:aws:iam::012345678901:role/trustline-hub assumes it with no sts:ExternalId condition');
      // The decoy was read (the trust report lists it), and the drift report never names it.
      expect(report.files.flatMap((f: any) => f.resources.map((r: any) => r.urn))).toContain(`arn:aws:iam::${PROD}:role/prod-reader`);
      expect(JSON.stringify(report.drift)).not.toContain('prod-reader');
    });
    // With the components' trust back, the same scan passes.
    expect((await scan(['--account', 'prod'])).code).toBe(0);
  });

  it('a permissions boundary that GAAD leaves out is fetched with GetPolicy, as collect does (exit 0); one that cannot be fetched is named, and the account is not read whole (exit 2)', async () => {
    let fetched = 0;
    const dropBoundary = (denyGetPolicy: boolean): ScanDeps => ({
      iam: (config) =>
        intercept(new IAMClient(config), async (command, _input, next) => {
          if (command === 'GetPolicyCommand') {
            fetched++;
            if (denyGetPolicy) throw awsError('AccessDenied', 'not authorized to perform: iam:GetPolicy', 403);
          }
          const result = await next();
          if (command === 'GetAccountAuthorizationDetailsCommand') result.output.Policies = (result.output.Policies ?? []).filter((p: any) => p.Arn !== BOUNDARY);
          return result;
        }),
    });
    const run = async (deps: ScanDeps) => {
      const io = captureIO(env(), ROOT);
      const code = await scanCommand(['--live', '--endpoint', moto.endpoint, '--account', 'dev', '--format', 'json'], io, deps);
      return { code, drift: JSON.parse(io.out()).drift, err: io.err() };
    };
    const whole = await run(dropBoundary(false));
    expect(fetched).toBe(1);
    expect(whole.drift.problems).toEqual([]);
    expect(whole.code).toBe(0);

    const denied = await run(dropBoundary(true));
    expect(denied.code).toBe(2);
    const messages = denied.drift.problems.map((p: any) => `${p.file}: ${p.message}`);
    expect(messages[0]).toBe(
      `account dev (${DEV}): boundary-unreadable [permissions boundary ${BOUNDARY}]: The permissions boundary ${BOUNDARY} of account ${DEV} is not in GetAccountAuthorizationDetails and GetPolicy/GetPolicyVersion failed (AccessDenied: not authorized to perform: iam:GetPolicy); the snapshot names the boundary without its document.`,
    );
    expect(denied.err).toContain(`trust-guard scan: account dev (${DEV}): boundary-unreadable [permissions boundary ${BOUNDARY}]`);
  });

  it('an account scan cannot read is unreadable in the snapshot: the edge from it into a deploy role stays, "unknown", and is still judged (exit 2)', async () => {
    const hubName = registry.identity.hubRoleName as string;
    const hub = adminIam(moto.endpoint, registry.identity.accountId);
    // An explicit Deny in the hub's policies on the test account's deploy role: AssumeRole into test fails.
    const deny = json({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'sts:AssumeRole', Resource: roleArn(TEST, DEPLOY, 'eu-central-1') }] });
    await asAdmin(moto.endpoint, () => hub.send(new PutRolePolicyCommand({ RoleName: hubName, PolicyName: 'deny-test', PolicyDocument: deny })));
    try {
      await withDeployTrust(DEV, devTrustWithIntruder(), async () => {
        const { code, out, err } = await scan(['--format', 'json']);
        expect(code).toBe(2);
        expect(err).toContain(`trust-guard scan: cannot read account test (${TEST}):`);
        const { drift, errors } = JSON.parse(out);
        expect(errors.map((e: any) => e.file)).toEqual([`account test (${TEST})`]);
        expect(drift.problems.map((p: any) => [p.file, p.accountId, p.message])).toEqual([
          [`account test (${TEST})`, TEST, `account test (${TEST}) could not be read (access-denied); it is unreadable, and every path through it is reported as "unknown".`],
        ]);
        const byAccount = new Map(drift.deployRoles.map((d: any) => [d.account, d]));
        expect((byAccount.get('test') as any).inSnapshot).toBeNull();
        expect((byAccount.get('dev') as any).edges.find((e: any) => e.caller === INTRUDER)).toMatchObject({ declared: false, verdict: 'unknown' });
        expect(drift.findings.map((f: any) => f.key)).toEqual([`path-undeclared[${INTRUDER}->${deployArn(DEV)}]`]);
        expect(drift.summary.passed).toBe(false);
      });
    } finally {
      await asAdmin(moto.endpoint, () => hub.send(new DeleteRolePolicyCommand({ RoleName: hubName, PolicyName: 'deny-test' })));
    }
  });
});
