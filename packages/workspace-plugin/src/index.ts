export { accountGenerator, templateSubstitutions, TEMPLATES_DIR } from './generators/account/generator';
export {
  DEFAULT_DEPLOY_ROLE_NAME,
  DEFAULT_MAX_SESSION_SECONDS,
  PROJECTS_DIR,
  RESERVED_KEYS,
  normaliseAccountId,
  planOnboarding,
  usualDeployRoleName,
  type OnboardingPlan,
} from './generators/account/plan';
export type { AccountGeneratorSchema } from './generators/account/schema';
export { removeAccountGenerator } from './generators/remove-account/generator';
export type { RemoveAccountGeneratorSchema } from './generators/remove-account/schema';
export { findAccountReference, projectReferences, registryReferences } from './generators/remove-account/references';
export { GeneratorInputError } from './lib/errors';
export { formatJson, PRINT_WIDTH } from './lib/json-format';
export { readRegistryDocument, writeRegistryDocument, withAccounts, type RegistryDocument } from './lib/registry-file';
