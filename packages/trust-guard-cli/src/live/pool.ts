/**
 * Runs the live commands' per-account work with bounded concurrency and a per-account deadline, and
 * gives every account a result: its own, or the one `fail` makes of its timeout or unexpected error.
 */

/** How the live commands pace their accounts (`--concurrency`, `--timeout`). */
export interface PoolOptions {
  /** Accounts worked on at once. @default {@link DEFAULT_CONCURRENCY} */
  readonly concurrency?: number;
  /** Deadline for one account's whole chain of calls, in milliseconds. @default {@link DEFAULT_TIMEOUT_SECONDS} s */
  readonly timeoutMs?: number;
  /** Called after each account with how many are done, in completion order. */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Eight accounts at once: STS and IAM answer in tens of milliseconds, so eight keep a 200-account run
 * well under a minute, while staying far below the per-account STS and IAM request quotas that
 * throttling (retried adaptively, see aws.ts) would otherwise slow down.
 */
export const DEFAULT_CONCURRENCY = 8;
/**
 * `scan --live` reads every account's whole IAM (GetAccountAuthorizationDetails: large pages that also
 * cost client CPU to parse) two accounts at a time by default, which read 50 emulated accounts in 1.3 s
 * against moto; pass --concurrency for more.
 */
export const DEFAULT_SCAN_CONCURRENCY = 2;
/**
 * `collect` reads four accounts at a time by default: each account's GetAccountAuthorizationDetails pages
 * cost client CPU to parse and write, so more only queue on two cores (figures in the README, "trust-guard
 * collect").
 */
export const DEFAULT_COLLECT_CONCURRENCY = 4;
/** An account's chain (two or three STS calls and the IAM pages) that is not done in a minute is stuck. */
export const DEFAULT_TIMEOUT_SECONDS = 60;

/** An account whose work did not finish within the deadline; the work is aborted. */
export class AccountTimeoutError extends Error {
  override name = 'AccountTimeoutError';
  constructor(readonly seconds: number) {
    super(`no answer within the ${seconds} s per-account deadline (--timeout)`);
  }
}

/**
 * Calls `run` for every item, at most `concurrency` at a time, each with an AbortSignal that fires at
 * its deadline; resolves with the results in the items' order. A run that misses its deadline or
 * throws gets `fail(item, error)` (an {@link AccountTimeoutError} for a missed deadline) instead, so
 * one bad account never hides the others.
 */
export async function forEachAccount<T, R>(
  items: readonly T[],
  options: PoolOptions,
  run: (item: T, signal: AbortSignal) => Promise<R>,
  fail: (item: T, error: unknown) => R,
): Promise<R[]> {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_SECONDS * 1000;
  const results = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  const one = async (item: T): Promise<R> => {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new AccountTimeoutError(Math.round(timeoutMs / 100) / 10);
        controller.abort(error);
        reject(error);
      }, timeoutMs);
    });
    try {
      return await Promise.race([run(item, controller.signal), deadline]);
    } catch (error) {
      return fail(item, controller.signal.aborted ? controller.signal.reason : error);
    } finally {
      clearTimeout(timer);
    }
  };
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await one(items[i]);
      options.onProgress?.(++done, items.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/**
 * Progress lines for stderr: for runs of at least `minimum` accounts, one line every twentieth of the
 * run (at least every 25 accounts) and one at the end. Small runs print nothing.
 */
export function progressLines(command: string, write: (line: string) => void, minimum = 25): (done: number, total: number) => void {
  return (done, total) => {
    if (total < minimum) return;
    const step = Math.max(25, Math.ceil(total / 20));
    if (done % step === 0 || done === total) write(`trust-guard ${command}: ${done}/${total} accounts done\n`);
  };
}
