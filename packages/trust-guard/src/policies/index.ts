import type { ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';
import { RULE_IDS } from '@trustline/trust';
import { rulePolicy } from './rule-policy';
import { providerAccount } from './provider-account';
import { providerUnverifiableAtPreview } from './provider-unverifiable-at-preview';
import { stackProviderPerAccount } from './stack-provider-per-account';
import { stackAllowedAccountIds } from './stack-allowed-account-ids';
import { stackChainedSessionDuration } from './stack-chained-session-duration';

/**
 * The pack's policies, listed explicitly (index.ts at the package root builds the PolicyPack from these).
 * Importing this module has no side effects, so the offline preview can run the pack in-process.
 */
export const resourcePolicies: readonly ResourceValidationPolicy[] = [
  // One policy per trust-library rule (packages/trust/src/rules), in the rule list's order.
  ...RULE_IDS.map(rulePolicy),
  providerAccount,
  providerUnverifiableAtPreview,
];

export const stackPolicies: readonly StackValidationPolicy[] = [
  stackProviderPerAccount,
  stackAllowedAccountIds,
  stackChainedSessionDuration,
];
