import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // `npm run account:add` and `npm run org:init` on copies of the workspace (Nx, npm, tsc, vitest and the
    // preview as child processes); each test sets its own timeout.
    include: ['test/**/*.e2e.test.ts'],
    // Hooks copy the workspace: a limit for two busy cores, not a timing.
    hookTimeout: 300_000,
  },
});
