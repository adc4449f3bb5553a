import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.e2e.test.ts'],
    // The temporary workspace of programs.e2e.test.ts, built once before the files are collected.
    globalSetup: ['test/workspace.setup.ts'],
    // Each file starts real Node processes (the pack, the programs) that type-check TypeScript with
    // ts-node, as the Pulumi CLI runs them. One file at a time keeps the two shared cores for them; the
    // limits are generous because these machines are shared (one access-program run took 214 s at load ~20).
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 1_800_000,
  },
});
