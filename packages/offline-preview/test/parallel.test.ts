import { describe, expect, it } from 'vitest';
import { MIN_STACKS_PER_WORKER } from '../src/options';
import { defaultWorkers } from '../src/parallel';

describe('defaultWorkers', () => {
  it.each([
    // stacks, cores, workers
    [4, 2, 0],
    [2 * MIN_STACKS_PER_WORKER - 1, 2, 0],
    [2 * MIN_STACKS_PER_WORKER, 2, 2],
    [1001, 2, 2],
    [1001, 8, 8],
    [3 * MIN_STACKS_PER_WORKER, 8, 3],
    [1001, 1, 0],
  ])('%i stacks on %i cores: %i worker threads (0 runs them in the main thread)', (stacks, cores, workers) => {
    expect(defaultWorkers(stacks, cores)).toBe(workers);
  });
});
