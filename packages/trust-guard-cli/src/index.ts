/**
 * @trustline/trust-guard-cli: the `trust-guard` command (check, scan --live, doctor) and the live AWS
 * tools behind it. The judgements come from @trustline/trust through @trustline/trust-guard.
 */
export * from './inputs/detect';
export { readInput } from './inputs/read';
export { runCli } from './cli/main';
export { processIO, type CliIO, EXIT_OK, EXIT_FINDINGS, EXIT_USAGE } from './cli/io';
export { renderJson, renderText, summaryLine, JSON_SCHEMA_VERSION } from './cli/report';
export { parseArgs, type ParsedArgs } from './cli/args';
export { doctorCommand, runDoctor } from './live/doctor';
export { scanCommand, type ScanDeps } from './live/scan';
export { collectCommand, runCollect, type CollectDeps, type CollectOptions, type CollectResult } from './live/collect';
export { pathsCommand } from './cli/paths';
