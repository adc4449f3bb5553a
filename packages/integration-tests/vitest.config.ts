import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each moto-backed file starts its own moto_server; running files one after another keeps the two
    // shared cores free for the emulator and the child processes the CLI tests start.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
