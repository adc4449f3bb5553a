import { validateRegistry, type AccountRegistry } from '@trustline/registry';

/** A registry shaped like the repository's sample, kept here so tests don't move when accounts.json does. */
export const REGISTRY_JSON = {
  organizationId: 'o-exampleorg01',
  bootstrapRoleName: 'OrganizationAccountAccessRole',
  environments: ['dev', 'test', 'prod'],
  identity: { key: 'identity', accountId: '012345678901', region: 'eu-west-1', hubRoleName: 'trustline-hub' },
  externalAccounts: [{ name: 'example-monitoring-vendor', accountId: '999999999999' }],
  accounts: [
    {
      key: 'dev',
      accountId: '111111111111',
      environment: 'dev',
      region: 'eu-west-1',
      deployRoleName: 'trustline-deploy',
      trustedPrincipals: ['arn:aws:iam::012345678901:role/trustline-hub', 'arn:aws:iam::012345678901:role/ci/github-actions-deploy'],
      maxSessionDurationSeconds: 3600,
    },
    {
      key: 'prod',
      accountId: '333333333333',
      environment: 'prod',
      region: 'eu-west-1',
      deployRoleName: 'trustline-deploy',
      trustedPrincipals: ['arn:aws:iam::012345678901:role/trustline-hub'],
      externalId: 'trustline-prod-7f3c9a1e',
      maxSessionDurationSeconds: 3600,
    },
  ],
};

export function sampleRegistry(mutate?: (r: typeof REGISTRY_JSON) => void): AccountRegistry {
  const copy = structuredClone(REGISTRY_JSON);
  mutate?.(copy);
  return validateRegistry(copy, 'fixture accounts.json');
}
