#!/usr/bin/env node
// Runs the TypeScript CLI directly (no build step): tsx's CommonJS loader compiles on the fly.
require('tsx/cjs');
const { runCli, processIO } = require('../src/cli/main.ts');
runCli(process.argv.slice(2), processIO()).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`trust-guard: internal error: ${err && err.stack ? err.stack : err}\n`);
    process.exit(2);
  },
);
