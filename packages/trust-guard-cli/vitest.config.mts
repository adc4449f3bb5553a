import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CLI tests start the real bin (tsx compiles on the fly); two cores are shared.
    testTimeout: 30_000,
    // The AWS SDK prints a Node 20 end-of-support notice on first use; the CLI hides it, so do the tests.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
