/**
 * Turns what went wrong while acting in an account (an AWS SDK error, or an identity in the wrong
 * account) into a diagnosis: a stable code, what happened, and a concrete fix. Pure: no SDK, no I/O,
 * so every error shape is tested table-driven.
 */
import { CHAINED_SESSION_MAX_SECONDS } from '@trustline/registry';
import { classifyPrincipal } from '@trustline/trust';

/** Stable diagnosis codes (shown in `--format json` and asserted by tests). */
export type DiagnosisCode =
  | 'no-credentials'
  | 'expired-token'
  | 'invalid-credentials'
  | 'access-denied'
  | 'session-duration'
  | 'role-not-found'
  | 'wrong-account'
  | 'endpoint-unreachable'
  | 'throttled'
  | 'timeout'
  | 'unknown-error';

export interface Diagnosis {
  readonly code: DiagnosisCode;
  /** What happened, naming the caller, role and account involved. */
  readonly problem: string;
  /** What to change, in the registry or in AWS. */
  readonly fix: string;
}

/** Where in the doctor's flow the error happened. */
export interface DiagnosisContext {
  /** `credentials`: loading credentials or sts:GetCallerIdentity as the caller; `assume`: sts:AssumeRole; `verify`: GetCallerIdentity with the assumed credentials. */
  readonly step: 'credentials' | 'assume' | 'verify';
  /** ARN of the identity that made the failing call, when known. */
  readonly callerArn?: string;
  /** The role being assumed (step `assume`) or that was assumed (step `verify`). */
  readonly roleArn?: string;
  readonly externalId?: string;
  readonly durationSeconds?: number;
  /** True when the hop is a chained one (the caller is itself an assumed role). */
  readonly chained?: boolean;
  /** True when the role is the identity account's hub role, whose trust the registry's account entries do not hold. */
  readonly hub?: boolean;
  /** Registry key of the account being checked, for the fix text. */
  readonly accountKey?: string;
  readonly endpoint?: string;
  /** True when the role is the account's Organizations bootstrap role (`doctor --bootstrap`), which the access project does not create. */
  readonly bootstrap?: boolean;
}

/** The fields of an error this module reads; SDK v3 errors, Node system errors and plain objects all fit. */
export interface ErrorShape {
  readonly name?: unknown;
  readonly Code?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * The most specific error code of an error: SDK v3 puts the AWS error code in `name` (query protocols
 * also in `Code`); Node system errors (`ECONNREFUSED`) put it in `code`. A bare `Error` name says nothing.
 */
export function errorCode(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '';
  const e = error as ErrorShape;
  const candidates = [str(e.Code), str(e.name), str(e.code)].filter((c) => c !== '' && c !== 'Error');
  return candidates[0] ?? '';
}

export function errorMessage(error: unknown): string {
  if (typeof error === 'string') return error;
  if (typeof error !== 'object' || error === null) return String(error);
  const m = str((error as ErrorShape).message);
  const cause = (error as { cause?: unknown }).cause;
  if (!m && cause) return errorMessage(cause);
  return m;
}

/**
 * `arn:aws:sts::123456789012:assumed-role/Name/session` -> `arn:aws:iam::123456789012:role/Name`: the role
 * a trust policy must name for this caller. An assumed-role ARN carries no path, so for a role with a path
 * this ARN is not exact: see {@link rolePathHint}.
 */
export function principalForTrust(callerArn: string): string {
  const p = classifyPrincipal('AWS', callerArn);
  return p.kind === 'assumed-role' && !p.wildcard && p.partition !== undefined && p.accountId !== undefined ? `arn:${p.partition}:iam::${p.accountId}:role/${p.name}` : callerArn;
}

/**
 * IAM Identity Center (SSO) roles live under the path `/aws-reserved/sso.amazonaws.com/[<region>/]`, which
 * the assumed-role ARN omits, so a trust policy naming `role/AWSReservedSSO_...` without it never matches.
 * https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html
 */
export function rolePathHint(callerArn: string): string {
  const m = /assumed-role\/(AWSReservedSSO_[^/]+)\//.exec(callerArn);
  if (m) {
    return ` ${m[1]} is an IAM Identity Center role: its ARN has the path /aws-reserved/sso.amazonaws.com/ (plus a region for newer ones), which the session ARN omits; take the exact ARN from "aws iam get-role --role-name ${m[1]}", or match it with ArnLike aws:PrincipalArn "arn:aws:iam::<account>:role/aws-reserved/sso.amazonaws.com/*/${m[1]}".`;
  }
  return '';
}

const NO_CREDENTIALS = new Set(['CredentialsProviderError', 'CredentialsError']);
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
const INVALID = new Set(['InvalidClientTokenId', 'SignatureDoesNotMatch', 'UnrecognizedClientException', 'AuthFailure', 'InvalidAccessKeyId', 'IncompleteSignature']);
const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'Forbidden']);
const NOT_FOUND = new Set(['NoSuchEntity', 'NoSuchEntityException']);
const THROTTLED = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'SlowDown']);
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'TimeoutError']);

