import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.e2e.test.ts'],
    // The CLI tests start the real CLI under tsx, which runs every stack under mocks; two cores are shared.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
