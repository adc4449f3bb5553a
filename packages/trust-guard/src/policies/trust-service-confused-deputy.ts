import { rulePolicy } from './rule-policy';

/** Reports the analyzer's `trust-service-confused-deputy` findings on IAM roles and policies. */
export const trustServiceConfusedDeputy = rulePolicy('trust-service-confused-deputy');