/** Diagnoses one error. Unrecognised errors keep their code and message so nothing is hidden. */
export function diagnose(error: unknown, ctx: DiagnosisContext): Diagnosis {
  const code = errorCode(error);
  const message = errorMessage(error);
  const role = ctx.roleArn ? `role ${ctx.roleArn}` : 'the role';
  const caller = ctx.callerArn ?? 'the caller';
  const registryEntry = ctx.accountKey ? `the "${ctx.accountKey}" entry of accounts.json` : 'accounts.json';
  const quoted = `${code || 'Error'}: ${message}`;

  if (NO_CREDENTIALS.has(code) || /could not load credentials|unable to load credentials/i.test(message)) {
    if (/expired|refresh/i.test(message)) return expired(quoted);
    return {
      code: 'no-credentials',
      problem: `No AWS credentials were found (${quoted}).`,
      fix: 'Sign in first: run "aws sso login --profile <profile>" and set AWS_PROFILE, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (plus AWS_SESSION_TOKEN for temporary credentials).',
    };
  }
  if (EXPIRED.has(code) || /(token|session).*(expired|has expired)/i.test(message)) return expired(quoted);
  if (INVALID.has(code)) {
    return {
      code: 'invalid-credentials',
      problem: `AWS rejected the credentials of ${caller} (${quoted}).`,
      fix: 'The access key, secret or session token is wrong or was deleted: sign in again (aws sso login) or export a current key pair; an AWS_SESSION_TOKEN left over from an old session also causes this.',
    };
  }
  if (code === 'AccountTimeoutError') {
    return {
      code: 'timeout',
      problem: `Checking ${ctx.accountKey ? `account "${ctx.accountKey}"` : 'the account'} got ${message}; its calls were abandoned.`,
      fix: 'Rerun with a longer --timeout <seconds>, or a lower --concurrency if many accounts are slow at once; a network or endpoint that stops answering also causes this.',
    };
  }
  if (THROTTLED.has(code)) {
    return {
      code: 'throttled',
      problem: `AWS kept throttling the calls for ${ctx.accountKey ? `account "${ctx.accountKey}"` : 'the account'} after the SDK's adaptive retries (${quoted}).`,
      fix: 'Rerun with a lower --concurrency (fewer accounts at once), or later; the request quotas of STS and IAM are per account and region.',
    };
  }
  if (UNREACHABLE.has(code)) {
    return {
      code: 'endpoint-unreachable',
      problem: `The AWS endpoint${ctx.endpoint ? ` ${ctx.endpoint}` : ''} could not be reached (${quoted}).`,
      fix: 'Check the network, or the --endpoint / AWS_ENDPOINT_URL value if you point trust-guard at an emulator.',
    };
  }
  if (code === 'ValidationError' && /DurationSeconds/i.test(message)) {
    const chainLimit = /chaining|1 hour/i.test(message);
    return {
      code: 'session-duration',
      problem: `Assuming ${role} for ${ctx.durationSeconds ?? 'the requested'} seconds was refused: ${chainLimit ? `a chained session is capped at ${CHAINED_SESSION_MAX_SECONDS} seconds` : "it exceeds the role's MaxSessionDuration"} (${quoted}).`,
      fix: chainLimit
        ? `Set maxSessionDurationSeconds of ${registryEntry} to ${CHAINED_SESSION_MAX_SECONDS} or less; sessions reached through the hub role are capped at one hour.`
        : `Lower maxSessionDurationSeconds of ${registryEntry} to the role's MaxSessionDuration, or raise the role's MaxSessionDuration (redeploy the access project) to match the registry.`,
    };
  }
  if (NOT_FOUND.has(code) || /cannot be found|does not exist/i.test(message)) {
    return {
      code: 'role-not-found',
      problem: `${capital(role)} does not exist (${quoted}).`,
      fix: ctx.bootstrap
        ? `Organizations creates it only in accounts it creates; in an invited account create it by hand (trusting the management account), or correct bootstrapRoleName / the accountId of ${registryEntry}.`
        : `Create it by deploying the access project for this account, or correct deployRoleName / accountId in ${registryEntry}.`,
    };
  }
  if (DENIED.has(code) || (ctx.step === 'assume' && /not authorized to perform: sts:AssumeRole/i.test(message))) {
    if (ctx.step !== 'assume') {
      return {
        code: 'access-denied',
        problem: `${caller} was denied (${quoted}).`,
        fix: "Check the caller's identity policies and any service control policy of the account.",
      };
    }
    const principal = ctx.callerArn ? principalForTrust(ctx.callerArn) : 'the caller';
    const externalHint = ctx.externalId ? ` It also requires sts:ExternalId "${ctx.externalId}"; check the role's condition uses the same value.` : '';
    const where = ctx.hub
      ? 'the hub role\'s trust policy (the identity account\'s hub role, deployed by the access project)'
      : ctx.bootstrap
        ? "the bootstrap role's trust policy (Organizations makes it trust the management account; trust the hub role there before running the access project)"
        : `the role's trust policy (trustedPrincipals of ${registryEntry}, then deploy the access project)`;
    return {
      code: 'access-denied',
      problem: `${caller} may not assume ${role} (${quoted}).`,
      fix:
        `Add ${principal} to ${where}, ` +
        `and let ${principal} call sts:AssumeRole on ${ctx.roleArn ?? 'the role'} in its identity policy.${ctx.callerArn ? rolePathHint(ctx.callerArn) : ''}${externalHint} ` +
        'If the role was deleted, AWS answers AccessDenied too: check it exists.',
    };
  }
  return {
    code: 'unknown-error',
    problem: `${ctx.step === 'assume' ? `Assuming ${role}` : ctx.step === 'verify' ? `Verifying the session of ${role}` : 'Reading the caller identity'} failed (${quoted}).`,
    fix: 'Run the same call with the AWS CLI (aws sts assume-role ...) to see the full error; this is not a failure trust-guard recognises.',
  };
}

function expired(quoted: string): Diagnosis {
  return {
    code: 'expired-token',
    problem: `The credentials have expired (${quoted}).`,
    fix: 'Refresh them: run "aws sso login" for an SSO profile, or get a new session token; unset a stale AWS_SESSION_TOKEN.',
  };
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Diagnosis for credentials that work but act in another account than the registry says. */
export function wrongAccount(expectedAccountId: string, actualAccountId: string, actualArn: string, ctx: { roleArn: string; accountKey: string }): Diagnosis {
  return {
    code: 'wrong-account',
    problem: `Assuming ${ctx.roleArn} gave ${actualArn} in account ${actualAccountId}, not the registry's account ${expectedAccountId}.`,
    fix: `Correct accountId of the "${ctx.accountKey}" entry of accounts.json, or check that --endpoint / AWS_ENDPOINT_URL points at the right partition.`,
  };
}
