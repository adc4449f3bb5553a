import { describe, expect, it } from 'vitest';
import { MAX_JOBS_PER_MATRIX, MAX_OUTPUT_BYTES, githubOutputs, shardStacks } from '../../../scripts/affected-stacks.mjs';

/**
 * How scripts/affected-stacks.mjs splits the stacks into GitHub Actions jobs (the pure part; the
 * 1,000-account run of the whole script on a generated workspace is matrix-1000.e2e.test.ts).
 */
type Stack = { project: string; stack: string; dir: string };
type Shard = { shard: number; shards: number; name: string; stacks: Stack[] };

const ACCESS: Stack = { project: 'access', stack: 'identity', dir: '.' };
const account = (i: number): Stack => {
  const key = `acct-${String(i).padStart(4, '0')}`;
  return { project: key, stack: key, dir: `projects/${key}` };
};
/** The access project, then `n` accounts, as affectedStacks orders them. */
const stacksOf = (n: number, access = true): Stack[] => [...(access ? [ACCESS] : []), ...Array.from({ length: n }, (_, i) => account(i + 1))];

/** The invariants every matrix must keep, whatever the size. */
function expectValidMatrix(matrix: { include: Shard[] }, stacks: Stack[]): void {
  const jobs = matrix.include;
  expect(jobs.length).toBe(Math.min(MAX_JOBS_PER_MATRIX, stacks.length));
  // Every stack exactly once, in the given order (so the access project stays first).
  expect(jobs.flatMap((j) => j.stacks)).toEqual(stacks);
  const sizes = jobs.map((j) => j.stacks.length);
  if (jobs.length > 0) expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  expect(jobs.map((j) => [j.shard, j.shards])).toEqual(jobs.map((_, i) => [i + 1, jobs.length]));
}

describe('shardStacks', () => {
  it.each([0, 1, 4, 255, 256, 257, 1000, 1003, 10_000])('%i accounts and the access project: at most 256 jobs, every stack once, access first, sizes within one', (n) => {
    const stacks = stacksOf(n);
    const matrix = shardStacks(stacks);
    expectValidMatrix(matrix, stacks);
    expect(matrix.include[0].stacks[0]).toEqual(ACCESS);
  });

  it('gives each stack its own job, named after the stack, while there are at most 256', () => {
    expect(shardStacks(stacksOf(2))).toEqual({
      include: [
        { shard: 1, shards: 3, name: 'identity', stacks: [ACCESS] },
        { shard: 2, shards: 3, name: 'acct-0001', stacks: [account(1)] },
        { shard: 3, shards: 3, name: 'acct-0002', stacks: [account(2)] },
      ],
    });
  });

  it('past 256 stacks, runs several per job and names the job by its first and last stack', () => {
    const matrix = shardStacks(stacksOf(1000));
    // 1,001 stacks over 256 jobs: 233 jobs of 4 and 23 of 3 (floor(i * 1001 / 256) boundaries).
    const sizes = matrix.include.map((j) => j.stacks.length);
    expect([sizes.filter((s) => s === 4).length, sizes.filter((s) => s === 3).length]).toEqual([233, 23]);
    expect(matrix.include[0]).toEqual({ shard: 1, shards: 256, name: 'identity to acct-0002 (3 stacks)', stacks: [ACCESS, account(1), account(2)] });
    expect(matrix.include.at(-1)?.name).toBe('acct-0997 to acct-1000 (4 stacks)');
  });

  it('refuses a job limit that is not a positive integer', () => {
    expect(() => shardStacks(stacksOf(3), 0)).toThrowError('maxJobs 0 must be a positive integer.');
  });
});

describe('githubOutputs', () => {
  it('writes the matrix with the access project, the one without it, and the counts of stacks', () => {
    const { outputs, text } = githubOutputs(stacksOf(300));
    expect(outputs.count).toBe('301');
    expect(outputs['accounts-count']).toBe('300');
    expect(outputs.access).toBe('true');
    expectValidMatrix(JSON.parse(outputs.matrix), stacksOf(300));
    expectValidMatrix(JSON.parse(outputs.accounts), stacksOf(300, false));
    expect(text.split('\n').map((l) => l.slice(0, l.indexOf('=')))).toEqual(['matrix', 'count', 'accounts', 'accounts-count', 'access', '']);
  });

  it('at 1,000 accounts stays far below the 1 MB of a job\'s outputs', () => {
    const { bytes } = githubOutputs(stacksOf(1000));
    expect(bytes).toBeLessThan(MAX_OUTPUT_BYTES / 4);
  });

  it('refuses, naming the size and the limit, outputs that GitHub would cut', () => {
    // Stack names of about 500 bytes, each written in both matrices: about 1.2 MB for 1,001 stacks.
    const long = stacksOf(1000).map((s) => ({ ...s, stack: `${s.stack}-${'x'.repeat(500)}` }));
    expect(() => githubOutputs(long)).toThrowError(
      /^the job outputs for 1001 stacks would be \d+ bytes, over GitHub's limit of 1048576 bytes \(1 MB\) for a job's outputs; /,
    );
  });
});
