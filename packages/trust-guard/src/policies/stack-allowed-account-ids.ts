import type { PolicyProviderResource } from '@pulumi/policy';
import { awsProviders } from '../stack/collect';
import { allowedAccountIdsProblem } from '../stack/provider-account';
import { isDefaultProvider } from '../stack/providers';
import { NO_AWS_PROVIDER, NOT_A_REGISTRY_PROJECT, registryStackPolicy, stackProject, type StackViolation } from './stack-policy';

/**
 * `allowedAccountIds` makes the provider refuse credentials for any other account, so a mistake in the
 * role chain (or an expired chain falling back to ambient credentials) fails instead of deploying
 * elsewhere. It must be exactly the account the chain ends in. Default providers are left to
 * stack-provider-per-account, which reports each resource on them once; a provider without a readable
 * chain is reported there and by provider-account.
 */
export function checkAllowedAccountIds(providers: readonly PolicyProviderResource[]): StackViolation[] {
  const out: StackViolation[] = [];
  for (const p of providers) {
    if (isDefaultProvider(p)) continue;
    const problem = allowedAccountIdsProblem(`AWS provider "${p.name}"`, p.props);
    if (problem) out.push({ urn: p.urn, message: problem });
  }
  return out;
}

export const stackAllowedAccountIds = registryStackPolicy(
  {
    name: 'stack-allowed-account-ids',
    description: 'Every explicit AWS provider of a per-account stack sets allowedAccountIds to exactly the account its assumeRoles chain ends in.',
    fix: 'Set the provider\'s allowedAccountIds to exactly the account its assumeRoles chain ends in (allowedAccountIds: ["<that account id>"]).',
  },
  (resources, registry) => {
    if (!stackProject(resources, registry)) return NOT_A_REGISTRY_PROJECT;
    const providers = awsProviders(resources);
    return providers.length === 0 ? NO_AWS_PROVIDER : checkAllowedAccountIds(providers);
  },
);
