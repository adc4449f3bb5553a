/**
 * @trustline/trust-guard: the trust-guard policy pack's policies and the `trust-guard` CLI's building
 * blocks. Importing this module has no side effects (the PolicyPack itself is built in ../index.ts).
 */
export { resourcePolicies, stackPolicies } from './policies';
export { evaluateResource, packConfigSchema, JUDGED_TYPES } from './policies/evaluate';
export * from './analyze';
export * from './subjects';
export { registryDefaults, resolveConfig, type ConfigResult, type RegistryDefaults } from './config';
export { loadRegistryFor } from './registry';
export * from './inputs/detect';
export { readInput } from './inputs/read';
export * from './stack/providers';
export { runCli } from './cli/main';
export { processIO, type CliIO, EXIT_OK, EXIT_FINDINGS, EXIT_USAGE } from './cli/io';
export { renderJson, renderText, summaryLine, JSON_SCHEMA_VERSION } from './cli/report';
export { parseArgs, type ParsedArgs } from './cli/args';
