import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { CreateBucketCommand, HeadBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DeleteRoleCommand, DeleteRolePolicyCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import { SAMPLE_REGISTRY_FILE, roleChain, type AccountRegistry } from '@trustline/registry';
import { doctorCommand } from '@trustline/trust-guard-cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminIam, adminS3, asAdmin, captureIO, startEmulatedOrganization, sampleEnv, whileHubTrustsOnlyCi, type EmulatedOrganization, type MotoServer } from '../src';

const ROOT = path.resolve(__dirname, '../../..');
// Every command sees the frozen sample registry (sampleEnv), never the live accounts.json.
const fixtureEnv = sampleEnv;
const BIN = path.join(ROOT, 'packages/trust-guard-cli/bin/trust-guard.js');
const run = promisify(execFile);

let moto: MotoServer;
let registry: AccountRegistry;
let org: EmulatedOrganization;

beforeAll(async () => {
  ({ moto, registry, org } = await startEmulatedOrganization());
});

afterAll(async () => {
  await moto?.stop();
});

const adminEnv = () => fixtureEnv({ AWS_ACCESS_KEY_ID: org.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: org.credentials.secretAccessKey, AWS_ENDPOINT_URL: moto.endpoint });
const account = (key: string) => {
  const a = registry.accounts.find((x) => x.key === key);
  if (!a) throw new Error(`no account ${key} in the sample registry`);
  return a;
};

/** Runs the real bin as a child process; resolves with its exit code and output, never rejects on exit 1/2. */
async function bin(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env, cwd: ROOT, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    if (typeof err.code !== 'number') throw e;
    return { code: err.code, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

describe('the emulated organization', () => {
  it('stores each deploy role with exactly the trust document the components build', async () => {
    for (const a of registry.accounts) {
      const role = (await asAdmin(moto.endpoint, () => adminIam(moto.endpoint, a.accountId).send(new GetRoleCommand({ RoleName: a.deployRoleName })))).Role;
      const stored = JSON.parse(decodeURIComponent(role?.AssumeRolePolicyDocument ?? ''));
      expect(stored).toEqual(org.deployTrust.get(a.key));
      expect(role?.MaxSessionDuration).toBe(a.maxSessionDurationSeconds);
    }
    expect(org.deployTrust.get('prod')?.Statement[0].Condition).toEqual({ StringEquals: { 'sts:ExternalId': 'trustline-prod-7f3c9a1e' } });
  });

  it.each(['dev', 'prod', 'test'])('chains from the identity account into %s and creates a bucket that exists in that account only', async (key) => {
    const a = account(key);
    let credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = org.credentials;
    const arns: string[] = [];
    for (const hop of roleChain(registry, a)) {
      const sts = new STSClient({ region: registry.identity.region, endpoint: moto.endpoint, credentials });
      const out = await sts.send(new AssumeRoleCommand({ RoleArn: hop.roleArn, RoleSessionName: hop.sessionName, DurationSeconds: hop.durationSeconds, ExternalId: hop.externalId }));
      arns.push(out.AssumedRoleUser?.Arn ?? '');
      credentials = { accessKeyId: out.Credentials?.AccessKeyId ?? '', secretAccessKey: out.Credentials?.SecretAccessKey ?? '', sessionToken: out.Credentials?.SessionToken };
    }
    expect(arns).toEqual([
      `arn:aws:sts::012345678901:assumed-role/trustline-hub/trustline-hub-${key}`,
      `arn:aws:sts::${a.accountId}:assumed-role/trustline-deploy/trustline-deploy-${key}`,
    ]);
    const who = await new STSClient({ region: a.region, endpoint: moto.endpoint, credentials }).send(new GetCallerIdentityCommand({}));
    expect(who.Account).toBe(a.accountId);

    const bucket = `trustline-it-${key}`;
    const s3 = new S3Client({ region: a.region, endpoint: moto.endpoint, credentials, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: a.region as never } }));
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toEqual([bucket]);
    for (const other of [registry.identity.accountId, ...registry.accounts.filter((x) => x.key !== key).map((x) => x.accountId)]) {
      const names = await asAdmin(moto.endpoint, async () => (await adminS3(moto.endpoint, other, a.region).send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name) ?? []);
      expect(names, `account ${other} lists ${bucket}`).not.toContain(bucket);
    }
  });
});

describe('trust-guard doctor against the emulated organization', () => {
  it('reports every account ok in-process (exit 0), naming the assumed identity in the right account', async () => {
    const io = captureIO(adminEnv(), ROOT);
    const code = await doctorCommand([], io);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const out = io.out();
    expect(out).toContain('Caller: arn:aws:iam::012345678901:user/trustline-admin (account 012345678901)');
    for (const a of registry.accounts) {
      expect(out).toMatch(new RegExp(`^${a.key} \\(${a.accountId}\\)\\s+arn:aws:iam::${a.accountId}:role/trustline-deploy\\s+arn:aws:sts::${a.accountId}:assumed-role/trustline-deploy/trustline-deploy-${a.key}\\s+ok$`, 'm'));
    }
    expect(out).toContain('3 of 3 accounts ok.');
  });

  it('checks one account with --account and reads --format json', async () => {
    const io = captureIO(adminEnv(), ROOT);
    expect(await doctorCommand(['--account', 'prod', '--format', 'json'], io)).toBe(0);
    const result = JSON.parse(io.out());
    expect(result.rows).toEqual([
      {
        account: 'prod',
        accountId: '333333333333',
        roleArn: 'arn:aws:iam::333333333333:role/trustline-deploy',
        assumedIdentity: 'arn:aws:sts::333333333333:assumed-role/trustline-deploy/trustline-deploy-prod',
        ok: true,
      },
    ]);
  });

  it('refuses an unknown account key with exit 2 and the known keys', async () => {
    const io = captureIO(adminEnv(), ROOT);
    expect(await doctorCommand(['--account', 'staging'], io)).toBe(2);
    expect(io.err()).toBe('trust-guard doctor: --account: account "staging" is not in the registry; known accounts: dev, prod, test.\n');
    expect(io.out()).toBe('');
  });

  it('runs through the real bin with environment credentials and --endpoint (exit 0)', async () => {
    const env = adminEnv();
    delete env.AWS_ENDPOINT_URL;
    const r = await bin(['doctor', '--endpoint', moto.endpoint, '--registry', SAMPLE_REGISTRY_FILE], env);
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3 of 3 accounts ok.');
  });

  it('diagnoses a caller the hub role no longer trusts: AccessDenied naming caller and role, exit 1', async () => {
    // The admin user is left out of the hub's trust.
    await whileHubTrustsOnlyCi(moto.endpoint, registry, org, async () => {
      const io = captureIO(adminEnv(), ROOT);
      expect(await doctorCommand([], io)).toBe(1);
      const out = io.out();
      for (const a of registry.accounts) expect(out).toMatch(new RegExp(`^${a.key} \\(${a.accountId}\\)\\s+arn:aws:iam::${a.accountId}:role/trustline-deploy\\s+-\\s+FAILED: access-denied$`, 'm'));
      // One failure of the hub hop, said once for the three accounts it blocks.
      expect(out).toContain(
        '\ndev, prod, test: arn:aws:iam::012345678901:user/trustline-admin may not assume role arn:aws:iam::012345678901:role/trustline-hub ' +
          '(AccessDenied: User: arn:aws:iam::012345678901:user/trustline-admin is not authorized to perform: sts:AssumeRole).\n' +
          "    Fix: Add arn:aws:iam::012345678901:user/trustline-admin to the hub role's trust policy (the identity account's hub role, deployed by the access project), " +
          'and let arn:aws:iam::012345678901:user/trustline-admin call sts:AssumeRole on arn:aws:iam::012345678901:role/trustline-hub in its identity policy.',
      );
      expect(out.match(/may not assume/g)).toHaveLength(1);
      expect(out).toContain('0 of 3 accounts ok.');
    });
  });

  it('diagnoses credentials AWS does not know through the bin (exit 1)', async () => {
    const env = fixtureEnv({ AWS_ACCESS_KEY_ID: 'AKIANOTAKEY000000000', AWS_SECRET_ACCESS_KEY: 'wrong', AWS_ENDPOINT_URL: moto.endpoint });
    const r = await bin(['doctor', '--account', 'dev'], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Caller: none (invalid-credentials)');
    expect(r.stdout).toContain('\ndev: AWS rejected the credentials of the caller (InvalidClientTokenId: The security token included in the request is invalid.).');
  });

  it('diagnoses missing credentials through the bin (exit 1)', async () => {
    const r = await bin(['doctor', '--account', 'dev'], fixtureEnv({ AWS_ENDPOINT_URL: moto.endpoint }));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Caller: none (no-credentials)');
    expect(r.stdout).toContain('Fix: Sign in first: run "aws sso login --profile <profile>"');
  });
});

// moto judges trust only within one account: it lets the hub session assume a deleted role in another
// account and ignores a wrong ExternalId there, so those breaks cannot be shown against it. The doctor's
// answers to them (a deleted deploy role, NoSuchEntity, a wrong ExternalId, the one-hour role-chaining
// limit, an expired token, a chain ending in the wrong account) are asserted row, fix text and exit code
// in packages/trust-guard-cli/test/live/doctor.test.ts, through a fake STS injected into doctorCommand that
// throws the SDK's own exception shape. The test below pins the moto behaviour that forces this.
describe("moto's limits (why the doctor's break tests run against a fake STS in trust-guard, not here)", () => {
  it('lets a caller assume a deleted role in another account and ignores a wrong ExternalId there', async () => {
    const test = account('test');
    const iam = adminIam(moto.endpoint, test.accountId);
    await asAdmin(moto.endpoint, async () => {
      await iam.send(new DeleteRolePolicyCommand({ RoleName: 'trustline-deploy', PolicyName: 'permissions' }));
      await iam.send(new DeleteRoleCommand({ RoleName: 'trustline-deploy' }));
    });
    const [hubHop] = roleChain(registry, test);
    const hub = await new STSClient({ region: 'eu-west-1', endpoint: moto.endpoint, credentials: org.credentials }).send(
      new AssumeRoleCommand({ RoleArn: hubHop.roleArn, RoleSessionName: hubHop.sessionName }),
    );
    const c = hub.Credentials;
    const sts = new STSClient({ region: 'eu-west-1', endpoint: moto.endpoint, credentials: { accessKeyId: c?.AccessKeyId ?? '', secretAccessKey: c?.SecretAccessKey ?? '', sessionToken: c?.SessionToken } });
    const deleted = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::222222222222:role/trustline-deploy', RoleSessionName: 'x1' }));
    expect(deleted.AssumedRoleUser?.Arn).toBe('arn:aws:sts::222222222222:assumed-role/trustline-deploy/x1');
    const wrongExternalId = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::333333333333:role/trustline-deploy', RoleSessionName: 'x2', ExternalId: 'not-the-id' }));
    expect(wrongExternalId.AssumedRoleUser?.Arn).toBe('arn:aws:sts::333333333333:assumed-role/trustline-deploy/x2');
  });
});
