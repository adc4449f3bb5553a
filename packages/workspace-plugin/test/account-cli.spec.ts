import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from './helpers';

/**
 * scripts/account-add.mjs and account-remove.mjs refuse bad command lines themselves, before Nx starts:
 * each case below exits 2 without running Nx (an Nx run would print "NX" and take seconds).
 */
function cli(script: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(WORKSPACE_ROOT, 'scripts', script), ...args], {
    cwd: WORKSPACE_ROOT,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, npm_config_dry_run: 'true' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const ADD_USAGE = 'Usage: npm run account:add -- --name <key> --accountId <12 digits> [--environment <env>] [--region <region>] [--dry-run]';
const REMOVE_USAGE = 'Usage: npm run account:remove -- --name <key> [--force] [--dry-run]';
const ADD_ALLOWED = 'allowed: --name, --accountId, --environment, --region, --dry-run, --skip-install, --skip-graph, --help.';

describe('account:add and account:remove command lines', () => {
  it.each<[string, string, string[], string[]]>([
    ['a missing --accountId', 'account-add.mjs', ['--name', 'qa'], ['--accountId is required: the 12-digit AWS account id, e.g. --accountId 012345678901.']],
    [
      'no options at all, listing every missing one',
      'account-add.mjs',
      [],
      [
        '--name is required: the account key (lower-case letters, digits and dashes), e.g. --name qa.',
        '--accountId is required: the 12-digit AWS account id, e.g. --accountId 012345678901.',
      ],
    ],
    ['a missing --accountId with the name given as a positional', 'account-add.mjs', ['qa'], ['--accountId is required: the 12-digit AWS account id, e.g. --accountId 012345678901.']],
    ['an unknown option', 'account-add.mjs', ['--name', 'qa', '--accountId', '044444444444', '--bogus'], [`unknown option "--bogus"; ${ADD_ALLOWED}`]],
    ['an unknown option with a value', 'account-add.mjs', ['--bogus=1', '--name', 'qa'], [`unknown option "--bogus"; ${ADD_ALLOWED}`]],
    ['two unknown options (before the missing ones)', 'account-add.mjs', ['--bogus', '-x', '--bogus'], [`unknown options "--bogus", "-x"; ${ADD_ALLOWED}`]],
    ['a missing --name on remove', 'account-remove.mjs', ['--dry-run'], ['--name is required: the key of the account to remove, as in accounts.json, e.g. --name qa.']],
    [
      "account:add's option on remove",
      'account-remove.mjs',
      ['--name', 'qa', '--accountId', '044444444444'],
      ['unknown option "--accountId"; allowed: --name, --dry-run, --skip-install, --skip-graph, --force, --help.'],
    ],
  ])('refuses %s with exit code 2, before Nx runs', (_title, script, args, messages) => {
    const r = cli(script, args);
    const usage = script === 'account-add.mjs' ? ADD_USAGE : REMOVE_USAGE;
    expect(r.stderr).toBe(`${messages.join('\n')}\n\n${usage}\n`);
    expect(r.stdout).toBe('');
    expect(r.status).toBe(2);
  });

  it('--help lists every option and exits 0', () => {
    const r = cli('account-add.mjs', ['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(ADD_USAGE);
    for (const option of ['--name', '--accountId', '--environment', '--region', '--skipInstall', '--skipGraph', '--dry-run']) {
      expect(r.stdout).toContain(`  ${option}  `);
    }
  });
});

describe('org:init command line', () => {
  it('refuses missing options, listing every one, with exit code 2 before Nx runs', () => {
    const r = cli('org-init.mjs', ['--region', 'us-east-1']);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n\nUsage: ')[0]).toBe(
      [
        '--organizationId is required: the AWS Organizations id, e.g. --organizationId o-a1b2c3d4e5.',
        '--identityAccountId is required: the identity account id, e.g. --identityAccountId 123456789012.',
        '--account is required at least once: key:accountId:environment[:region], e.g. --account web-dev:123456789012:dev.',
      ].join('\n'),
    );
  });

  it('refuses an --account that is not key:accountId[:environment[:region]]', () => {
    const r = cli('org-init.mjs', ['--organizationId', 'o-a1b2c3d4e5', '--identityAccountId', '123456789012', '--region', 'us-east-1', '--account', 'web']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--account "web" must be key:accountId[:environment[:region]], e.g. --account web-dev:123456789012:dev.');
  });
});
