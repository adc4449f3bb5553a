import * as path from 'node:path';
import { analyzeSubjects, loadConfigFile, loadRegistryFor, type ConfigResult, type Subject } from '@trustline/trust-guard';
import { readInput } from '../inputs/read';
import { parseArgs } from './args';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CliIO } from './io';
import { renderJson, renderText, type ReadError } from './report';

export const CHECK_USAGE = `Usage: trust-guard check [--config FILE] [--registry FILE] [--format text|json] FILE...

Judges the IAM trust and identity policies in each FILE. A FILE may be:
  - a single IAM policy document (a trust policy when a statement names a Principal),
  - the output of \`pulumi preview --json\`,
  - the output of \`pulumi stack export\`,
  - the output of \`aws iam get-account-authorization-details\`.

Options:
  --config FILE     trust-guard configuration (JSON): trustedAccounts, organizationId,
                    externalAccounts, rules, maxSessionDurationSeconds, exemptions.
                    When it names any of trustedAccounts, organizationId or externalAccounts,
                    all three come from it and the registry's are not used (never merged);
                    otherwise all three come from the account registry.
  --registry FILE   account registry (default: $TRUSTLINE_REGISTRY, else the nearest accounts.json).
  --format FORMAT   text (default) or json (schemaVersion 1, see the README).

Relative paths resolve against the directory the command was run in ($INIT_CWD under npx/npm).

Exit status: 0 no mandatory finding, 1 at least one mandatory finding,
2 bad usage, bad configuration, or a FILE that cannot be read or recognised (the
readable FILEs are still reported; JSON lists the others in "errors").
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
  const errors: ReadError[] = [];
  const empty: string[] = [];
  for (const file of args.positionals) {
    const detection = readInput(file, io.cwd);
    if (!detection.ok) {
      errors.push({ file, problem: detection.problem });
      continue;
    }
    formats.set(file, detection.format);
    if (detection.subjects.length === 0) empty.push(file);
    subjects.push(...detection.subjects);
  }
  // An unreadable FILE does not hide the others: every readable one is reported, then the run exits 2.
  if (errors.length > 0) io.stderr(`${errors.map((e) => `trust-guard: cannot read ${shownPath(e.file, io.cwd)}: ${e.problem}.`).join('\n')}\n`);

  const report = { ...analyzeSubjects(subjects, config.config, { formats }), zone: config.zone };
  // Files without any IAM document still appear, so the report shows everything that was read.
  const withEmpty = empty.length === 0 ? report : { ...report, files: orderLike(args.positionals, [...report.files, ...empty.map((file) => ({ file, format: formats.get(file), resources: [] }))]), summary: { ...report.summary, files: report.summary.files + empty.length } };
  io.stdout(format === 'json' ? renderJson(withEmpty, errors) : renderText(withEmpty, errors, 'file'));
  if (errors.length > 0) return EXIT_USAGE;
  return withEmpty.summary.mandatory > 0 ? EXIT_FINDINGS : EXIT_OK;
}

/** A FILE as given and, when relative, the absolute path it resolved to (npx runs in another directory). */
export function shownPath(file: string, cwd: string): string {
  const absolute = path.resolve(cwd, file);
  return absolute === file ? file : `${file} (${absolute})`;
}

function orderLike<T extends { file: string }>(order: readonly string[], items: readonly T[]): T[] {
  return [...items].sort((a, b) => order.indexOf(a.file) - order.indexOf(b.file));
}

function loadCheckConfig(configFile: string | true | undefined, registryFile: string | true | undefined, io: CliIO): ConfigResult {
  const registry = loadRegistryFor({ file: typeof registryFile === 'string' ? registryFile : undefined, env: io.env, cwd: io.cwd });
  return loadConfigFile(typeof configFile === 'string' ? configFile : undefined, registry, io.cwd, typeof registryFile === 'string' ? registryFile : undefined);
}
