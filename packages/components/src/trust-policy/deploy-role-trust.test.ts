import { getAccount } from '@trustline/registry';
import { describe, expect, it } from 'vitest';
import { sampleRegistry } from '../../test/fixtures';
import { buildTrustPolicy, trustContextFromRegistry } from './build-trust-policy';
import { deployRoleTrustSpec } from './deploy-role-trust';

const HUB = 'arn:aws:iam::012345678901:role/trustline-hub';
const CI = 'arn:aws:iam::012345678901:role/ci/github-actions-deploy';

describe('deployRoleTrustSpec', () => {
  const registry = sampleRegistry();

  it.each([
    ['dev', { trustedRoleArns: [HUB, CI] }],
    ['prod', { trustedRoleArns: [HUB], externalId: 'trustline-prod-7f3c9a1e' }],
  ])('takes the "%s" entry\'s trusted principals and ExternalId, nothing else', (key, spec) => {
    expect(deployRoleTrustSpec(getAccount(registry, key))).toStrictEqual(spec);
  });

  it('does not share the registry entry\'s array', () => {
    const dev = getAccount(registry, 'dev');
    expect(deployRoleTrustSpec(dev).trustedRoleArns).not.toBe(dev.trustedPrincipals);
  });

  it('builds the deploy role document the access project deploys', () => {
    expect(buildTrustPolicy(deployRoleTrustSpec(getAccount(registry, 'prod')), trustContextFromRegistry(registry))).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'TrustedRoles', Effect: 'Allow', Principal: { AWS: [HUB] }, Action: ['sts:AssumeRole'], Condition: { StringEquals: { 'sts:ExternalId': 'trustline-prod-7f3c9a1e' } } }],
    });
  });
});
