import { rulePolicy } from './rule-policy';

/** Reports the analyzer's `trust-not-principal` findings on IAM roles and policies. */
export const trustNotPrincipal = rulePolicy('trust-not-principal');
