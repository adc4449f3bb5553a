import { IAMClient } from '@aws-sdk/client-iam';
import { ProblemsError } from '@trustline/contract';
import { formatProblem, parsePathsConfig, type PathsConfig } from '@trustline/paths';
import { REGISTRY_FILE, roleChain, type AccountEntry, type AccountRegistry } from '@trustline/registry';
import type { TrustGuardConfig } from '@trustline/trust';
import { analyzeSubjects, loadConfigFile, registryFileOf, withSummary, type Report, type Subject } from '@trustline/trust-guard';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CliIO } from '../cli/io';
import { renderJson, renderText, type ReadError } from '../cli/report';
import { authorizationDetailsSubjects } from '../inputs/detect';
import { assumeChain, diagnoseChainError, callerIdentity, ChainError, clientConfig, sdkStsClient, type AwsTarget, type CallerIdentity } from './aws';
import type { IamClientFactory } from './collect';
import { addBoundaryPolicies, readAuthorizationDetails } from './details';
import { diagnose, type Diagnosis } from './diagnose';
import { driftJson, liveDrift, renderDriftText, type LiveAccountIam, type LiveDrift } from './drift';
import { DEFAULT_SCAN_CONCURRENCY, forEachAccount, progressLines, type PoolOptions } from './pool';
import { checkUsage, formatOption, liveRunOptions, liveSetup, poolOptions, UsageError, type LiveDeps, type LiveRunOptions } from './setup';

/** How a live scan labels an account's subjects (the report's "file"). */
export function accountSource(account: AccountEntry): string {
  return `account ${account.key} (${account.accountId})`;
}

/** An account the scan could not read, with the diagnosis. */
export interface UnreadableAccount {
  readonly account: string;
  readonly source: string;
  readonly diagnosis: Diagnosis;
}

export interface LiveScanResult {
  readonly report: Report;
  readonly unreadable: readonly UnreadableAccount[];
  /** Declared vs live: the scanned accounts' deploy roles, as read, against the registry. */
  readonly drift: LiveDrift;
}

export interface LiveScanOptions extends LiveRunOptions {
  readonly config: TrustGuardConfig;
  /** The `paths` section of `config`, already parsed. @default parsePathsConfig(config.paths) */
  readonly pathsConfig?: PathsConfig;
  readonly now?: Date;
  /** Creates each account's IAM client (tests wrap it to rewrite or fail calls). */
  readonly iam?: IamClientFactory;
}

/** One account's outcome: its subjects and IAM, or why it could not be read. */
type AccountScan = { readonly source: string; readonly subjects: readonly Subject[]; readonly iam: LiveAccountIam } | { readonly unreadable: UnreadableAccount };

/**
 * For each account: assumes the deploy role through the registry's role chain, reads the account's
 * authorization details, and judges every trust and identity policy with the same analysis `check` runs.
 * Then compares the deploy roles, as read, with the registry ({@link liveDrift}), from the same pages.
 */
export async function runLiveScan(options: LiveScanOptions): Promise<LiveScanResult> {
  const { registry, config, credentials, endpoint } = options;
  const sts = options.sts ?? sdkStsClient;
  const accounts = options.accounts ?? registry.accounts;
  const base: AwsTarget = { region: registry.identity.region, ...(endpoint ? { endpoint } : {}) };
  const subjects: Subject[] = [];
  const read: string[] = [];
  const unreadable: UnreadableAccount[] = [];
  const iamRead: LiveAccountIam[] = [];
  const drift = () =>
    liveDrift({
      registry,
      registryFile: registryFileOf(registry) ?? REGISTRY_FILE,
      scanned: accounts,
      read: iamRead,
      failed: unreadable.flatMap((u) => accounts.filter((a) => a.key === u.account).map((account) => ({ account, source: u.source, code: u.diagnosis.code, problem: u.diagnosis.problem }))),
      config: options.pathsConfig ?? parsePathsConfig(config.paths),
      ...(options.now ? { now: options.now } : {}),
    });
  let caller: CallerIdentity;
  try {
    caller = await callerIdentity(base, credentials, sts);
  } catch (error) {
    const diagnosis = diagnose(error, { step: 'credentials', ...(endpoint ? { endpoint } : {}) });
    unreadable.push(...accounts.map((a) => ({ account: a.key, source: accountSource(a), diagnosis })));
    return { report: withSummary([], 0), unreadable, drift: drift() };
  }
  const scans = await forEachAccount<AccountEntry, AccountScan>(
    accounts,
    options.pool ?? {},
    async (account, signal) => {
      const source = accountSource(account);
      const hops = roleChain(registry, account, 'deploy');
      try {
        const assumed = await assumeChain(base, credentials, hops, caller.arn, sts, signal);
        const session = assumed[assumed.length - 1].credentials;
        const iam = (options.iam ?? ((config) => new IAMClient(config)))(clientConfig({ region: account.region, ...(endpoint ? { endpoint } : {}) }, session));
        try {
          const details = await readAuthorizationDetails(iam, { abortSignal: signal });
          const subjects = authorizationDetailsSubjects(details as unknown as Record<string, unknown>, source);
          // Only for the path engine (the trust report judges what GAAD lists): a boundary GAAD left out, as collect fetches it.
          const problems = await addBoundaryPolicies(iam, details, account.accountId, signal);
          // Kept as JSON text, not the SDK's objects, until every account is in: the snapshot reader reads text.
          return { source, subjects, iam: { account, source, gaad: JSON.stringify(details), problems } };
        } finally {
          iam.destroy();
        }
      } catch (error) {
        if (!(error instanceof ChainError)) throw error;
        const diagnosis = diagnoseChainError(error, hops.length, { accountKey: account.key });
        return { unreadable: { account: account.key, source, diagnosis } };
      }
    },
    // The deadline, or reading the account's IAM failed after the chain worked.
    (account, error) => ({
      unreadable: { account: account.key, source: accountSource(account), diagnosis: diagnose(error, { step: 'verify', accountKey: account.key, roleArn: lastRole(registry, account) }) },
    }),
  );
  for (const scan of scans) {
    if ('unreadable' in scan) {
      unreadable.push(scan.unreadable);
    } else {
      subjects.push(...scan.subjects);
      read.push(scan.source);
      iamRead.push(scan.iam);
    }
  }
  const analyzed = analyzeSubjects(subjects, config, { ...(options.now ? { now: options.now } : {}) });
  // An account whose IAM holds nothing to judge still appears in the report, so "no findings" is visible.
  const missing = read.filter((s) => !analyzed.files.some((f) => f.file === s)).map((file) => ({ file, resources: [] }));
  const files = [...analyzed.files, ...missing].sort((a, b) => read.indexOf(a.file) - read.indexOf(b.file));
  return { report: withSummary(files, subjects.length), unreadable, drift: drift() };
}

