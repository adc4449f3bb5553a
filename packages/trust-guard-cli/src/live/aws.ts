import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
  type AssumeRoleCommandOutput,
  type GetCallerIdentityCommandOutput,
  type STSClientConfig,
} from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { RoleHop } from '@trustline/registry';
import { diagnose, type Diagnosis, type DiagnosisContext } from './diagnose';

/** Credentials as the SDK accepts them: fixed values or a provider. */
export type Credentials = NonNullable<STSClientConfig['credentials']>;

/** Fixed credentials of one session (the shape the SDK's credential providers resolve to). */
export interface SessionCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** How to reach AWS: the region of the calls and an optional endpoint (an emulator, a VPC endpoint). */
export interface AwsTarget {
  readonly region: string;
  readonly endpoint?: string;
}

/** Who the credentials belong to, as sts:GetCallerIdentity says. */
export interface CallerIdentity {
  readonly account: string;
  readonly arn: string;
  readonly userId: string;
}

/** The endpoint to use: `--endpoint` wins over `AWS_ENDPOINT_URL`; none means the SDK's default. */
export function resolveEndpoint(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const value = flag ?? env.AWS_ENDPOINT_URL;
  return value && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * The standard AWS credential chain, reading environment credentials from `env` (so an in-process caller
 * can pass its own environment) and everything else (profile, SSO, web identity, container, instance
 * metadata) through `fromNodeProviderChain`.
 */
export function baseCredentials(env: NodeJS.ProcessEnv): Credentials {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (accessKeyId && secretAccessKey) {
    return { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
  }
  return fromNodeProviderChain(env.AWS_PROFILE ? { profile: env.AWS_PROFILE } : {});
}

/** The options trust-guard creates every AWS client with. */
export interface ClientConfig {
  readonly region: string;
  readonly endpoint?: string;
  readonly credentials: Credentials;
  readonly maxAttempts: number;
  readonly retryMode: 'adaptive';
}

/**
 * Attempts per call. Errors that retrying cannot fix (AccessDenied, a missing role) are never retried,
 * so this only paces throttling and transient network errors.
 */
export const MAX_ATTEMPTS = 4;

/**
 * Client options shared by every client trust-guard creates. The SDK's adaptive retry mode backs off
 * and rate-limits the client on throttling errors, which many accounts checked at once can provoke
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
 */
export function clientConfig(target: AwsTarget, credentials: Credentials): ClientConfig {
  return { region: target.region, credentials, maxAttempts: MAX_ATTEMPTS, retryMode: 'adaptive', ...(target.endpoint ? { endpoint: target.endpoint } : {}) };
}

/** Options of one SDK call: the signal that aborts it at the account's deadline (see pool.ts). */
export interface CallOptions {
  readonly abortSignal?: AbortSignal;
}

/**
 * The two STS calls trust-guard makes, as the SDK's `STSClient` offers them. Tests pass a fake that throws
 * the SDK's service exceptions, to show failures an emulator cannot (a deleted role in another account, a
 * wrong ExternalId, the chained-session limit).
 */
export interface StsClientLike {
  send(command: AssumeRoleCommand, options?: CallOptions): Promise<AssumeRoleCommandOutput>;
  send(command: GetCallerIdentityCommand, options?: CallOptions): Promise<GetCallerIdentityCommandOutput>;
  destroy(): void;
}

/** Creates the STS client for one set of credentials (one per hop, as the providers do). */
export type StsClientFactory = (config: ClientConfig) => StsClientLike;

/** The real SDK client. */
export const sdkStsClient: StsClientFactory = (config) => new STSClient(config);

export async function callerIdentity(target: AwsTarget, credentials: Credentials, createSts: StsClientFactory = sdkStsClient, signal?: AbortSignal): Promise<CallerIdentity> {
  const sts = createSts(clientConfig(target, credentials));
  try {
    const out = await sts.send(new GetCallerIdentityCommand({}), signal ? { abortSignal: signal } : {});
    return { account: out.Account ?? '', arn: out.Arn ?? '', userId: out.UserId ?? '' };
  } finally {
    sts.destroy();
  }
}

/** One successful hop: the session's credentials and the assumed-role ARN STS returned. */
export interface AssumedHop {
  readonly hop: RoleHop;
  readonly credentials: SessionCredentials;
  readonly assumedRoleArn: string;
}

/** Thrown by {@link assumeChain}: which hop failed, as whom, and the SDK error. */
export class ChainError extends Error {
  constructor(
    readonly hopIndex: number,
    readonly hop: RoleHop,
    /** ARN of the identity that called sts:AssumeRole for this hop (undefined when it is the base caller and unknown). */
    readonly callerArn: string | undefined,
    readonly error: unknown,
  ) {
    super(`assuming ${hop.roleArn} (hop ${hopIndex + 1}) failed: ${error instanceof Error ? error.message : String(error)}`);
    this.name = 'ChainError';
  }
}

/** The diagnosis of a failed hop: which role, as whom, whether chained or the hub, with `ctx` (account, endpoint, bootstrap). */
export function diagnoseChainError(error: ChainError, hopCount: number, ctx: Omit<DiagnosisContext, 'step'>): Diagnosis {
  return diagnose(error.error, {
    ...ctx,
    step: 'assume',
    roleArn: error.hop.roleArn,
    durationSeconds: error.hop.durationSeconds,
    chained: error.hopIndex > 0,
    hub: error.hopIndex < hopCount - 1,
    ...(error.callerArn ? { callerArn: error.callerArn } : {}),
    ...(error.hop.externalId ? { externalId: error.hop.externalId } : {}),
  });
}

/**
 * Performs the role chain exactly as the providers do (hub role, then the target role), each hop with the
 * previous hop's credentials, its session name, ExternalId and duration.
 */
export async function assumeChain(
  target: AwsTarget,
  base: Credentials,
  hops: readonly RoleHop[],
  baseCallerArn?: string,
  createSts: StsClientFactory = sdkStsClient,
  signal?: AbortSignal,
): Promise<AssumedHop[]> {
  const done: AssumedHop[] = [];
  let credentials: Credentials = base;
  let caller = baseCallerArn;
  for (const [i, hop] of hops.entries()) {
    const sts = createSts(clientConfig(target, credentials));
    try {
      const out = await sts.send(
        new AssumeRoleCommand({
          RoleArn: hop.roleArn,
          RoleSessionName: hop.sessionName,
          DurationSeconds: hop.durationSeconds,
          ...(hop.externalId ? { ExternalId: hop.externalId } : {}),
        }),
        signal ? { abortSignal: signal } : {},
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`sts:AssumeRole on ${hop.roleArn} returned no credentials.`);
      const session: SessionCredentials = {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
        ...(c.Expiration ? { expiration: c.Expiration } : {}),
      };
      const assumedRoleArn = out.AssumedRoleUser?.Arn ?? hop.roleArn;
      done.push({ hop, credentials: session, assumedRoleArn });
      credentials = session;
      caller = assumedRoleArn;
    } catch (error) {
      throw new ChainError(i, hop, caller, error);
    } finally {
      sts.destroy();
    }
  }
  return done;
}
