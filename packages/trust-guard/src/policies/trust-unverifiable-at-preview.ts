import { rulePolicy } from './rule-policy';

/** Reports the analyzer's `trust-unverifiable-at-preview` findings on IAM roles and policies. */
export const trustUnverifiableAtPreview = rulePolicy('trust-unverifiable-at-preview');
