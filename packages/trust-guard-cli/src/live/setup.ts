import * as path from 'node:path';
import { getAccount, type AccountEntry, type AccountRegistry } from '@trustline/registry';
import { parseArgs } from '../cli/args';
import type { CliIO } from '../cli/io';
import { loadRegistryFor } from '@trustline/trust-guard';
import { baseCredentials, resolveEndpoint, type Credentials, type StsClientFactory } from './aws';
import { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_SECONDS, type PoolOptions } from './pool';

/** Thrown for bad usage or an unreadable registry; the live commands print it and exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Options both live commands share, parsed and resolved against the caller's cwd and environment. */
export interface LiveSetup {
  readonly registry: AccountRegistry;
  readonly accounts: readonly AccountEntry[];
  readonly endpoint?: string;
  readonly options: Readonly<Record<string, string | true>>;
}

/** What both live runs (doctor, scan --live) take. */
export interface LiveRunOptions {
  readonly registry: AccountRegistry;
  /** Check only these accounts; default every registry account. */
  readonly accounts?: readonly AccountEntry[];
  readonly credentials: Credentials;
  readonly endpoint?: string;
  /**
   * Creates each STS client (tests pass a fake that throws SDK errors).
   * @default the SDK's STSClient
   */
  readonly sts?: StsClientFactory;
  /** Concurrency, per-account deadline and progress (see pool.ts). */
  readonly pool?: PoolOptions;
}

/** What a live command talks to AWS through; the CLI passes nothing and gets the SDK. */
export interface LiveDeps {
  /**
   * Creates each STS client.
   * @default the SDK's STSClient
   */
  readonly sts?: StsClientFactory;
}

/**
 * Runs a live command's usage checks (`liveSetup`, `formatOption`, ...): returns what `check` returns, or
 * prints its {@link UsageError} on stderr and returns undefined, for the command to exit 2.
 */
export function checkUsage<T>(io: CliIO, check: () => T): T | undefined {
  try {
    return check();
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`${e.message}\n`);
    return undefined;
  }
}

/** The {@link LiveRunOptions} of a parsed command line, with the caller's credentials from its environment. */
export function liveRunOptions(setup: LiveSetup, io: CliIO, pool: PoolOptions, deps: LiveDeps): LiveRunOptions {
  return {
    registry: setup.registry,
    accounts: setup.accounts,
    credentials: baseCredentials(io.env),
    pool,
    ...(deps.sts ? { sts: deps.sts } : {}),
    ...(setup.endpoint ? { endpoint: setup.endpoint } : {}),
  };
}

/** Parses `argv` and loads the registry; every problem becomes a {@link UsageError} sentence. */
export function liveSetup(command: string, argv: readonly string[], io: CliIO, spec: { values: readonly string[]; flags: readonly string[] }): LiveSetup {
  let options: Readonly<Record<string, string | true>>;
  let keys: string[];
  try {
    const parsed = parseArgs(argv, { values: ['account', 'endpoint', 'registry', 'concurrency', 'timeout', ...spec.values], flags: spec.flags, repeatable: ['account'] });
    if (parsed.positionals.length > 0) throw new Error(`unexpected argument ${JSON.stringify(parsed.positionals[0])}; ${command} takes options only.`);
    options = parsed.options;
    keys = [...new Set(parsed.lists.account ?? [])];
  } catch (e) {
    throw new UsageError(`trust-guard ${command}: ${(e as Error).message}`);
  }
  const value = (name: string): string | undefined => (typeof options[name] === 'string' ? (options[name] as string) : undefined);
  // Checked before the registry is read, so a typo is reported as itself, not as a later network error.
  const endpoint = resolveEndpoint(value('endpoint'), io.env);
  if (endpoint !== undefined && !isUrl(endpoint)) {
    const source = value('endpoint') !== undefined ? '--endpoint' : 'AWS_ENDPOINT_URL';
    throw new UsageError(`trust-guard ${command}: ${source} ${JSON.stringify(endpoint)} is not a URL (for example http://127.0.0.1:5000).`);
  }
  const file = value('registry');
  const loaded = loadRegistryFor({ ...(file ? { file: path.resolve(io.cwd, file) } : {}), env: io.env, cwd: io.cwd });
  if (loaded instanceof Error) throw new UsageError(`trust-guard ${command}: ${loaded.message}`);
  // --account may repeat: each named account in the order given, once; none means every registry account.
  let accounts: readonly AccountEntry[] = loaded.accounts;
  if (keys.length > 0) {
    try {
      accounts = keys.map((key) => getAccount(loaded, key));
    } catch (e) {
      throw new UsageError(`trust-guard ${command}: --account: ${(e as Error).message}`);
    }
  }
  return { registry: loaded, accounts, options, ...(endpoint ? { endpoint } : {}) };
}

/** An absolute http(s) URL, as the SDK's `endpoint` option needs; anything else fails later as an obscure network error. */
function isUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** `--format`: text (default) or json. */
export function formatOption(command: string, options: Readonly<Record<string, string | true>>): 'text' | 'json' {
  const format = options.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`trust-guard ${command}: --format ${JSON.stringify(format)} is not supported; use "text" or "json".`);
  return format;
}

/**
 * `--concurrency N` (accounts at once, 1 to 256, default `defaultConcurrency`) and `--timeout S`
 * (seconds per account, more than 0 and at most 3600, default {@link DEFAULT_TIMEOUT_SECONDS}).
 */
export function poolOptions(
  command: string,
  options: Readonly<Record<string, string | true>>,
  defaultConcurrency = DEFAULT_CONCURRENCY,
): { concurrency: number; timeoutMs: number } {
  const concurrency = options.concurrency ?? String(defaultConcurrency);
  if (typeof concurrency !== 'string' || !/^[1-9][0-9]*$/.test(concurrency) || Number(concurrency) > 256) {
    throw new UsageError(`trust-guard ${command}: --concurrency ${JSON.stringify(concurrency)} is not a number of accounts to check at once; use a whole number from 1 to 256 (default ${defaultConcurrency}).`);
  }
  const timeout = options.timeout ?? String(DEFAULT_TIMEOUT_SECONDS);
  const seconds = typeof timeout === 'string' && /^[0-9]+(\.[0-9]+)?$/.test(timeout) ? Number(timeout) : NaN;
  if (!(seconds > 0 && seconds <= 3600)) {
    throw new UsageError(`trust-guard ${command}: --timeout ${JSON.stringify(timeout)} is not a per-account deadline; use seconds, more than 0 and at most 3600 (default ${DEFAULT_TIMEOUT_SECONDS}).`);
  }
  return { concurrency: Number(concurrency), timeoutMs: seconds * 1000 };
}
