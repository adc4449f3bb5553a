import type { PolicyProviderResource, StackValidationPolicy } from '@pulumi/policy';
import { loadRegistryFor } from '../registry';
import { awsProviders } from '../stack/collect';
import { allowedAccountIdsProblem } from '../stack/provider-account';
import { isDefaultProvider } from '../stack/providers';
import { ACCESS_PROJECT, stackProject, type StackViolation } from './stack-provider-per-account';

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

export const stackAllowedAccountIds: StackValidationPolicy = {
  name: 'stack-allowed-account-ids',
  description: 'Every explicit AWS provider of a per-account stack sets allowedAccountIds to exactly the account its assumeRoles chain ends in.',
  enforcementLevel: 'mandatory',
  validateStack: (args, reportViolation) => {
    const registry = loadRegistryFor();
    if (registry instanceof Error) {
      reportViolation(`stack-allowed-account-ids could not be validated: the account registry could not be loaded: ${registry.message}`);
      return;
    }
    if (!stackProject(args.resources, registry)?.target) {
      return args.notApplicable(`the stack's project is neither "${ACCESS_PROJECT}" nor an account key in the registry.`);
    }
    const providers = awsProviders(args.resources);
    if (providers.length === 0) return args.notApplicable('the stack has no AWS provider.');
    for (const v of checkAllowedAccountIds(providers)) reportViolation(v.message, v.urn);
  },
};
