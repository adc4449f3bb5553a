import { analyzeSubjects } from '../analyze';
import { loadConfigFile, type ConfigResult } from '../config';
import { loadRegistryFor } from '../registry';
import { readInput } from '../inputs/read';
import type { Subject } from '../subjects';
import { parseArgs } from './args';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CliIO } from './io';
import { renderJson, renderText } from './report';

export const CHECK_USAGE = `Usage: trust-guard check [--config FILE] [--registry FILE] [--format text|json] FILE...

Judges the IAM trust and identity policies in each FILE. A FILE may be:
  - a single IAM policy document (a trust policy when a statement names a Principal),
  - the output of \`pulumi preview --json\`,
  - the output of \`pulumi stack export\`,
  - the output of \`aws iam get-account-authorization-details\`.

Options:
  --config FILE     trust-guard configuration (JSON): trustedAccounts, organizationId,
                    externalAccounts, rules, maxSessionDurationSeconds, exemptions.
                    Keys not given default from the account registry.
  --registry FILE   account registry (default: $TRUSTLINE_REGISTRY, else the nearest accounts.json).
  --format FORMAT   text (default) or json (schemaVersion 1, see the README).

Exit status: 0 no mandatory finding, 1 at least one mandatory finding,
2 bad usage, bad configuration, or a FILE that cannot be read or recognised.
`;

/** `trust-guard check`: see {@link CHECK_USAGE}. */
export async function checkCommand(argv: readonly string[], io: CliIO): Promise<number> {
  let args;
  try {
    args = parseArgs(argv, { values: ['config', 'format', 'registry'], flags: ['help'] });
  } catch (e) {
    io.stderr(`trust-guard check: ${(e as Error).message}\n${CHECK_USAGE}`);
    return EXIT_USAGE;
  }
  if (args.options.help) {
    io.stdout(CHECK_USAGE);
    return EXIT_OK;
  }
  const format = args.options.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    io.stderr(`trust-guard check: --format ${JSON.stringify(format)} is not supported; use "text" or "json".\n`);
    return EXIT_USAGE;
  }
  if (args.positionals.length === 0) {
    io.stderr(`trust-guard check: name at least one FILE to check.\n${CHECK_USAGE}`);
    return EXIT_USAGE;
  }

  const config = loadCheckConfig(args.options.config, args.options.registry, io);
  if (!config.ok) {
    io.stderr(`trust-guard: ${config.error}\n`);
    return EXIT_USAGE;
  }

  const subjects: Subject[] = [];
  const formats = new Map<string, string>();
  const problems: string[] = [];
  const empty: string[] = [];
  for (const file of args.positionals) {
    const detection = readInput(file, io.cwd);
    if (!detection.ok) {
      problems.push(`trust-guard: cannot read ${file}: ${detection.problem}.`);
      continue;
    }
    formats.set(file, detection.format);
    if (detection.subjects.length === 0) empty.push(file);
    subjects.push(...detection.subjects);
  }
  if (problems.length > 0) {
    io.stderr(`${problems.join('\n')}\n`);
    return EXIT_USAGE;
  }

  const report = analyzeSubjects(subjects, config.config, { formats });
  // Files without any IAM document still appear, so the report shows everything that was read.
  const withEmpty = empty.length === 0 ? report : { ...report, files: orderLike(args.positionals, [...report.files, ...empty.map((file) => ({ file, format: formats.get(file), resources: [] }))]), summary: { ...report.summary, files: report.summary.files + empty.length } };
  io.stdout(format === 'json' ? renderJson(withEmpty) : renderText(withEmpty));
  return withEmpty.summary.mandatory > 0 ? EXIT_FINDINGS : EXIT_OK;
}

function orderLike<T extends { file: string }>(order: readonly string[], items: readonly T[]): T[] {
  return [...items].sort((a, b) => order.indexOf(a.file) - order.indexOf(b.file));
}

function loadCheckConfig(configFile: string | true | undefined, registryFile: string | true | undefined, io: CliIO): ConfigResult {
  const registry = loadRegistryFor({ file: typeof registryFile === 'string' ? registryFile : undefined, env: io.env, cwd: io.cwd });
  return loadConfigFile(typeof configFile === 'string' ? configFile : undefined, registry, io.cwd);
}
