import * as path from 'node:path';
import { analyzeSubjects, loadConfigFile, loadRegistryFor, withSummary, type ConfigResult, type FileReport, type Subject } from '@trustline/trust-guard';
import { readInput, STDIN, type InputRead } from '../inputs/read';
import { parseArgs } from './args';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CliIO } from './io';
import { renderJson, renderText, type ReadError } from './report';
import { renderSarif } from './sarif';

export const CHECK_USAGE = `Usage: trust-guard check [--config FILE] [--registry FILE] [--format text|json|sarif] FILE...

Judges the IAM trust and identity policies in each FILE. A FILE may be:
  - a single IAM policy document (a trust policy when a statement names a Principal),
  - the output of \`pulumi preview --json\`,
  - the output of \`pulumi stack export\`,
  - the output of \`aws iam get-account-authorization-details\`.
A FILE of - is read from standard input. Files are UTF-8 (with or without a byte-order mark) or
UTF-16; a key repeated in one object, or nesting deeper than 512 levels, makes a file unreadable.

Options:
  --config FILE     trust-guard configuration (JSON): trustedAccounts, organizationId,
                    externalAccounts, rules, maxSessionDurationSeconds, exemptions.
                    When it names any of trustedAccounts, organizationId or externalAccounts,
                    all three come from it and the registry's are not used (never merged);
                    otherwise all three come from the account registry.
  --registry FILE   account registry (default: $TRUSTLINE_REGISTRY, else the nearest accounts.json).
  --format FORMAT   text (default), json (schemaVersion 1, see the README) or sarif
                    (SARIF 2.1.0 for code scanning: one result per finding, with the
                    line and column of the statement or principal in the FILE).

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
  if (format !== 'text' && format !== 'json' && format !== 'sarif') {
    io.stderr(`trust-guard check: --format ${JSON.stringify(format)} is not supported; use "text", "json" or "sarif".\n`);
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
  const files: FileReport[] = [];
  const inputs = new Map<string, Extract<InputRead, { ok: true }>>();
  for (const file of args.positionals) {
    const detection = readInput(file, io.cwd, { stdin: io.stdin, positions: format === 'sarif' });
    if (!detection.ok) {
      errors.push({ file, problem: detection.problem, ...(detection.position ? { position: detection.position } : {}) });
      continue;
    }
    // One file's subjects are judged apart from the others', so whatever one file trips on is its own error.
    let judged: readonly FileReport[];
    try {
      judged = analyzeSubjects(detection.subjects, config.config, { formats: new Map([[file, detection.format]]) }).files;
    } catch (e) {
      errors.push({ file, problem: `it could not be judged (${(e as Error).message})` });
      continue;
    }
    inputs.set(file, detection);
    formats.set(file, detection.format);
    if (detection.subjects.length === 0) empty.push(file);
    subjects.push(...detection.subjects);
    files.push(...judged);
  }
  // An unreadable FILE does not hide the others: every readable one is reported, then the run exits 2.
  if (errors.length > 0) io.stderr(`${errors.map((e) => `trust-guard: cannot read ${shownPath(e.file, io.cwd)}: ${e.problem}.`).join('\n')}\n`);

  const report = { ...withSummary(files, subjects.length), zone: config.zone };
  // Files without any IAM document still appear, so the report shows everything that was read.
  const withEmpty = empty.length === 0 ? report : { ...report, files: orderLike(args.positionals, [...report.files, ...empty.map((file) => ({ file, format: formats.get(file), resources: [] }))]), summary: { ...report.summary, files: report.summary.files + empty.length } };
  io.stdout(
    format === 'json' ? renderJson(withEmpty, errors) : format === 'sarif' ? renderSarif(withEmpty, errors, { cwd: io.cwd, inputs, subjects }) : renderText(withEmpty, errors, 'file'),
  );
  if (errors.length > 0) return EXIT_USAGE;
  return withEmpty.summary.mandatory > 0 ? EXIT_FINDINGS : EXIT_OK;
}

/** A FILE as given and, when relative, the absolute path it resolved to (npx runs in another directory). */
export function shownPath(file: string, cwd: string): string {
  if (file === STDIN) return 'standard input (-)';
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
