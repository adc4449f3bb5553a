import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The 1,000-account matrix run is the e2e target (vitest.e2e.config.mts).
    exclude: ['test/**/*.e2e.test.ts'],
    // Each case runs Nx (project graph, affected) in a scratch repository; two cores are shared.
    testTimeout: 180_000,
    // Hooks copy the workspace or build scratch git histories (more files with every onboarded account): a limit, not a timing.
    hookTimeout: 180_000,
  },
});
