import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The fast tests run the engine in-process; the CLI runs (child processes) are the e2e target (vitest.e2e.config.mts).
    include: ['test/**/*.test.ts'],
    exclude: ['test/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
