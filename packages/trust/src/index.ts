/**
 * @trustline/trust: the pure trust-policy analyzer. Parse, normalise, classify principals, judge
 * conditions. No Pulumi, no AWS SDK, no I/O: the components, the policy pack and the CLI all call it.
 */
export * from './types';
export * from './model';
export { normalizePolicy } from './normalize';
export { isObj } from './values';
export { ACCOUNT_ID, ORGANIZATION_ID, accountIdProblem } from './account-id';
export { classifyPrincipal, principalAccount, principalJson, principalStanding, accountRootArn, type PrincipalStanding, type AccountSets } from './principals';
export { accountSets } from './context';
export { namesPrincipals } from './bounds';
export { TRUST_ACTIONS, ALL_TRUST_ACTIONS, ASSUME_ROLE, ASSUME_ROLE_WITH_WEB_IDENTITY, ASSUME_ROLE_WITH_SAML, actionBits } from './actions';
export { conditionLabel, likeMatches, keyName, arnAccount } from './conditions';
export { ISSUERS, federationProblem, providerLabel, type IssuerInfo, type FederationProblem } from './federation';
export {
  RULE_LIST,
  RULE_IDS,
  RULES,
  DEFAULT_ENFORCEMENT,
  severityFor,
  isExemptable,
  unverifiableAtPreview,
  type RuleInfo,
  type RuleSource,
  type UnknownDocument,
} from './rules';
export { analyzeTrustPolicy, trustEdges, type TrustEdge, type TrustPolicyContext } from './analyze';
export { analyzeIdentityPolicy } from './identity';
export { policyDocumentKind, type PolicyDocumentKind } from './kind';
export { checkMaxSessionDuration, MIN_SESSION_SECONDS, MAX_SESSION_SECONDS, DEFAULT_SESSION_SECONDS } from './session';
export { accountIdField, externalIdPatternsField } from './config';
export {
  parseConfig,
  ConfigError,
  trustGuardConfigSchema,
  trustGuardConfigContract,
  DEFAULT_MAX_SESSION_SECONDS,
  LOCKED_RULES,
  lockedRuleReason,
} from './config';
export { applyExemptions, exemptionActive, expiredExemptionNote, type ResourceRef, type ExemptionResult, type ExemptableFinding, type ExemptionOf } from './exemptions';
export { MIN_REASON_LENGTH, exemptionFields, isIsoDate } from './config';
