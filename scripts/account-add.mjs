#!/usr/bin/env node
// npm run account:add -- --name <key> --accountId <12 digits> [--environment <env>] [--region <region>] [--dry-run]
// Wraps `nx g @trustline/workspace-plugin:account` (packages/workspace-plugin/src/generators/account).
import { runGenerator } from './account-cli.mjs';

process.exitCode = runGenerator(
  {
    generator: 'account',
    usage: 'npm run account:add -- --name <key> --accountId <12 digits> [--environment <env>] [--region <region>] [--dry-run]',
    options: {
      name: 'account key: registry key, Nx project and Pulumi stack name, folder projects/<key>',
      accountId: 'the 12-digit AWS account id (leading zeros are kept)',
      environment: "one of accounts.json's environments (default: the key, when it is one)",
      region: "default region of the account's stacks (default: the identity account's region)",
    },
    required: {
      name: 'the account key (lower-case letters, digits and dashes), e.g. --name qa',
      accountId: 'the 12-digit AWS account id, e.g. --accountId 012345678901',
    },
  },
  process.argv.slice(2),
);
