import { rulePolicy } from './rule-policy';

/** Reports the analyzer's `trust-federation-unbounded` findings on IAM roles and policies. */
export const trustFederationUnbounded = rulePolicy('trust-federation-unbounded');
