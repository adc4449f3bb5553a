import { AssumeRoleCommand, STSServiceException, type AssumeRoleCommandOutput, type GetCallerIdentityCommand, type GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import type { ClientConfig, StsClientFactory, StsClientLike } from '../../src/live/aws';

/**
 * An STS service error exactly as SDK v3 throws it for STS's query protocol: an `STSServiceException`
 * whose `name` is the AWS error code, with `$fault`, `$metadata` (HTTP status, request id), `Type`,
 * `Code`, `message` and the raw `Error` block. `fake-sts.test.ts` checks this against what the SDK
 * deserializes from STS's XML error body.
 */
export function stsError(code: string, message: string, httpStatusCode: number, requestId = 'fake-request-id'): STSServiceException {
  const error = new STSServiceException({ name: code, $fault: httpStatusCode < 500 ? 'client' : 'server', $metadata: { httpStatusCode, requestId, attempts: 1, totalRetryDelay: 0 }, message });
  return Object.assign(error, { Type: 'Sender', Code: code, Error: { Type: 'Sender', Code: code, Message: message } });
}

/** The error AWS answers when the caller may not assume the role, and also when the role does not exist. */
export const notAuthorized = (callerArn: string, roleArn: string) => stsError('AccessDenied', `User: ${callerArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);

/** A role in the fake account world: who its trust policy names and the ExternalId its condition requires. */
export interface FakeRole {
  /** Principal ARNs (users and roles, as IAM stores them) the trust policy allows. */
  readonly trusted: readonly string[];
  readonly externalId?: string;
}

/** One call the fake received, with the access key and region of the client that made it. */
export interface FakeStsCall {
  readonly operation: 'AssumeRole' | 'GetCallerIdentity';
  readonly accessKeyId: string;
  readonly region: string;
  readonly endpoint?: string;
  /** AssumeRole only: the role, session name, duration and ExternalId sent. */
  readonly roleArn?: string;
  readonly sessionName?: string;
  readonly durationSeconds?: number;
  readonly externalId?: string;
}

export interface FakeStsOptions {
  /** The base credentials: their access key and the identity GetCallerIdentity reports for them. */
  readonly base: { readonly accessKeyId: string; readonly arn: string };
  /** Roles that exist, by ARN. A role that is not here is deleted: AWS answers AccessDenied, as for an untrusted caller. */
  readonly roles: Readonly<Record<string, FakeRole>>;
  /** Errors thrown instead of answering: `AssumeRole <role ARN>`, or `GetCallerIdentity <caller ARN>` (the base user or an assumed-role session). */
  readonly errors?: Readonly<Record<string, Error>>;
  /** GetCallerIdentity of a session of this role reports this account instead of the role's own. */
  readonly sessionAccount?: Readonly<Record<string, string>>;
}

const ROLE = /^arn:([\w-]+):iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/;

/**
 * A small STS that answers the way AWS does for the cases moto cannot show: it checks the role exists,
 * that its trust names the caller (an assumed-role session is judged as its role), and the ExternalId.
 * Sessions get access keys `ASIAFAKE<n>`, so each call shows which hop's credentials it used.
 */
export class FakeSts {
  readonly calls: FakeStsCall[] = [];
  private readonly sessions = new Map<string, { arn: string; roleArn: string; accountId: string }>();

  constructor(private readonly options: FakeStsOptions) {}

  /** The factory to inject into `runDoctor` / `doctorCommand`. */
  readonly factory: StsClientFactory = (config) => this.client(config);

  private client(config: ClientConfig): StsClientLike {
    const credentials = config.credentials;
    if (typeof credentials === 'function') throw new Error('FakeSts expects fixed credentials; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the test environment.');
    const where = { accessKeyId: credentials.accessKeyId, region: config.region, ...(config.endpoint ? { endpoint: config.endpoint } : {}) };
    const send = async (command: AssumeRoleCommand | GetCallerIdentityCommand): Promise<AssumeRoleCommandOutput | GetCallerIdentityCommandOutput> =>
      command instanceof AssumeRoleCommand ? this.assumeRole(where, command) : this.getCallerIdentity(where);
    return { send: send as StsClientLike['send'], destroy: () => undefined };
  }

  private callerArn(accessKeyId: string): string {
    if (accessKeyId === this.options.base.accessKeyId) return this.options.base.arn;
    const session = this.sessions.get(accessKeyId);
    if (!session) throw stsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
    return session.arn;
  }

  private assumeRole(where: { accessKeyId: string; region: string; endpoint?: string }, command: AssumeRoleCommand): AssumeRoleCommandOutput {
    const { RoleArn = '', RoleSessionName = '', DurationSeconds, ExternalId } = command.input;
    this.calls.push({
      operation: 'AssumeRole',
      ...where,
      roleArn: RoleArn,
      sessionName: RoleSessionName,
      ...(DurationSeconds !== undefined ? { durationSeconds: DurationSeconds } : {}),
      ...(ExternalId !== undefined ? { externalId: ExternalId } : {}),
    });
    const caller = this.callerArn(where.accessKeyId);
    const scripted = this.options.errors?.[`AssumeRole ${RoleArn}`];
    if (scripted) throw scripted;
    const role = this.options.roles[RoleArn];
    const m = ROLE.exec(RoleArn);
    // AWS ignores an ExternalId the trust policy does not ask for, and refuses a missing or different one.
    const externalIdOk = role?.externalId === undefined || role.externalId === ExternalId;
    if (!role || !m || !role.trusted.includes(principalOf(caller)) || !externalIdOk) throw notAuthorized(caller, RoleArn);
    const accessKeyId = `ASIAFAKE${this.sessions.size + 1}`;
    const arn = `arn:${m[1]}:sts::${m[2]}:assumed-role/${m[3]}/${RoleSessionName}`;
    this.sessions.set(accessKeyId, { arn, roleArn: RoleArn, accountId: m[2] });
    return {
      $metadata: { httpStatusCode: 200 },
      Credentials: { AccessKeyId: accessKeyId, SecretAccessKey: 'fake-secret', SessionToken: `token-${accessKeyId}`, Expiration: new Date('2030-01-01T00:00:00Z') },
      AssumedRoleUser: { Arn: arn, AssumedRoleId: `AROAFAKE:${RoleSessionName}` },
    };
  }

  private getCallerIdentity(where: { accessKeyId: string; region: string; endpoint?: string }): GetCallerIdentityCommandOutput {
    this.calls.push({ operation: 'GetCallerIdentity', ...where });
    const arn = this.callerArn(where.accessKeyId);
    const scripted = this.options.errors?.[`GetCallerIdentity ${arn}`];
    if (scripted) throw scripted;
    const session = this.sessions.get(where.accessKeyId);
    const accountId = session ? (this.options.sessionAccount?.[session.roleArn] ?? session.accountId) : (/:(\d{12}):/.exec(arn)?.[1] ?? '');
    return { $metadata: { httpStatusCode: 200 }, Account: accountId, Arn: session && accountId !== session.accountId ? arn.replace(session.accountId, accountId) : arn, UserId: 'AIDAFAKE' };
  }
}

/** The principal a trust policy names for a caller: an assumed-role session is judged as its role. */
function principalOf(callerArn: string): string {
  const m = /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(callerArn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : callerArn;
}
