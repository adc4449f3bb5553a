import { unknownAccountFields } from '../stack/provider-account';
import { explicitProviderPolicy, projectScopeOfUrn } from './provider-policy';

/**
 * The provider counterpart of trust-unverifiable-at-preview: a provider whose role chain or
 * allowedAccountIds is computed from another resource's outputs cannot be judged at preview, so the
 * preview says so instead of passing it. At `pulumi up` the values are known when the engine registers
 * the provider, and provider-account judges it then, before any resource is deployed through it.
 */
export const providerUnverifiableAtPreview = explicitProviderPolicy(
  {
    name: 'provider-unverifiable-at-preview',
    description: 'An AWS provider whose assumeRoles, assumeRole or allowedAccountIds is unknown at preview, so the account it deploys into cannot be verified until update.',
    enforcementLevel: 'advisory',
    fix: "Build the provider's role chain and allowedAccountIds from values known before deployment (the registry's role ARNs and account ids), or rely on provider-account, which judges the provider at pulumi up before anything is deployed through it.",
  },
  (args, reportViolation) => {
    const unknown = unknownAccountFields(args.props);
    if (unknown.length === 0) return;
    const scope = projectScopeOfUrn(args.urn);
    // Without the registry the advisory still stands; it only loses the account it will be checked against.
    const target = scope instanceof Error ? undefined : scope?.target;
    const fields = unknown.join(' and ');
    const verb = unknown.length === 1 ? 'is' : 'are';
    const then = target ? ` provider-account checks it at update, before any resource is deployed through it, against ${target.label}.` : '';
    reportViolation(
      `AWS provider "${args.name}": ${fields} ${verb} not known at preview (computed from another resource's outputs), so the account it deploys into cannot be verified until update.${then} To check it at preview, build the chain from values known before deployment (the registry's role ARNs and account ids).`,
    );
  },
);
