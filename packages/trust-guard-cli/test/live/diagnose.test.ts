import { describe, expect, it } from 'vitest';
import { diagnose, errorCode, principalForTrust, wrongAccount, type DiagnosisCode, type DiagnosisContext } from '../../src/live/diagnose';
import { IAMClient, type GetAccountAuthorizationDetailsCommand, type GetAccountAuthorizationDetailsCommandInput, type GetAccountAuthorizationDetailsCommandOutput } from '@aws-sdk/client-iam';
import { readAuthorizationDetails } from '../../src/live/details';

const HUB = 'arn:aws:iam::012345678901:role/trustline-hub';
const PROD = 'arn:aws:iam::333333333333:role/trustline-deploy';
const HUB_SESSION = 'arn:aws:sts::012345678901:assumed-role/trustline-hub/trustline-hub-prod';
const assumeProd: DiagnosisContext = { step: 'assume', callerArn: HUB_SESSION, roleArn: PROD, externalId: 'trustline-prod-7f3c9a1e', durationSeconds: 3600, chained: true, accountKey: 'prod' };

/** An SDK v3 service error: `name` is the AWS code; query protocols also set `Code`. */
const sdkError = (name: string, message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 403 }, ...extra });

describe('diagnose maps error shapes to a code, the problem and a fix', () => {
  const cases: Array<[string, unknown, DiagnosisContext, DiagnosisCode, string, string]> = [
    [
      'no credentials anywhere in the chain',
      Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
      { step: 'credentials' },
      'no-credentials',
      'No AWS credentials were found (CredentialsProviderError: Could not load credentials from any providers).',
      'Sign in first: run "aws sso login --profile <profile>"',
    ],
    [
      'an expired SSO session surfaces as a provider error about expiry',
      Object.assign(new Error('The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login'), { name: 'CredentialsProviderError' }),
      { step: 'credentials' },
      'expired-token',
      'The credentials have expired (CredentialsProviderError: The SSO session associated with this profile has expired',
      'run "aws sso login"',
    ],
    [
      'an expired session token (STS code ExpiredToken)',
      sdkError('ExpiredToken', 'The security token included in the request is expired'),
      { step: 'credentials' },
      'expired-token',
      'The credentials have expired (ExpiredToken: The security token included in the request is expired).',
      'unset a stale AWS_SESSION_TOKEN',
    ],
    [
      'an expired token reported by a JSON protocol service',
      { name: 'Error', Code: 'ExpiredTokenException', message: 'The security token included in the request is expired' },
      { step: 'verify', roleArn: PROD },
      'expired-token',
      'The credentials have expired (ExpiredTokenException: The security token included in the request is expired).',
      'Refresh them',
    ],
    [
      'an access key AWS does not know',
      sdkError('InvalidClientTokenId', 'The security token included in the request is invalid.'),
      { step: 'credentials' },
      'invalid-credentials',
      'AWS rejected the credentials of the caller (InvalidClientTokenId: The security token included in the request is invalid.).',
      'The access key, secret or session token is wrong or was deleted',
    ],
    [
      'a wrong secret key',
      sdkError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.'),
      { step: 'credentials' },
      'invalid-credentials',
      'AWS rejected the credentials of the caller (SignatureDoesNotMatch: The request signature we calculated',
      'sign in again',
    ],
    [
      'AccessDenied on AssumeRole names the caller, the role and the principal to trust',
      sdkError('AccessDenied', `User: ${HUB_SESSION} is not authorized to perform: sts:AssumeRole on resource: ${PROD}`),
      assumeProd,
      'access-denied',
      `${HUB_SESSION} may not assume role ${PROD} (AccessDenied: User: ${HUB_SESSION} is not authorized to perform: sts:AssumeRole on resource: ${PROD}).`,
      `Add ${HUB} to the role's trust policy (trustedPrincipals of the "prod" entry of accounts.json, then deploy the access project), and let ${HUB} call sts:AssumeRole on ${PROD} in its identity policy. It also requires sts:ExternalId "trustline-prod-7f3c9a1e"`,
    ],
    [
      'AccessDenied on the hub hop points at the hub role, not at a registry entry',
      sdkError('AccessDenied', 'User: arn:aws:iam::012345678901:user/alice is not authorized to perform: sts:AssumeRole'),
      { step: 'assume', callerArn: 'arn:aws:iam::012345678901:user/alice', roleArn: HUB, durationSeconds: 3600, hub: true, accountKey: 'dev' },
      'access-denied',
      `arn:aws:iam::012345678901:user/alice may not assume role ${HUB} (AccessDenied: User: arn:aws:iam::012345678901:user/alice is not authorized to perform: sts:AssumeRole).`,
      "Add arn:aws:iam::012345678901:user/alice to the hub role's trust policy (the identity account's hub role, deployed by the access project), and let",
    ],
    [
      'AccessDenied given only in the message (Code field, generic name)',
      { name: 'Error', Code: 'AccessDenied', message: 'User: arn:aws:iam::012345678901:user/alice is not authorized to perform: sts:AssumeRole' },
      { step: 'assume', callerArn: 'arn:aws:iam::012345678901:user/alice', roleArn: HUB, durationSeconds: 3600, accountKey: 'dev' },
      'access-denied',
      `arn:aws:iam::012345678901:user/alice may not assume role ${HUB} (AccessDenied: User: arn:aws:iam::012345678901:user/alice is not authorized`,
      'Add arn:aws:iam::012345678901:user/alice to the role\'s trust policy (trustedPrincipals of the "dev" entry of accounts.json',
    ],
    [
      "a duration above the role's MaxSessionDuration",
      sdkError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.'),
      { ...assumeProd, chained: false, durationSeconds: 43200 },
      'session-duration',
      `Assuming role ${PROD} for 43200 seconds was refused: it exceeds the role's MaxSessionDuration (ValidationError: The requested DurationSeconds exceeds the MaxSessionDuration set for this role.).`,
      'Lower maxSessionDurationSeconds of the "prod" entry of accounts.json',
    ],
    [
      'a chained session above one hour',
      sdkError('ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.'),
      { ...assumeProd, durationSeconds: 7200 },
      'session-duration',
      `Assuming role ${PROD} for 7200 seconds was refused: a chained session is capped at 3600 seconds`,
      'Set maxSessionDurationSeconds of the "prod" entry of accounts.json to 3600 or less',
    ],
    [
      'a role that does not exist (IAM NoSuchEntity)',
      sdkError('NoSuchEntity', 'The role with name trustline-deploy cannot be found.'),
      { step: 'verify', roleArn: PROD, accountKey: 'prod' },
      'role-not-found',
      `Role ${PROD} does not exist (NoSuchEntity: The role with name trustline-deploy cannot be found.).`,
      'correct deployRoleName / accountId in the "prod" entry of accounts.json',
    ],
    [
      'an endpoint nobody listens on (Node system error code)',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
      { step: 'credentials', endpoint: 'http://127.0.0.1:1' },
      'endpoint-unreachable',
      'The AWS endpoint http://127.0.0.1:1 could not be reached (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1).',
      '--endpoint / AWS_ENDPOINT_URL',
    ],
    [
      'anything else keeps its code and message',
      sdkError('RegionDisabledException', 'STS is not activated in this region for account 333333333333.'),
      assumeProd,
      'unknown-error',
      `Assuming role ${PROD} failed (RegionDisabledException: STS is not activated in this region for account 333333333333.).`,
      'aws sts assume-role',
    ],
  ];

  it.each(cases)('%s', (_label, error, ctx, code, problem, fix) => {
    const d = diagnose(error, ctx);
    expect(d.code).toBe(code);
    expect(d.problem.startsWith(problem) || d.problem === problem, `problem was: ${d.problem}`).toBe(true);
    expect(d.fix).toContain(fix);
  });

  it('names no ExternalId when the hop has none', () => {
    const d = diagnose(sdkError('AccessDenied', 'denied'), { ...assumeProd, externalId: undefined });
    expect(d.fix).not.toContain('ExternalId');
  });

  it('treats AccessDenied outside AssumeRole as a permissions problem of the caller', () => {
    const d = diagnose(sdkError('AccessDenied', 'not allowed'), { step: 'verify', callerArn: HUB_SESSION, roleArn: PROD });
    expect(d).toEqual({ code: 'access-denied', problem: `${HUB_SESSION} was denied (AccessDenied: not allowed).`, fix: "Check the caller's identity policies and any service control policy of the account." });
  });
});

