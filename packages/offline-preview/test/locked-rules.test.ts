import { SAMPLE_REGISTRY_FILE } from '@trustline/registry';
import { resourcePolicies, stackPolicies } from '@trustline/trust-guard';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPolicies, type EngineResource } from '../src/engine';

beforeAll(() => {
  process.env.TRUSTLINE_REGISTRY = SAMPLE_REGISTRY_FILE;
});

const open = (name: string): EngineResource => ({
  type: 'aws:iam/role:Role',
  name,
  urn: `urn:pulumi:dev::dev::aws:iam/role:Role::${name}`,
  inputs: { assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] }) },
  dependencies: [],
  propertyDependencies: {},
});

const pack = { resourcePolicies: [...resourcePolicies], stackPolicies: [...stackPolicies] };
const KEY = 'trust-any-principal[Principal::AWS::*] in assumeRolePolicy: ';

describe('the pack under the offline engine: a policy pack config cannot lower trust-any-principal', () => {
  it.each([
    ['no configuration', 'open-none', {}, false],
    ['enforcementLevel "advisory"', 'open-advisory', { 'trust-any-principal': { enforcementLevel: 'advisory' } }, false],
    ['enforcementLevel "disabled"', 'open-disabled', { 'trust-any-principal': { enforcementLevel: 'disabled' } }, true],
  ])('%s: one mandatory trust-any-principal violation', async (_name, resource, config, replaced) => {
    const v = await runPolicies([open(resource)], pack, { config });
    const found = v.filter((x) => x.policyName === 'trust-any-principal');
    expect(found.map((x) => [x.enforcementLevel, x.message.startsWith(KEY)])).toEqual([['mandatory', true]]);
    expect(found[0].message.endsWith('Reported by trust-untrusted-account in its place.)')).toBe(replaced);
  });
});
