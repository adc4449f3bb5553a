import { roleChain, type AccountEntry, type AccountRegistry, type ChainTarget } from '@trustline/registry';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CliIO } from '../cli/io';
import { assumeChain, diagnoseChainError, callerIdentity, ChainError, sdkStsClient, type AwsTarget, type CallerIdentity, type Credentials, type StsClientFactory } from './aws';
import { diagnose, wrongAccount, type Diagnosis } from './diagnose';
import { forEachAccount, progressLines } from './pool';
import { checkUsage, formatOption, liveRunOptions, liveSetup, poolOptions, type LiveDeps, type LiveRunOptions } from './setup';

/** The result for one registry account. */
export interface DoctorRow {
  readonly account: string;
  readonly accountId: string;
  /** The role the chain ends in. */
  readonly roleArn: string;
  /** The identity the final credentials act as (sts:GetCallerIdentity), when the chain got that far. */
  readonly assumedIdentity?: string;
  readonly ok: boolean;
  readonly diagnosis?: Diagnosis;
}

export interface DoctorResult {
  /** The caller's identity, or the diagnosis of why there is none. */
  readonly caller: CallerIdentity | { readonly diagnosis: Diagnosis };
  readonly rows: readonly DoctorRow[];
}

export interface DoctorOptions extends LiveRunOptions {
  /**
   * Which role each chain ends in: the deploy role, or the Organizations bootstrap role (`--bootstrap`),
   * which exists before the access project has created any deploy role.
   * @default 'deploy'
   */
  readonly target?: ChainTarget;
}

/** What `doctorCommand` talks to AWS through (see {@link LiveDeps}). */
export type DoctorDeps = LiveDeps;

