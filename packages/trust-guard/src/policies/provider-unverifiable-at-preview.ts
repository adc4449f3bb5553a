import type { ResourceValidationPolicy } from '@pulumi/policy';
import { loadRegistryFor } from '../registry';
import { accountsForProject, unknownAccountFields } from '../stack/provider-account';
import { AWS_PROVIDER_TYPE, isDefaultProvider, projectOfUrn } from '../stack/providers';

/**
 * The provider counterpart of trust-unverifiable-at-preview: a provider whose role chain or
 * allowedAccountIds is computed from another resource's outputs cannot be judged at preview, so the
 * preview says so instead of passing it. At `pulumi up` the values are known when the engine registers
 * the provider, and provider-account judges it then, before any resource is deployed through it.
 */
export const providerUnverifiableAtPreview: ResourceValidationPolicy = {
  name: 'provider-unverifiable-at-preview',
  description: 'An AWS provider whose assumeRoles, assumeRole or allowedAccountIds is unknown at preview, so the account it deploys into cannot be verified until update.',
  enforcementLevel: 'advisory',
  validateResource: (args, reportViolation) => {
    if (args.type !== AWS_PROVIDER_TYPE || isDefaultProvider(args)) return;
    const unknown = unknownAccountFields(args.props);
    if (unknown.length === 0) return;
    const project = projectOfUrn(args.urn);
    const registry = loadRegistryFor();
    const target = project && !(registry instanceof Error) ? accountsForProject(registry, project) : undefined;
    const fields = unknown.join(' and ');
    const verb = unknown.length === 1 ? 'is' : 'are';
    const then = target ? ` provider-account checks it at update, before any resource is deployed through it, against ${target.label}.` : '';
    reportViolation(
      `AWS provider "${args.name}": ${fields} ${verb} not known at preview (computed from another resource's outputs), so the account it deploys into cannot be verified until update.${then} To check it at preview, build the chain from values known before deployment (the registry's role ARNs and account ids).`,
    );
  },
};
