import type { ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';
import { trustAnyPrincipal } from './trust-any-principal';
import { trustUntrustedAccount } from './trust-untrusted-account';
import { trustExternalWithoutExternalId } from './trust-external-without-external-id';
import { trustNotPrincipal } from './trust-not-principal';
import { trustFederationUnbounded } from './trust-federation-unbounded';
import { trustWildcardAction } from './trust-wildcard-action';
import { trustMalformed } from './trust-malformed';
import { trustAccountRoot } from './trust-account-root';
import { trustServiceConfusedDeputy } from './trust-service-confused-deputy';
import { trustTagSessionBroad } from './trust-tag-session-broad';
import { trustMaxSessionDuration } from './trust-max-session-duration';
import { identityAssumeAnyRole } from './identity-assume-any-role';
import { trustUnverifiableAtPreview } from './trust-unverifiable-at-preview';
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
  trustAnyPrincipal,
  trustUntrustedAccount,
  trustExternalWithoutExternalId,
  trustNotPrincipal,
  trustFederationUnbounded,
  trustWildcardAction,
  trustMalformed,
  trustAccountRoot,
  trustServiceConfusedDeputy,
  trustTagSessionBroad,
  trustMaxSessionDuration,
  identityAssumeAnyRole,
  trustUnverifiableAtPreview,
  providerAccount,
  providerUnverifiableAtPreview,
];

export const stackPolicies: readonly StackValidationPolicy[] = [
  stackProviderPerAccount,
  stackAllowedAccountIds,
  stackChainedSessionDuration,
];
