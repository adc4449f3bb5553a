export { accountGenerator, templateSubstitutions, TEMPLATES_DIR } from './generators/account/generator';
export {
  DEFAULT_DEPLOY_ROLE_NAME,
  DEFAULT_MAX_SESSION_SECONDS,
  PROJECTS_DIR,
  RESERVED_KEYS,
  RAW_ACCOUNT_ID_ENV,
  normaliseAccountId,
  planOnboarding,
  rawAccountIdCandidates,
  usualDeployRoleName,
  type OnboardingPlan,
  type RawAccountId,
} from './generators/account/plan';
export type { AccountGeneratorSchema } from './generators/account/schema';
export { removeAccountGenerator } from './generators/remove-account/generator';
export type { RemoveAccountGeneratorSchema } from './generators/remove-account/schema';
export { findAccountReference, projectReferences, registryReferences } from './generators/remove-account/references';
export { GRAPH_CLI, GRAPH_COMMAND, LOCKFILE_COMMAND, afterRegistryChange, shell, type AfterRegistryChangeOptions } from './lib/after-registry-change';
export { GeneratorInputError } from './lib/errors';
export { formatJson, PRINT_WIDTH } from './lib/json-format';
export { readRegistryDocument, writeRegistryDocument, withAccounts, type RegistryDocument } from './lib/registry-file';
