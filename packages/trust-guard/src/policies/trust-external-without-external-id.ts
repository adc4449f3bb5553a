import { rulePolicy } from './rule-policy';

/** Reports the analyzer's `trust-external-without-external-id` findings on IAM roles and policies. */
export const trustExternalWithoutExternalId = rulePolicy('trust-external-without-external-id');