describe('helpers', () => {
  it.each([
    [{ name: 'AccessDenied', Code: 'AccessDenied' }, 'AccessDenied'],
    [{ name: 'Error', Code: 'ExpiredToken' }, 'ExpiredToken'],
    [{ name: 'Error', code: 'ENOTFOUND' }, 'ENOTFOUND'],
    [{ name: 'Error' }, ''],
    ['a string', ''],
    [null, ''],
  ])('errorCode(%j) is %j', (error, code) => {
    expect(errorCode(error)).toBe(code);
  });

  it.each([
    [HUB_SESSION, HUB],
    ['arn:aws-us-gov:sts::111111111111:assumed-role/deploy/s', 'arn:aws-us-gov:iam::111111111111:role/deploy'],
    ['arn:aws:iam::012345678901:user/alice', 'arn:aws:iam::012345678901:user/alice'],
  ])('principalForTrust(%s) is %s', (arn, principal) => {
    expect(principalForTrust(arn)).toBe(principal);
  });

  it('an IAM Identity Center caller is told that its role ARN has the aws-reserved path', () => {
    const sso = 'arn:aws:sts::012345678901:assumed-role/AWSReservedSSO_Admin_0123abcd/alice@example.com';
    const d = diagnose(Object.assign(new Error('User: x is not authorized to perform: sts:AssumeRole on resource: y'), { name: 'AccessDenied' }), { ...assumeProd, callerArn: sso, chained: false, hub: true });
    expect(d.code).toBe('access-denied');
    expect(d.fix).toContain('AWSReservedSSO_Admin_0123abcd is an IAM Identity Center role: its ARN has the path /aws-reserved/sso.amazonaws.com/');
    expect(d.fix).toContain('"aws iam get-role --role-name AWSReservedSSO_Admin_0123abcd"');
    // an ordinary role gets no such note
    expect(diagnose(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }), assumeProd).fix).not.toContain('aws-reserved');
  });

  it('wrongAccount names both accounts and the registry entry', () => {
    expect(wrongAccount('333333333333', '444444444444', 'arn:aws:sts::444444444444:assumed-role/trustline-deploy/s', { roleArn: PROD, accountKey: 'prod' })).toEqual({
      code: 'wrong-account',
      problem: `Assuming ${PROD} gave arn:aws:sts::444444444444:assumed-role/trustline-deploy/s in account 444444444444, not the registry's account 333333333333.`,
      fix: 'Correct accountId of the "prod" entry of accounts.json, or check that --endpoint / AWS_ENDPOINT_URL points at the right partition.',
    });
  });
});

