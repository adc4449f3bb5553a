import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CLI tests start the real bin (tsx compiles on the fly); two cores are shared.
    testTimeout: 30_000,
  },
});