const lastRole = (registry: AccountRegistry, account: AccountEntry): string => {
  const hops = roleChain(registry, account, 'deploy');
  return hops[hops.length - 1].roleArn;
};

/** What `scanCommand` talks to AWS through (see {@link LiveDeps}); the CLI passes nothing and gets the SDK. */
export interface ScanDeps extends LiveDeps {
  readonly iam?: IamClientFactory;
}

/**
 * `trust-guard scan --live [--account <key>] [--config FILE] [--format text|json] [--endpoint URL] [--registry FILE] [--concurrency N] [--timeout SECONDS]`.
 * Prints the report as `check` does, then the declared-vs-live section (`drift` in JSON). Exit 0 with no
 * mandatory finding (trust or drift), 1 with any, 2 when the usage, configuration or registry is bad, or an
 * account could not be read whole.
 */
export async function scanCommand(argv: string[], io: CliIO, deps: ScanDeps = {}): Promise<number> {
  const usage = checkUsage(io, () => {
    const setup = liveSetup('scan', argv, io, { values: ['config', 'format'], flags: ['live'] });
    if (setup.options.live !== true) {
      throw new UsageError('trust-guard scan: --live is required; scan reads the accounts of the registry through AWS (to judge files, use trust-guard check).');
    }
    const format = formatOption('scan', setup.options);
    const pool: PoolOptions = { ...poolOptions('scan', setup.options, DEFAULT_SCAN_CONCURRENCY), onProgress: progressLines('scan', io.stderr) };
    const configFile = typeof setup.options.config === 'string' ? setup.options.config : undefined;
    const resolved = loadConfigFile(configFile, setup.registry, io.cwd, typeof setup.options.registry === 'string' ? setup.options.registry : undefined);
    if (!resolved.ok) throw new UsageError(`trust-guard scan: ${resolved.error}`);
    let pathsConfig: PathsConfig;
    try {
      pathsConfig = parsePathsConfig(resolved.config.paths, configFile ?? 'trust-guard configuration');
    } catch (e) {
      if (e instanceof ProblemsError) throw new UsageError(`trust-guard scan: ${e.message}`);
      throw e;
    }
    return { setup, format, pool, config: resolved.config, pathsConfig, zone: resolved.zone };
  });
  if (usage === undefined) return EXIT_USAGE;
  const { setup, format, pool, config, pathsConfig, zone } = usage;
  const result = await runLiveScan({ ...liveRunOptions(setup, io, pool, deps), config, pathsConfig, ...(deps.iam ? { iam: deps.iam } : {}) });
  // An account that could not be read fails the run: it is listed in the report (JSON "errors"), and the
  // summary says "could not scan N accounts" instead of "passed".
  const errors: ReadError[] = result.unreadable.map((u) => ({ file: u.source, problem: u.diagnosis.problem, code: u.diagnosis.code, fix: u.diagnosis.fix }));
  const report = { ...result.report, zone };
  const { drift } = result;
  const driftPassed = !drift.failed && drift.report.problems.length === 0;
  io.stdout(format === 'json' ? renderJson(report, errors, { body: driftJson(drift), passed: driftPassed }) : `${renderText(report, errors, 'account')}\n${renderDriftText(drift)}`);
  for (const u of result.unreadable) {
    io.stderr(`trust-guard scan: cannot read ${u.source}: ${u.diagnosis.problem}\n    Fix: ${u.diagnosis.fix}\n`);
  }
  for (const p of drift.faults) io.stderr(`trust-guard scan: ${formatProblem(p)}\n`);
  // What the path engine could not read is an account not read whole, as for trust-guard paths.
  if (result.unreadable.length > 0 || drift.faults.length > 0) return EXIT_USAGE;
  return result.report.summary.mandatory > 0 || drift.failed ? EXIT_FINDINGS : EXIT_OK;
}
