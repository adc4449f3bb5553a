import { rulePolicy } from './rule-policy';

/** Reports the analyzer's `trust-tag-session-broad` findings on IAM roles and policies. */
export const trustTagSessionBroad = rulePolicy('trust-tag-session-broad');
