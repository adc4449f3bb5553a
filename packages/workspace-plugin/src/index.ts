export { accountGenerator, templateSubstitutions, TEMPLATES_DIR } from './generators/account/generator';
export {
  DEFAULT_DEPLOY_ROLE_NAME,
  NEW_ACCOUNT_SESSION_SECONDS,
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
export {
  ACCOUNT_SCOPE_TAG,
  REGISTRY_PACKAGE,
  findAccountReferences,
  referenceProblem,
  registryReferences,
  stripComments,
  workspaceFiles,
  type AccountReference,
  type RemovedAccount,
} from './lib/account-references';
export { removeAccountEdit } from './generators/remove-account/generator';
export { addAccountEdit } from './generators/account/generator';
export {
  GRAPH_CLI,
  GRAPH_COMMAND,
  GRAPH_FILE,
  LOCKFILE,
  LOCKFILE_COMMAND,
  afterRegistryChange,
  graphDraws,
  lockfileRecords,
  shell,
  type AfterRegistryChangeOptions,
  type StepChecks,
} from './lib/after-registry-change';
export { GeneratorInputError } from './lib/errors';
export { formatJson, PRINT_WIDTH } from './lib/json-format';
export { commitRegistryEdit, editRegistryInTree, readRegistryDocument, registryOnDisk, withAccounts, type RegistryDocument } from './lib/registry-file';
export { classifyProjectFiles, filesUnder, renderedProject, type ProjectFiles } from './lib/rendered-project';
export { orgInitGenerator, planOrganization, readOrgSpec, type OrgSpec } from './generators/org-init/generator';
export type { OrgInitGeneratorSchema } from './generators/org-init/schema';
export { useSampleOrganization } from './lib/sample-organization';
