import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import type { AccountRegistry } from '@trustline/registry';
import { analyzeTrustPolicy } from '@trustline/trust';
import { resolveConfig } from '@trustline/trust-guard';
import { scanCommand } from '@trustline/trust-guard-cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminIam, asAdmin, captureIO, startEmulatedOrganization, sampleEnv, whileHubTrustsOnlyCi, type EmulatedOrganization, type MotoServer } from '../src';

const ROOT = path.resolve(__dirname, '../../..');
// Every command sees the frozen sample registry (sampleEnv), never the live accounts.json.
const fixtureEnv = sampleEnv;
const BROAD = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] };

let moto: MotoServer;
let registry: AccountRegistry;
let org: EmulatedOrganization;

beforeAll(async () => {
  ({ moto, registry, org } = await startEmulatedOrganization());
  // One broad role, planted in the dev account next to its deploy role.
  await asAdmin(moto.endpoint, () => adminIam(moto.endpoint, '111111111111').send(new CreateRoleCommand({ RoleName: 'vendor-broad', AssumeRolePolicyDocument: JSON.stringify(BROAD) })));
});

afterAll(async () => {
  await moto?.stop();
});

const env = () => fixtureEnv({ AWS_ACCESS_KEY_ID: org.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: org.credentials.secretAccessKey });

describe('trust-guard scan --live against the emulated organization', () => {
  it('reports the planted broad role with exit 1, and no mandatory finding in the clean accounts', async () => {
    const io = captureIO(env(), ROOT);
    const code = await scanCommand(['--live', '--endpoint', moto.endpoint, '--format', 'json'], io);
    expect(io.err()).toBe('');
    expect(code).toBe(1);
    const report = JSON.parse(io.out());
    expect(report.files.map((f: any) => f.file)).toEqual(['account dev (111111111111)', 'account prod (333333333333)', 'account test (222222222222)']);

    const config = resolveConfig(undefined, registry, 'accounts.json');
    if (!config.ok) throw new Error(config.error);
    const expected = [analyzeTrustPolicy(BROAD as never, config.config)].flat().filter((f) => f.severity === 'mandatory');
    expect(expected.map((f) => f.ruleId)).toContain('trust-any-principal');

    const dev = report.files[0];
    const broad = dev.resources.find((r: any) => r.name === 'vendor-broad');
    expect(broad.urn).toBe('arn:aws:iam::111111111111:role/vendor-broad');
    const mandatory = broad.findings.filter((f: any) => f.severity === 'mandatory');
    expect(mandatory.map((f: any) => [f.ruleId, f.key, f.message])).toEqual(expected.map((f) => [f.ruleId, f.key, f.message]));

    const elsewhere = report.files.flatMap((f: any) => f.resources.filter((r: any) => r.name !== 'vendor-broad').flatMap((r: any) => r.findings));
    expect(elsewhere.filter((f: any) => f.severity === 'mandatory')).toEqual([]);
    for (const f of report.files) expect(f.resources.map((r: any) => r.name)).toContain('trustline-deploy');
  });

  it('prints the text report as check does, naming the role and the rule', async () => {
    const io = captureIO({ ...env(), AWS_ENDPOINT_URL: moto.endpoint }, ROOT);
    expect(await scanCommand(['--live', '--account', 'dev'], io)).toBe(1);
    const out = io.out();
    expect(out).toContain('account dev (111111111111):');
    expect(out).toContain('AWS::IAM::Role "vendor-broad" (arn:aws:iam::111111111111:role/vendor-broad)');
    expect(out).toMatch(/MANDATORY trust-any-principal/);
    expect(out).toMatch(/^trust-guard FAILED: \d+ mandatory finding/m);
  });

  it('runs through the real bin (scan --live, env credentials, AWS_ENDPOINT_URL) with exit 1', async () => {
    const bin = path.join(ROOT, 'packages/trust-guard-cli/bin/trust-guard.js');
    const failed = await promisify(execFile)(process.execPath, [bin, 'scan', '--live', '--account', 'dev'], { env: { ...env(), AWS_ENDPOINT_URL: moto.endpoint }, cwd: ROOT }).then(
      () => ({ code: 0, stdout: '' }),
      (e: { code?: number; stdout?: string }) => ({ code: e.code, stdout: e.stdout ?? '' }),
    );
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('MANDATORY trust-any-principal principal AWS::* [AssumeRolePolicyDocument, statement 0]');
  });

  it('passes a clean account with exit 0', async () => {
    const io = captureIO(env(), ROOT);
    expect(await scanCommand(['--live', '--account', 'prod', '--endpoint', moto.endpoint], io)).toBe(0);
    expect(io.out()).toMatch(/^trust-guard passed: 0 mandatory findings/m);
  });

  it('requires --live (exit 2)', async () => {
    const io = captureIO(env(), ROOT);
    expect(await scanCommand(['--endpoint', moto.endpoint], io)).toBe(2);
    expect(io.err()).toBe('trust-guard scan: --live is required; scan reads the accounts of the registry through AWS (to judge files, use trust-guard check).\n');
  });

  it('exits 2 and says why when an account cannot be read', async () => {
    await whileHubTrustsOnlyCi(moto.endpoint, registry, org, async () => {
      const io = captureIO(env(), ROOT);
      expect(await scanCommand(['--live', '--account', 'test', '--endpoint', moto.endpoint], io)).toBe(2);
      expect(io.err()).toContain(
        'trust-guard scan: cannot read account test (222222222222): arn:aws:iam::012345678901:user/trustline-admin may not assume role arn:aws:iam::012345678901:role/trustline-hub (AccessDenied: User: arn:aws:iam::012345678901:user/trustline-admin is not authorized to perform: sts:AssumeRole).',
      );
    });
  });
});
