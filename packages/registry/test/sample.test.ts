import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_REGISTRY_FILE, loadSampleRegistry, sampleRegistryJson, sampleRegistryText } from '../src/sample';
import * as fromIndex from '../src';

describe('the frozen sample registry', () => {
  it('holds exactly the sample accounts, ids as strings', () => {
    const r = loadSampleRegistry();
    expect(r.accounts.map((a) => [a.key, a.accountId, a.environment, a.region, a.externalId])).toEqual([
      ['dev', '111111111111', 'dev', 'eu-west-1', undefined],
      ['prod', '333333333333', 'prod', 'eu-west-1', 'trustline-prod-7f3c9a1e'],
      ['test', '222222222222', 'test', 'eu-central-1', undefined],
    ]);
    expect(r.identity).toEqual({ key: 'identity', accountId: '012345678901', region: 'eu-west-1', hubRoleName: 'trustline-hub' });
    expect(r.organizationId).toBe('o-exampleorg01');
    expect(r.externalAccounts.map((e) => [e.name, e.accountId])).toEqual([['example-monitoring-vendor', '999999999999']]);
  });

  it('points its $schema at the registry schema', () => {
    const schema = path.resolve(path.dirname(SAMPLE_REGISTRY_FILE), sampleRegistryJson().$schema as string);
    expect(schema).toBe(path.resolve(__dirname, '../accounts.schema.json'));
    expect(fs.existsSync(schema)).toBe(true);
  });

  it('hands out independent copies and the exact text', () => {
    const a: any = sampleRegistryJson();
    a.accounts.pop();
    expect((sampleRegistryJson() as any).accounts).toHaveLength(3);
    expect(sampleRegistryText()).toBe(fs.readFileSync(SAMPLE_REGISTRY_FILE, 'utf8'));
  });

  it('is exported from the package entry point as well', () => {
    expect(fromIndex.SAMPLE_REGISTRY_FILE).toBe(SAMPLE_REGISTRY_FILE);
    expect(fromIndex.loadSampleRegistry).toBe(loadSampleRegistry);
  });
});
