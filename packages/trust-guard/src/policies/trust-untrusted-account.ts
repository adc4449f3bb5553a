import { rulePolicy } from './rule-policy';

/** Reports the analyzer's `trust-untrusted-account` findings on IAM roles and policies. */
export const trustUntrustedAccount = rulePolicy('trust-untrusted-account');
