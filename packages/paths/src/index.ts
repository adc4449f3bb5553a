/**
 * @trustline/paths: the organization-wide access-path engine. Pure: no Pulumi, no AWS SDK, no I/O.
 * The snapshot readers, the path rules and `trust-guard paths` call it.
 */
export * from './types';
export * from './engine';
export * from './snapshot';
export * from './rules';
export { parsePathsConfig, pathsConfigContract } from './rules/config';
export { selectTargets, type Target, type TargetSelection } from './targets';
export { DRIFT_RULE_IDS, driftReport, type DeployRoleDrift, type DriftEdge, type DriftOptions, type DriftReport } from './drift';
export { analyseSnapshot, entryOf, runProblems, type AnalyseOptions, type Analysis } from './analyse';
export { ROLE_ARN_PARTS, entryText, hasMandatory, jsonPath, pathsJson, renderPathsText, roleLabel, type PathsReport } from './report';
