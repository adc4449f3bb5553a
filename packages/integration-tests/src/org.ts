import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import type { STSClient } from '@aws-sdk/client-sts';
import { buildTrustPolicy, deployRoleTrustSpec, trustContextFromRegistry, type TrustPolicyDocument } from '@trustline/components';
import { SAMPLE_REGISTRY_FILE, loadRegistry, roleArn, type AccountEntry, type AccountRegistry } from '@trustline/registry';
import { DEFAULT_SESSION_SECONDS } from '@trustline/trust';
import { setMotoAuth, startMoto, type MotoServer } from './moto';

/** Any credentials will do while moto's authentication is off; the header picks the account. */
export const SETUP_CREDENTIALS = { accessKeyId: 'AKIASETUPSETUPSETUP0', secretAccessKey: 'setup' };

/** Adds `x-moto-account-id` to every request of `client`, so admin calls act in `accountId`. */
export function inAccount<T extends IAMClient | S3Client | STSClient | OrganizationsClient>(client: T, accountId: string): T {
  (client.middlewareStack as IAMClient['middlewareStack']).add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers['x-moto-account-id'] = accountId;
      return next(args);
    },
    { step: 'build', name: 'motoAccountHeader' },
  );
  return client;
}

/** An IAM client acting as the administrator of `accountId` (moto authentication must be off). */
export function adminIam(endpoint: string, accountId: string): IAMClient {
  return inAccount(new IAMClient({ region: 'us-east-1', endpoint, credentials: SETUP_CREDENTIALS }), accountId);
}

export function adminS3(endpoint: string, accountId: string, region: string): S3Client {
  return inAccount(new S3Client({ region, endpoint, credentials: SETUP_CREDENTIALS, forcePathStyle: true }), accountId);
}

/** The IAM user humans or CI sign in as in the identity account. */
export const ADMIN_USER = 'trustline-admin';

/** What {@link emulateOrganization} created. */
export interface EmulatedOrganization {
  /** Access key of the identity account's admin user: the doctor's base credentials. */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly adminArn: string;
  readonly hubRoleArn: string;
  /** Each account's deploy role trust document, exactly as the components build it. */
  readonly deployTrust: ReadonlyMap<string, TrustPolicyDocument>;
}

/** The deploy role's trust document, from the same spec (`deployRoleTrustSpec`) the access project deploys. */
export function deployRoleTrust(registry: AccountRegistry, account: AccountEntry): TrustPolicyDocument {
  return buildTrustPolicy(deployRoleTrustSpec(account), trustContextFromRegistry(registry, `deploy role of "${account.key}"`));
}

/**
 * The hub role's trust: the admin user by exact ARN. moto compares a trust policy's principal with the
 * caller's ARN as strings, so the component form for people (account root narrowed by aws:PrincipalArn,
 * see `accountRoots`) would never match there; the deploy roles, which moto does not judge (their callers
 * are in another account), use the exact component documents.
 */
export function hubTrust(adminArn: string): Record<string, unknown> {
  return { Version: '2012-10-17', Statement: [{ Sid: 'Admins', Effect: 'Allow', Principal: { AWS: [adminArn] }, Action: ['sts:AssumeRole'] }] };
}

const json = (doc: unknown) => JSON.stringify(doc);

/**
 * Emulates the registry's organization in moto: the identity account's admin user (with an access key
 * and permission to assume the hub role), the hub role (allowed to assume every deploy role), and each
 * account's deploy role with the components' trust document and permission to use S3 and read IAM.
 * Every trust document is written twice, created then updated with UpdateAssumeRolePolicy, because moto
 * validates policy syntax on update only. Leaves moto's authentication on.
 */
