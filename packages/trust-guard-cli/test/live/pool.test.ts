import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/live/diagnose';
import { AccountTimeoutError, forEachAccount, progressLines } from '../../src/live/pool';
import { poolOptions, UsageError } from '../../src/live/setup';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('forEachAccount', () => {
  it('keeps at most `concurrency` accounts in flight and returns results in account order, whatever order they finish in', async () => {
    let active = 0;
    let most = 0;
    const finished: number[] = [];
    const results = await forEachAccount(
      [40, 5, 30, 1, 20, 2, 10],
      { concurrency: 3 },
      async (ms) => {
        most = Math.max(most, ++active);
        await sleep(ms);
        active--;
        finished.push(ms);
        return `done ${ms}`;
      },
      () => 'failed',
    );
    expect(results).toEqual(['done 40', 'done 5', 'done 30', 'done 1', 'done 20', 'done 2', 'done 10']);
    expect(most).toBe(3);
    expect(finished).not.toEqual([40, 5, 30, 1, 20, 2, 10]);
  });

  it('gives an account that misses its deadline a timeout result, aborts its calls, and still runs the others', async () => {
    const signals = new Map<string, AbortSignal>();
    const results = await forEachAccount(
      ['fast', 'stuck', 'also-fast'],
      { concurrency: 2, timeoutMs: 50 },
      async (key, signal) => {
        signals.set(key, signal);
        if (key === 'stuck') await new Promise(() => undefined);
        return `${key}: ok`;
      },
      (key, error) => `${key}: ${(error as Error).name}: ${(error as Error).message}`,
    );
    expect(results).toEqual(['fast: ok', 'stuck: AccountTimeoutError: no answer within the 0.1 s per-account deadline (--timeout)', 'also-fast: ok']);
    expect(signals.get('stuck')?.aborted).toBe(true);
    expect(signals.get('fast')?.aborted).toBe(false);
  });

  it('turns an account whose work throws into its failure result, not a failed run', async () => {
    const results = await forEachAccount(
      ['a', 'b'],
      {},
      async (key) => {
        if (key === 'a') throw new Error('GetAccountAuthorizationDetails: InternalFailure');
        return 'b: ok';
      },
      (key, error) => `${key}: ${(error as Error).message}`,
    );
    expect(results).toEqual(['a: GetAccountAuthorizationDetails: InternalFailure', 'b: ok']);
  });

  it('reports progress after every account', async () => {
    const seen: string[] = [];
    await forEachAccount([1, 2, 3], { onProgress: (done, total) => seen.push(`${done}/${total}`) }, async (n) => n, () => 0);
    expect(seen).toEqual(['1/3', '2/3', '3/3']);
  });
});

describe('progressLines', () => {
  it('says nothing for small runs, and every 25 accounts plus the end for large ones', () => {
    const lines: string[] = [];
    const progress = progressLines('doctor', (line) => lines.push(line));
    for (let i = 1; i <= 3; i++) progress(i, 3);
    expect(lines).toEqual([]);
    for (let i = 1; i <= 60; i++) progress(i, 60);
    expect(lines).toEqual(['trust-guard doctor: 25/60 accounts done\n', 'trust-guard doctor: 50/60 accounts done\n', 'trust-guard doctor: 60/60 accounts done\n']);
  });
});

describe('poolOptions', () => {
  it('defaults to 8 accounts at once and 60 s per account', () => {
    expect(poolOptions('doctor', {})).toEqual({ concurrency: 8, timeoutMs: 60_000 });
    expect(poolOptions('scan', { concurrency: '32', timeout: '2.5' })).toEqual({ concurrency: 32, timeoutMs: 2500 });
    expect(poolOptions('scan', {}, 2)).toEqual({ concurrency: 2, timeoutMs: 60_000 });
  });
  it.each([
    [{ concurrency: '0' }, 'trust-guard doctor: --concurrency "0" is not a number of accounts to check at once; use a whole number from 1 to 256 (default 8).'],
    [{ concurrency: '1000' }, 'trust-guard doctor: --concurrency "1000" is not a number of accounts to check at once; use a whole number from 1 to 256 (default 8).'],
    [{ timeout: '0' }, 'trust-guard doctor: --timeout "0" is not a per-account deadline; use seconds, more than 0 and at most 3600 (default 60).'],
    [{ timeout: '5m' }, 'trust-guard doctor: --timeout "5m" is not a per-account deadline; use seconds, more than 0 and at most 3600 (default 60).'],
  ])('refuses %j', (options, message) => {
    expect(() => poolOptions('doctor', options)).toThrow(new UsageError(message));
  });
});

describe('diagnose: the pool\'s own failures', () => {
  it('names the account and the deadline for a timeout', () => {
    expect(diagnose(new AccountTimeoutError(60), { step: 'assume', accountKey: 'dev' })).toEqual({
      code: 'timeout',
      problem: 'Checking account "dev" got no answer within the 60 s per-account deadline (--timeout); its calls were abandoned.',
      fix: 'Rerun with a longer --timeout <seconds>, or a lower --concurrency if many accounts are slow at once; a network or endpoint that stops answering also causes this.',
    });
  });
  it('says throttling outlasted the adaptive retries', () => {
    const error = Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
    expect(diagnose(error, { step: 'assume', accountKey: 'prod' })).toMatchObject({
      code: 'throttled',
      problem: 'AWS kept throttling the calls for account "prod" after the SDK\'s adaptive retries (Throttling: Rate exceeded).',
    });
  });
});
