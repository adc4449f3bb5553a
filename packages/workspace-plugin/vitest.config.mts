import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The fast unit tests (virtual trees, the CLI shells); the end-to-end runs are the e2e target (vitest.e2e.config.mts).
    include: ['test/**/*.spec.ts'],
  },
});
