import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each case runs Nx (project graph, affected) in a scratch repository; two cores are shared.
    testTimeout: 180_000,
  },
});