type DetailsPage = Partial<GetAccountAuthorizationDetailsCommandOutput>;

/**
 * An IAMClient (the SDK's paginator accepts only IAMClient instances) whose `send` answers each request from
 * `answer` instead of the network; `requests` records each request's input and options as sent.
 */
function fakeIam(answer: (input: GetAccountAuthorizationDetailsCommandInput) => DetailsPage) {
  const requests: Array<{ input: GetAccountAuthorizationDetailsCommandInput; options: unknown }> = [];
  const client = new IAMClient({ region: 'us-east-1' });
  client.send = (async (command: GetAccountAuthorizationDetailsCommand, options?: unknown) => {
    const input = { ...command.input };
    requests.push({ input, options });
    return answer(input);
  }) as IAMClient['send'];
  return { client, requests };
}

describe('readAuthorizationDetails follows Marker while IsTruncated', () => {
  it('merges every page in order and passes each Marker back', async () => {
    const pages: Record<string, DetailsPage> = {
      first: { RoleDetailList: [{ RoleName: 'a' }], UserDetailList: [{ UserName: 'u' }], IsTruncated: true, Marker: 'm1' },
      m1: { RoleDetailList: [{ RoleName: 'b' }], Policies: [{ PolicyName: 'p' }], IsTruncated: true, Marker: 'm2' },
      m2: { RoleDetailList: [{ RoleName: 'c' }], GroupDetailList: [{ GroupName: 'g' }], IsTruncated: false },
    };
    const iam = fakeIam((input) => pages[input.Marker ?? 'first']);
    const details = await readAuthorizationDetails(iam.client);
    expect(iam.requests.map((r) => r.input.Marker)).toEqual([undefined, 'm1', 'm2']);
    expect(details).toEqual({
      RoleDetailList: [{ RoleName: 'a' }, { RoleName: 'b' }, { RoleName: 'c' }],
      UserDetailList: [{ UserName: 'u' }],
      GroupDetailList: [{ GroupName: 'g' }],
      Policies: [{ PolicyName: 'p' }],
    });
  });

  it('stops at the first page that is not truncated, even if it carries a Marker', async () => {
    const iam = fakeIam(() => ({ RoleDetailList: [{ RoleName: 'a' }], IsTruncated: false, Marker: 'ignored' }));
    expect((await readAuthorizationDetails(iam.client)).RoleDetailList).toEqual([{ RoleName: 'a' }]);
    expect(iam.requests).toHaveLength(1);
  });

  it('passes the abort signal to every request', async () => {
    const signal = new AbortController().signal;
    const iam = fakeIam((input) => (input.Marker ? { IsTruncated: false } : { IsTruncated: true, Marker: 'm1' }));
    await readAuthorizationDetails(iam.client, { abortSignal: signal });
    expect(iam.requests.map((r) => r.options)).toEqual([{ abortSignal: signal }, { abortSignal: signal }]);
  });

  it('stops on a truncated page without a Marker', async () => {
    await expect(readAuthorizationDetails(fakeIam(() => ({ IsTruncated: true })).client)).rejects.toThrow(
      'GetAccountAuthorizationDetails answered IsTruncated without a Marker, so the next page cannot be read.',
    );
  });

  it('stops when the same Marker comes back', async () => {
    await expect(readAuthorizationDetails(fakeIam(() => ({ IsTruncated: true, Marker: 'same' })).client)).rejects.toThrow(
      'GetAccountAuthorizationDetails returned the same Marker "same" twice; stopping instead of looping.',
    );
  });
});
