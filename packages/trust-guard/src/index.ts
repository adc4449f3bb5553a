/**
 * @trustline/trust-guard: the trust-guard policies (resource and stack) and the glue that turns Pulumi
 * resources and registry data into documents for the analyzer. Importing it has no side effects: the
 * PolicyPack that serves these policies is built by the pack package in policies/trust-guard.
 */
export { resourcePolicies, stackPolicies } from './policies';
export { evaluateResource, packConfigSchema, JUDGED_TYPES } from './policies/evaluate';
export { findingOfViolation } from './policies/rule-policy';
export * from './analyze';
export * from './subjects';
export { ACCOUNT_KEYS, loadConfigFile, registryDefaults, resolveConfig, resolveConfigKept, type ConfigResult, type RegistryDefaults, type TrustZone } from './config';
export { declaredFrom, loadRegistryFor, registryAccountNames, registryFileOf } from './registry';
export * from './stack/providers';
export { ENGINE_UNKNOWN, UNKNOWN_SENTINELS, containsUnknown } from './unknown';
export { createStaging, outProblem, type SnapshotDirWriter, type Staging } from './snapshot-dir';
