import { rulePolicy } from './rule-policy';

/** Reports the analyzer's `trust-malformed` findings on IAM roles and policies. */
export const trustMalformed = rulePolicy('trust-malformed');
