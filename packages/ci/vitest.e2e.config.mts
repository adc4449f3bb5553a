import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // scripts/affected-stacks.mjs on a workspace of 1,000 generated accounts (the generator, then Nx's
    // project graph of every project); two cores are shared.
    include: ['test/**/*.e2e.test.ts'],
    testTimeout: 1_200_000,
    hookTimeout: 1_200_000,
  },
});
