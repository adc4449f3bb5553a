import { rulePolicy } from './rule-policy';

/** Reports the analyzer's `trust-max-session-duration` findings on IAM roles and policies. */
export const trustMaxSessionDuration = rulePolicy('trust-max-session-duration');
