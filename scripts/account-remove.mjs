#!/usr/bin/env node
// npm run account:remove -- --name <key> [--force] [--dry-run]
// Wraps `nx g @trustline/workspace-plugin:remove-account` (packages/workspace-plugin/src/generators/remove-account).
import { runGenerator } from './account-cli.mjs';

process.exitCode = runGenerator(
  {
    generator: 'remove-account',
    usage: 'npm run account:remove -- --name <key> [--force] [--dry-run]',
    options: { name: 'key of the account to remove (destroy its stacks first: npx nx run <key>:destroy)' },
    flags: { force: 'also delete project files the generator did not create or that were edited since' },
    required: { name: 'the key of the account to remove, as in accounts.json, e.g. --name qa' },
  },
  process.argv.slice(2),
);
