import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadRegistry } from '@trustline/registry';
import { describe, expect, it } from 'vitest';
import { removeWhenDone } from './helpers';
import { runIn, workspaceCopy } from './workspace-copy';

/**
 * End to end: `npm run org:init` in a copy of this workspace holding the sample organization, then the
 * tests of the registry, the access project and the new account projects, and `npm start`, all on the
 * new organization. Slow (Nx, npm, tsc, vitest, the preview).
 */
const TIMEOUT = 900_000;

describe('npm run org:init, end to end', () => {
  it(
    'replaces the sample organization with two new accounts; their tests, the registry, access and offline-preview tests and npm start pass',
    () => {
      const copy = workspaceCopy();
      removeWhenDone(copy);
      const init = runIn(
        copy,
        'npm',
        [
          'run', 'org:init', '--',
          '--organizationId', 'o-a1b2c3d4e5',
          '--identityAccountId', '123456789012',
          '--region', 'us-east-1',
          '--hubRoleName', 'platform-hub',
          '--environments', 'dev,prod',
          '--account', 'web-dev:012345678912:dev',
          '--account', 'web-prod:210987654321:prod:eu-central-1',
        ],
        TIMEOUT,
      );
      expect(init.status, init.output).toBe(0);
      expect(init.output).toContain('Removing accounts: dev (111111111111), prod (333333333333), test (222222222222).');
      expect(init.output).toContain('Adopted organization o-a1b2c3d4e5 with 2 account(s).');

      const registry = loadRegistry(path.join(copy, 'accounts.json'));
      expect(registry.organizationId).toBe('o-a1b2c3d4e5');
      expect(registry.identity).toEqual({ key: 'identity', accountId: '123456789012', region: 'us-east-1', hubRoleName: 'platform-hub' });
      expect(registry.accounts.map((a) => [a.key, a.accountId, a.environment, a.region])).toEqual([
        ['web-dev', '012345678912', 'dev', 'us-east-1'],
        ['web-prod', '210987654321', 'prod', 'eu-central-1'],
      ]);
      expect(registry.externalAccounts).toEqual([]);
      expect(fs.readdirSync(path.join(copy, 'projects')).sort()).toEqual(['web-dev', 'web-prod']);
      const lock = JSON.parse(fs.readFileSync(path.join(copy, 'package-lock.json'), 'utf8')).packages;
      expect(lock['projects/web-dev']?.name).toBe('@trustline/account-web-dev');
      expect(lock['projects/dev']).toBeUndefined();
      expect(fs.readFileSync(path.join(copy, 'Pulumi.identity.yaml'), 'utf8')).toContain('aws:region: us-east-1');

      // offline-preview's e2e target holds its npm start runs on the live registry (now the new organization).
      const checks = runIn(
        copy,
        'bash',
        ['scripts/nx.sh', 'run-many', '-t', 'test', 'typecheck', 'e2e', '-p', 'web-dev', 'web-prod', 'access', 'registry', 'offline-preview', '--excludeTaskDependencies', '--skipNxCache', '--outputStyle=static'],
        TIMEOUT,
      );
      expect(checks.status, checks.output).toBe(0);
      expect(checks.output).toContain('Successfully ran targets test, typecheck, e2e for 5 projects');
      expect(checks.output).toContain('offline-preview:e2e');

      const start = runIn(copy, 'npm', ['start', '--', '--graph'], TIMEOUT);
      expect(start.status, start.output).toBe(0);
      expect(start.output).toMatch(/^web-dev: passed/m);
      expect(start.output).toMatch(/^web-prod: passed/m);
      expect(start.output).not.toMatch(/^(dev|test|prod): /m);
      expect(start.output).toContain('offline-preview: trust graph is up to date.');
    },
    TIMEOUT,
  );
});
