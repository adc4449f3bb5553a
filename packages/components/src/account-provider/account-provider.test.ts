import { describe, expect, it } from 'vitest';
import { sampleRegistry } from '../../test/fixtures';
import { recordProgram } from '../testing/record-program';
import { createAccountProvider } from './account-provider';
import { getAccount } from '@trustline/registry';

const registry = sampleRegistry();
const TAGS = (key: string, env: string) => ({ tags: { 'trustline:account': key, 'trustline:environment': env, 'managed-by': 'trustline' } });

async function providerProps(make: () => unknown) {
  const { resources } = await recordProgram({ project: 'components', stack: 'test', program: () => void make() });
  const providers = resources.filter((r) => r.type === 'pulumi:providers:aws');
  expect(providers).toHaveLength(1);
  return { name: providers[0].name, props: providers[0].props, inputs: providers[0].inputs };
}

/** What a two-hop provider into `accountId` carries: the hub hop for `key`, then `target`, and the account's tags. */
const chainProps = (key: string, accountId: string, region: string, target: Record<string, string>) => ({
  region,
  allowedAccountIds: [accountId],
  assumeRoles: [{ roleArn: 'arn:aws:iam::012345678901:role/trustline-hub', sessionName: `trustline-hub-${key}`, duration: '3600s' }, { ...target, duration: '3600s' }],
  defaultTags: TAGS(key, key),
});

describe('createAccountProvider', () => {
  const cases: Array<[string, () => unknown, Record<string, unknown>]> = [
    [
      'deploy chain into dev: hub role, then the deploy role',
      () => createAccountProvider('dev', { registry, account: getAccount(registry, 'dev') }),
      chainProps('dev', '111111111111', 'eu-west-1', { roleArn: 'arn:aws:iam::111111111111:role/trustline-deploy', sessionName: 'trustline-deploy-dev' }),
    ],
    [
      'deploy chain into prod carries the external id on the deploy hop only',
      () => createAccountProvider('prod', { registry, account: getAccount(registry, 'prod'), target: 'deploy' }),
      chainProps('prod', '333333333333', 'eu-west-1', { roleArn: 'arn:aws:iam::333333333333:role/trustline-deploy', sessionName: 'trustline-deploy-prod', externalId: 'trustline-prod-7f3c9a1e' }),
    ],
    [
      'bootstrap chain ends in the Organizations role, with a region override',
      () => createAccountProvider('prod-bootstrap', { registry, account: getAccount(registry, 'prod'), target: 'bootstrap', region: 'us-east-1' }),
      chainProps('prod', '333333333333', 'us-east-1', { roleArn: 'arn:aws:iam::333333333333:role/OrganizationAccountAccessRole', sessionName: 'trustline-bootstrap-prod' }),
    ],
  ];
  it.each(cases)('%s', async (_name, make, expected) => {
    const { props } = await providerProps(make);
    // skip* flags are the aws provider's own defaults, never set by the factory.
    expect(props).toEqual({ ...expected, skipCredentialsValidation: false, skipRegionValidation: true });
  });

  it('without a hub role, assumes the deploy role directly, for at most one hour', async () => {
    const noHub = sampleRegistry((r) => {
      delete (r.identity as { hubRoleName?: string }).hubRoleName;
      r.accounts[0].maxSessionDurationSeconds = 7200;
    });
    const { props } = await providerProps(() => createAccountProvider('dev', { registry: noHub, account: getAccount(noHub, 'dev') }));
    expect(props.assumeRoles).toEqual([{ roleArn: 'arn:aws:iam::111111111111:role/trustline-deploy', sessionName: 'trustline-deploy-dev', duration: '3600s' }]);
  });

  it('sends config JSON-encoded, as the engine and a policy pack see it', async () => {
    const { inputs } = await providerProps(() => createAccountProvider('dev', { registry, account: getAccount(registry, 'dev') }));
    expect(inputs.allowedAccountIds).toBe('["111111111111"]');
    expect(typeof inputs.assumeRoles).toBe('string');
  });
});
