import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadRegistry } from '@trustline/registry';
import { loadConfigFile, loadRegistryFor, resolveConfig, resolveConfigKept } from '../src/config';
import { TEST_REGISTRY } from './helpers';

const registry = loadRegistryFor({ file: TEST_REGISTRY });
// Identity first, then the target accounts by key (dev, prod, test).
const SAMPLE_ACCOUNTS = ['012345678901', '111111111111', '333333333333', '222222222222'];
const VENDOR = { accountId: '999999999999', name: 'example-monitoring-vendor' };

function configFile(json: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-guard-config-'));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'cfg.json');
  fs.writeFileSync(file, JSON.stringify(json));
  return file;
}

describe('the zone of trust comes from one place: the registry, or the configuration, never merged', () => {
  it('without account keys in the configuration: the registry file, all three', () => {
    const r = resolveConfig({ maxSessionDurationSeconds: 7200 }, registry, 'cfg.json');
    expect(r.ok && r.zone).toEqual({ trustedAccounts: SAMPLE_ACCOUNTS, organizationId: 'o-exampleorg01', externalAccounts: [VENDOR], from: { kind: 'registry', file: TEST_REGISTRY } });
    expect(r.ok && r.config.maxSessionDurationSeconds).toBe(7200);
  });

  it('trustedAccounts alone replaces the registry wholesale: no organization, no vendors from the registry', () => {
    const r = resolveConfig({ trustedAccounts: ['444444444444'] }, registry, 'cfg.json');
    expect(r.ok && r.zone).toEqual({ trustedAccounts: ['444444444444'], externalAccounts: [], from: { kind: 'config', file: 'cfg.json' } });
    expect(r.ok && r.config.organizationId).toBeUndefined();
    expect(r.ok && r.config.externalAccounts).toEqual([]);
  });

  it('organizationId alone replaces the registry wholesale too: no trusted accounts from the registry', () => {
    const r = resolveConfig({ organizationId: 'o-abcdefghij' }, registry, 'cfg.json');
    expect(r.ok && r.zone).toEqual({ trustedAccounts: [], organizationId: 'o-abcdefghij', externalAccounts: [], from: { kind: 'config', file: 'cfg.json' } });
  });

  it('without a registry, the configuration names the accounts', () => {
    const r = resolveConfig({ trustedAccounts: ['444444444444'], organizationId: 'o-abcdefghij' }, new Error('no accounts.json here.'), 'cfg.json');
    expect(r.ok && r.zone).toEqual({ trustedAccounts: ['444444444444'], organizationId: 'o-abcdefghij', externalAccounts: [], from: { kind: 'config', file: 'cfg.json' } });
  });

  it('--config naming accounts together with an explicit --registry is refused, naming both', () => {
    const file = configFile({ trustedAccounts: ['444444444444'], organizationId: 'o-abcdefghij' });
    expect(loadConfigFile(file, registry, '/', 'accounts.json')).toEqual({
      ok: false,
      error: `${file} sets trustedAccounts, organizationId, and --registry accounts.json was given too; the accounts, organization and vendors come from one place, never merged: drop --registry to judge with the configuration's, or remove trustedAccounts, organizationId from ${file} to judge with the registry's.`,
    });
    // without account keys, --registry and --config go together
    const other = configFile({ maxSessionDurationSeconds: 7200 });
    expect(loadConfigFile(other, registry, '/', 'accounts.json')).toMatchObject({ ok: true, zone: { from: { kind: 'registry', file: TEST_REGISTRY } } });
  });
});

describe('resolveConfigKept: resolved once per registry that cannot change', () => {
  const plain = () => JSON.parse(JSON.stringify(loadRegistry(TEST_REGISTRY))) as ReturnType<typeof loadRegistry>;
  it.each<[string, () => Parameters<typeof resolveConfigKept>[1], boolean]>([
    ['a frozen registry (loadRegistry): kept', () => loadRegistry(TEST_REGISTRY), true],
    ["loadRegistryFor's registry: kept", () => loadRegistryFor({ file: TEST_REGISTRY }), true],
    ['a load error: kept', () => new Error('no registry here'), true],
    ['a plain object that may still change: resolved each time', plain, false],
  ])('%s', (_name, make, keptOnce) => {
    const r = make();
    const first = resolveConfigKept({ maxSessionDurationSeconds: 7200 }, r, 'cfg.json');
    expect(first).toEqual(resolveConfig({ maxSessionDurationSeconds: 7200 }, r, 'cfg.json'));
    expect(resolveConfigKept({ maxSessionDurationSeconds: 7200 }, r, 'cfg.json') === first).toBe(keptOnce);
    // Other overrides or another source: resolved on their own, never the first result.
    expect(resolveConfigKept({ maxSessionDurationSeconds: 3600 }, r, 'cfg.json')).not.toBe(first);
    expect(resolveConfigKept({ maxSessionDurationSeconds: 7200 }, r, 'other.json')).not.toBe(first);
  });

  it('a plain registry changed in place is resolved again, with the new account', () => {
    const r = plain();
    const before = resolveConfigKept(undefined, r, 'x');
    expect(before.ok && before.zone.trustedAccounts).not.toContain('444444444444');
    (r.accounts as unknown as object[]).push({ ...r.accounts[0], key: 'extra', accountId: '444444444444' });
    const after = resolveConfigKept(undefined, r, 'x');
    expect(after.ok && after.zone.trustedAccounts).toContain('444444444444');
  });

  it('an error names the source it was asked with', () => {
    const r = new Error('no registry here');
    expect(resolveConfigKept('nope', r, 'a.json')).toMatchObject({ ok: false, error: expect.stringContaining('a.json') });
    expect(resolveConfigKept('nope', r, 'b.json')).toMatchObject({ ok: false, error: expect.stringContaining('b.json') });
  });
});
