import { rulePolicy } from './rule-policy';

/** Reports the analyzer's `trust-account-root` findings on IAM roles and policies. */
export const trustAccountRoot = rulePolicy('trust-account-root');
