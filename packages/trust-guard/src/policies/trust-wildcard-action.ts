import { rulePolicy } from './rule-policy';

/** Reports the analyzer's `trust-wildcard-action` findings on IAM roles and policies. */
export const trustWildcardAction = rulePolicy('trust-wildcard-action');
