import { rulePolicy } from './rule-policy';

/** Reports the analyzer's `trust-any-principal` findings on IAM roles and policies. */
export const trustAnyPrincipal = rulePolicy('trust-any-principal');
