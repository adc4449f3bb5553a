import { rulePolicy } from './rule-policy';

/** Reports the analyzer's `identity-assume-any-role` findings on IAM roles and policies. */
export const identityAssumeAnyRole = rulePolicy('identity-assume-any-role');
