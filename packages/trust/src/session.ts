import { FindingSink, prepare } from './context';
import type { Finding, TrustGuardConfig } from './types';

/**
 * IAM's bounds for a role's MaxSessionDuration, in seconds: 3600..43200. (900 is only the floor of
 * AssumeRole's DurationSeconds.) https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
 */
export const MIN_SESSION_SECONDS = 3600;
export const MAX_SESSION_SECONDS = 43200;
/** What IAM uses when MaxSessionDuration is not set. */
export const DEFAULT_SESSION_SECONDS = 3600;

/**
 * Rule `trust-max-session-duration`: a role's MaxSessionDuration above the configured maximum. An
 * unset value means IAM's default of one hour. Values IAM would refuse are `trust-malformed`.
 */
export function checkMaxSessionDuration(seconds: number | undefined, config: TrustGuardConfig): Finding[] {
  const out = new FindingSink(prepare(config));
  const value = seconds ?? DEFAULT_SESSION_SECONDS;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_SESSION_SECONDS || value > MAX_SESSION_SECONDS) {
    out.add('trust-malformed', 'MaxSessionDuration', null, undefined, `MaxSessionDuration ${JSON.stringify(value) ?? String(value)} is not a whole number of seconds from ${MIN_SESSION_SECONDS} to ${MAX_SESSION_SECONDS}; IAM refuses it.`);
    return out.findings;
  }
  const max = config.maxSessionDurationSeconds;
  if (value > max) {
    out.add('trust-max-session-duration', 'MaxSessionDuration', null, undefined, `MaxSessionDuration ${value} seconds${seconds === undefined ? " (IAM's default)" : ''} exceeds the configured maximum of ${max} seconds; long sessions outlive revoked access. Set maxSessionDuration to ${max} or less.`);
  }
  return out.findings;
}
