import { IAMClient } from '@aws-sdk/client-iam';
import { roleChain, type AccountEntry, type AccountRegistry } from '@trustline/registry';
import type { TrustGuardConfig } from '@trustline/trust';
import { analyzeSubjects, loadConfigFile, withSummary, type Report, type Subject } from '@trustline/trust-guard';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CliIO } from '../cli/io';
import { renderJson, renderText, type ReadError } from '../cli/report';
import { authorizationDetailsSubjects } from '../inputs/detect';
import { assumeChain, diagnoseChainError, callerIdentity, ChainError, clientConfig, sdkStsClient, type AwsTarget, type CallerIdentity } from './aws';
import { readAuthorizationDetails } from './details';
import { diagnose, type Diagnosis } from './diagnose';
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
}

export interface LiveScanOptions extends LiveRunOptions {
  readonly config: TrustGuardConfig;
  readonly now?: Date;
}

/** One account's outcome: its subjects, or why it could not be read. */
type AccountScan = { readonly source: string; readonly subjects: readonly Subject[] } | { readonly unreadable: UnreadableAccount };

/**
 * For each account: assumes the deploy role through the registry's role chain, reads the account's
 * authorization details, and judges every trust and identity policy with the same analysis `check` runs.
 */
export async function runLiveScan(options: LiveScanOptions): Promise<LiveScanResult> {
  const { registry, config, credentials, endpoint } = options;
  const sts = options.sts ?? sdkStsClient;
  const accounts = options.accounts ?? registry.accounts;
  const base: AwsTarget = { region: registry.identity.region, ...(endpoint ? { endpoint } : {}) };
  const subjects: Subject[] = [];
  const read: string[] = [];
  const unreadable: UnreadableAccount[] = [];
  let caller: CallerIdentity;
  try {
    caller = await callerIdentity(base, credentials, sts);
  } catch (error) {
    const diagnosis = diagnose(error, { step: 'credentials', ...(endpoint ? { endpoint } : {}) });
    return { report: withSummary([], 0), unreadable: accounts.map((a) => ({ account: a.key, source: accountSource(a), diagnosis })) };
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
        const iam = new IAMClient(clientConfig({ region: account.region, ...(endpoint ? { endpoint } : {}) }, session));
        try {
          const details = await readAuthorizationDetails(iam, { abortSignal: signal });
          return { source, subjects: authorizationDetailsSubjects(details as unknown as Record<string, unknown>, source) };
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
    }
  }
  const analyzed = analyzeSubjects(subjects, config, { ...(options.now ? { now: options.now } : {}) });
  // An account whose IAM holds nothing to judge still appears in the report, so "no findings" is visible.
  const missing = read.filter((s) => !analyzed.files.some((f) => f.file === s)).map((file) => ({ file, resources: [] }));
  const files = [...analyzed.files, ...missing].sort((a, b) => read.indexOf(a.file) - read.indexOf(b.file));
  return { report: withSummary(files, subjects.length), unreadable };
}

const lastRole = (registry: AccountRegistry, account: AccountEntry): string => {
  const hops = roleChain(registry, account, 'deploy');
  return hops[hops.length - 1].roleArn;
};

/** What `scanCommand` talks to AWS through; the CLI passes nothing and gets the SDK. */
/** What `scanCommand` talks to AWS through (see {@link LiveDeps}). */
export type ScanDeps = LiveDeps;

/**
 * `trust-guard scan --live [--account <key>] [--config FILE] [--format text|json] [--endpoint URL] [--registry FILE] [--concurrency N] [--timeout SECONDS]`.
 * Prints the report as `check` does. Exit 0 with no mandatory finding, 1 with any, 2 when the usage,
 * configuration or registry is bad, or an account could not be read.
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
    return { setup, format, pool, config: resolved.config, zone: resolved.zone };
  });
  if (usage === undefined) return EXIT_USAGE;
  const { setup, format, pool, config, zone } = usage;
  const result = await runLiveScan({ ...liveRunOptions(setup, io, pool, deps), config });
  // An account that could not be read fails the run: it is listed in the report (JSON "errors"), and the
  // summary says "could not scan N accounts" instead of "passed".
  const errors: ReadError[] = result.unreadable.map((u) => ({ file: u.source, problem: u.diagnosis.problem, code: u.diagnosis.code, fix: u.diagnosis.fix }));
  const report = { ...result.report, zone };
  io.stdout(format === 'json' ? renderJson(report, errors) : renderText(report, errors, 'account'));
  for (const u of result.unreadable) {
    io.stderr(`trust-guard scan: cannot read ${u.source}: ${u.diagnosis.problem}\n    Fix: ${u.diagnosis.fix}\n`);
  }
  if (result.unreadable.length > 0) return EXIT_USAGE;
  return result.report.summary.mandatory > 0 ? EXIT_FINDINGS : EXIT_OK;
}
