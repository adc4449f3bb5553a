#!/usr/bin/env node
// Runs the TypeScript CLI directly (no build step): tsx's CommonJS loader compiles on the fly.
require('tsx/cjs');
// The AWS SDK warns on every run under Node 20 that releases after January 2027 need Node 22. The workspace
// pins SDK versions that support Node 20 and the README says so; keep the CLI's own output readable.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { runCli, processIO } = require('../src/cli/main.ts');
runCli(process.argv.slice(2), processIO()).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`trust-guard: internal error: ${err && err.stack ? err.stack : err}\n`);
    process.exit(2);
  },
);