/**
 * For each account: performs the same role chain the account's provider configures (`roleChain`), then
 * checks the final credentials act in the registry's account. Never throws for AWS errors: each one
 * becomes a diagnosis on its row.
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorResult> {
  const { registry, credentials, endpoint } = options;
  const sts = options.sts ?? sdkStsClient;
  const accounts = options.accounts ?? registry.accounts;
  const target = options.target ?? 'deploy';
  const base: AwsTarget = { region: registry.identity.region, ...(endpoint ? { endpoint } : {}) };

  let caller: CallerIdentity;
  try {
    caller = await callerIdentity(base, credentials, sts);
  } catch (error) {
    const diagnosis = diagnose(error, { step: 'credentials', ...(endpoint ? { endpoint } : {}) });
    return {
      caller: { diagnosis },
      rows: accounts.map((a) => ({ account: a.key, accountId: a.accountId, roleArn: lastHop(registry, a, target).roleArn, ok: false, diagnosis })),
    };
  }

  const rows = await forEachAccount(
    accounts,
    options.pool ?? {},
    (account, signal) => checkAccount(registry, account, target, base, credentials, caller, sts, signal),
    (account, error) => ({
      account: account.key,
      accountId: account.accountId,
      roleArn: lastHop(registry, account, target).roleArn,
      ok: false,
      diagnosis: diagnose(error, { step: 'assume', accountKey: account.key, roleArn: lastHop(registry, account, target).roleArn, ...(endpoint ? { endpoint } : {}) }),
    }),
  );
  return { caller, rows };
}

function lastHop(registry: AccountRegistry, account: AccountEntry, target: ChainTarget) {
  const hops = roleChain(registry, account, target);
  return hops[hops.length - 1];
}

async function checkAccount(
  registry: AccountRegistry,
  account: AccountEntry,
  chainTarget: ChainTarget,
  base: AwsTarget,
  credentials: Credentials,
  caller: CallerIdentity,
  sts: StsClientFactory,
  signal: AbortSignal,
): Promise<DoctorRow> {
  const hops = roleChain(registry, account, chainTarget);
  const target = hops[hops.length - 1];
  const row = { account: account.key, accountId: account.accountId, roleArn: target.roleArn };
  const ctxBase = { accountKey: account.key, ...(chainTarget === 'bootstrap' ? { bootstrap: true } : {}), ...(base.endpoint ? { endpoint: base.endpoint } : {}) };
  let final: Credentials;
  try {
    const assumed = await assumeChain(base, credentials, hops, caller.arn, sts, signal);
    final = assumed[assumed.length - 1].credentials;
  } catch (error) {
    // Anything else (the deadline, a bug) becomes the row's diagnosis in runDoctor's `fail`.
    if (!(error instanceof ChainError)) throw error;
    const diagnosis = diagnoseChainError(error, hops.length, ctxBase);
    return { ...row, ok: false, diagnosis };
  }
  let identity: CallerIdentity;
  try {
    identity = await callerIdentity({ region: account.region, ...(base.endpoint ? { endpoint: base.endpoint } : {}) }, final, sts, signal);
  } catch (error) {
    return { ...row, ok: false, diagnosis: diagnose(error, { ...ctxBase, step: 'verify', roleArn: target.roleArn }) };
  }
  if (identity.account !== account.accountId) {
    return { ...row, assumedIdentity: identity.arn, ok: false, diagnosis: wrongAccount(account.accountId, identity.account, identity.arn, { roleArn: target.roleArn, accountKey: account.key }) };
  }
  return { ...row, assumedIdentity: identity.arn, ok: true };
}

/** A plain-text table: one line per account, then each failure's problem and fix. */
export function renderDoctor(result: DoctorResult): string {
  const lines: string[] = [];
  if ('diagnosis' in result.caller) {
    lines.push(`Caller: none (${result.caller.diagnosis.code})`);
  } else {
    lines.push(`Caller: ${result.caller.arn} (account ${result.caller.account})`);
  }
  lines.push('');
  const header = ['ACCOUNT', 'ROLE', 'ASSUMED IDENTITY', 'RESULT'];
  const body = result.rows.map((r) => [`${r.account} (${r.accountId})`, r.roleArn, r.assumedIdentity ?? '-', r.ok ? 'ok' : `FAILED: ${r.diagnosis?.code ?? 'unknown-error'}`]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  lines.push(fmt(header), ...body.map(fmt));
  // The same failure (a hub hop, missing credentials) is said once, naming every account it hits.
  const groups = new Map<string, { accounts: string[]; diagnosis: Diagnosis }>();
  for (const r of result.rows) {
    if (r.ok || !r.diagnosis) continue;
    const key = `${r.diagnosis.problem}\u0000${r.diagnosis.fix}`;
    const group = groups.get(key) ?? { accounts: [], diagnosis: r.diagnosis };
    group.accounts.push(r.account);
    groups.set(key, group);
  }
  for (const { accounts, diagnosis } of groups.values()) {
    lines.push('', `${accounts.join(', ')}: ${diagnosis.problem}`, `    Fix: ${diagnosis.fix}`);
  }
  const okCount = result.rows.filter((r) => r.ok).length;
  lines.push('', `${okCount} of ${result.rows.length} account${result.rows.length === 1 ? '' : 's'} ok.`);
  return `${lines.join('\n')}\n`;
}

/**
 * `trust-guard doctor [--account <key>]... [--bootstrap] [--endpoint URL] [--registry FILE] [--format text|json] [--concurrency N] [--timeout SECONDS]`.
 * Exit 0 when every checked account is ok, 1 when any is not, 2 for bad usage or an unreadable registry.
 * `deps` is for tests; the CLI calls it with `argv` and `io` only.
 */
export async function doctorCommand(argv: string[], io: CliIO, deps: DoctorDeps = {}): Promise<number> {
  const usage = checkUsage(io, () => {
    const setup = liveSetup('doctor', argv, io, { values: ['format'], flags: ['bootstrap'] });
    return { setup, format: formatOption('doctor', setup.options), pool: { ...poolOptions('doctor', setup.options), onProgress: progressLines('doctor', io.stderr) } };
  });
  if (usage === undefined) return EXIT_USAGE;
  const { setup, format, pool } = usage;
  const result = await runDoctor({ ...liveRunOptions(setup, io, pool, deps), target: setup.options.bootstrap === true ? 'bootstrap' : 'deploy' });
  io.stdout(format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderDoctor(result));
  return result.rows.every((r) => r.ok) && !('diagnosis' in result.caller) ? EXIT_OK : EXIT_FINDINGS;
}
