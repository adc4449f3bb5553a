import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.e2e.test.ts'],
    // Each file starts real Node processes (the pack, the programs) that compile TypeScript with ts-node;
    // one file at a time keeps the two shared cores for them.
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 240_000,
  },
});