export async function emulateOrganization(endpoint: string, registry: AccountRegistry): Promise<EmulatedOrganization> {
  await setMotoAuth(endpoint, false);
  const identity = registry.identity;
  const iam = adminIam(endpoint, identity.accountId);
  const adminArn = `arn:aws:iam::${identity.accountId}:user/${ADMIN_USER}`;
  const hubName = identity.hubRoleName ?? 'trustline-hub';
  const hubRoleArn = roleArn(identity.accountId, hubName, identity.region);
  const deployArns = registry.accounts.map((a) => roleArn(a.accountId, a.deployRoleName, a.region));

  await iam.send(new CreateUserCommand({ UserName: ADMIN_USER }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: ADMIN_USER }))).AccessKey;
  if (!key?.AccessKeyId || !key.SecretAccessKey) throw new Error('moto returned no access key for the admin user.');
  await iam.send(
    new PutUserPolicyCommand({
      UserName: ADMIN_USER,
      PolicyName: 'assume-hub',
      PolicyDocument: json({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: hubRoleArn }] }),
    }),
  );
  await writeRole(iam, hubName, hubTrust(adminArn), DEFAULT_SESSION_SECONDS, { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: deployArns });

  const deployTrust = new Map<string, TrustPolicyDocument>();
  for (const account of registry.accounts) {
    const trust = deployRoleTrust(registry, account);
    deployTrust.set(account.key, trust);
    await writeRole(adminIam(endpoint, account.accountId), account.deployRoleName, trust, account.maxSessionDurationSeconds, {
      Effect: 'Allow',
      Action: ['s3:*', 'iam:Get*', 'iam:List*'],
      Resource: '*',
    });
  }
  await setMotoAuth(endpoint, true);
  return { credentials: { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey }, adminArn, hubRoleArn, deployTrust };
}

async function writeRole(iam: IAMClient, name: string, trust: unknown, maxSessionDuration: number, permissions: Record<string, unknown>): Promise<void> {
  await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: json(trust), MaxSessionDuration: maxSessionDuration }));
  await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: json(trust) }));
  await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 'permissions', PolicyDocument: json({ Version: '2012-10-17', Statement: [permissions] }) }));
}

/** Runs `fn` with moto's authentication off (admin changes through the account header), then turns it back on. */
export async function asAdmin<T>(endpoint: string, fn: () => Promise<T>): Promise<T> {
  await setMotoAuth(endpoint, false);
  try {
    return await fn();
  } finally {
    await setMotoAuth(endpoint, true);
  }
}

/**
 * Runs `fn` while the hub role trusts only the CI role (a component-built document), so the admin user
 * can no longer assume it; the hub's own trust ({@link hubTrust}) is put back however `fn` ends.
 */
export async function whileHubTrustsOnlyCi<T>(endpoint: string, registry: AccountRegistry, org: Pick<EmulatedOrganization, 'adminArn'>, fn: () => Promise<T>): Promise<T> {
  const ciOnly = buildTrustPolicy({ trustedRoleArns: [`arn:aws:iam::${registry.identity.accountId}:role/ci/github-actions-deploy`] }, trustContextFromRegistry(registry));
  const iam = adminIam(endpoint, registry.identity.accountId);
  const setHubTrust = (doc: unknown) =>
    asAdmin(endpoint, () => iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: registry.identity.hubRoleName ?? 'trustline-hub', PolicyDocument: json(doc) })));
  await setHubTrust(ciOnly);
  try {
    return await fn();
  } finally {
    await setHubTrust(hubTrust(org.adminArn));
  }
}

/** What an integration test file works against: one moto process emulating the sample organization. */
export interface EmulatedSample {
  readonly moto: MotoServer;
  readonly registry: AccountRegistry;
  readonly org: EmulatedOrganization;
}

/**
 * Starts moto and emulates the organization of the frozen sample registry (not the live accounts.json,
 * which grows as teams onboard accounts). The caller stops `moto` in afterAll.
 */
export async function startEmulatedOrganization(): Promise<EmulatedSample> {
  const moto = await startMoto();
  const registry = loadRegistry(SAMPLE_REGISTRY_FILE);
  const org = await emulateOrganization(moto.endpoint, registry);
  return { moto, registry, org };
}
