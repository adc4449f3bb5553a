import { FindingSink, prepare } from './context';
import { judgeSessionDuration } from './rules/trust-max-session-duration';
import { reportSessionDurationRefused } from './rules/trust-malformed';
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
    reportSessionDurationRefused(value, MIN_SESSION_SECONDS, MAX_SESSION_SECONDS, out);
    return out.findings;
  }
  judgeSessionDuration(value, seconds === undefined, config.maxSessionDurationSeconds, out);
  return out.findings;
}
