import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each moto-backed file starts its own moto_server; running files one after another keeps the two
    // shared cores free for the emulator and the child processes the CLI tests start.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The AWS SDK prints a Node 20 end-of-support notice on first use; the CLI hides it, so do the tests.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
