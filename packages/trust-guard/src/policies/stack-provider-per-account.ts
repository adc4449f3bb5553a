import type { PolicyResource, StackValidationPolicy } from '@pulumi/policy';
import type { AccountRegistry } from '@trustline/registry';
import { loadRegistryFor } from '../registry';
import { AWS_PROVIDER_TYPE, chainEndAccount, isDefaultProvider, projectOfUrn, providerAssumeRoles } from '../stack/providers';

/** Name of the Pulumi project that creates the deploy roles in every account. */
export const ACCESS_PROJECT = 'trustline-access';

/**
 * The accounts a stack of `project` may deploy into: the registry account of the same key, every
 * organization account for the access project, or undefined when the project is not one of ours.
 */
export function accountsForProject(registry: AccountRegistry, project: string): { readonly label: string; readonly ids: readonly string[] } | undefined {
  if (project === ACCESS_PROJECT) {
    return { label: `the organization's accounts (${ACCESS_PROJECT} works in the identity and every registry account)`, ids: [registry.identity.accountId, ...registry.accounts.map((a) => a.accountId)] };
  }
  if (project === registry.identity.key) return { label: `identity account ${registry.identity.accountId}`, ids: [registry.identity.accountId] };
  const entry = registry.accounts.find((a) => a.key === project);
  return entry ? { label: `account "${entry.key}" (${entry.accountId})`, ids: [entry.accountId] } : undefined;
}

/** One violation: the message and the resource it is about. */
export interface StackViolation {
  readonly message: string;
  readonly urn: string;
}

/**
 * Every AWS resource of a per-account stack must use an explicit `pulumi:providers:aws` whose role chain
 * ends in that stack's account. A default provider uses whatever credentials the shell has, which is how
 * a stack silently deploys into the wrong account.
 */
export function checkProviderPerAccount(resources: readonly PolicyResource[], registry: AccountRegistry): StackViolation[] | undefined {
  const project = resources.map((r) => projectOfUrn(r.urn)).find((p) => p !== undefined);
  if (!project) return undefined;
  const target = accountsForProject(registry, project);
  if (!target) return undefined;
  const out: StackViolation[] = [];
  for (const r of resources) {
    if (!r.type.startsWith('aws:')) continue;
    const p = r.provider;
    if (!p || p.type !== AWS_PROVIDER_TYPE) {
      out.push({ urn: r.urn, message: `${r.type} "${r.name}" has no AWS provider. Pass the account's provider explicitly ({ provider }) so it deploys into ${target.label}.` });
      continue;
    }
    if (isDefaultProvider(p)) {
      out.push({
        urn: r.urn,
        message: `${r.type} "${r.name}" uses the default AWS provider "${p.name}", which deploys with whatever credentials the shell has. Pass the account's provider explicitly ({ provider }) so it deploys into ${target.label}.`,
      });
      continue;
    }
    const hops = providerAssumeRoles(p.props);
    if (hops.kind === 'unknown') continue; // Known at update, where the policy runs again.
    if (hops.kind !== 'ok') {
      const why = hops.kind === 'invalid' ? hops.problem : 'it has no assumeRoles';
      out.push({ urn: r.urn, message: `${r.type} "${r.name}" uses provider "${p.name}" whose account cannot be determined: ${why} Give the provider an assumeRoles chain ending in a role in ${target.label}.` });
      continue;
    }
    const end = chainEndAccount(hops.value);
    if (end.kind !== 'ok') {
      const why = end.kind === 'invalid' ? end.problem : 'it has no assumeRoles.';
      out.push({ urn: r.urn, message: `${r.type} "${r.name}" uses provider "${p.name}" whose account cannot be determined: ${why} Give the provider an assumeRoles chain ending in a role in ${target.label}.` });
      continue;
    }
    if (!target.ids.includes(end.value)) {
      out.push({
        urn: r.urn,
        message: `${r.type} "${r.name}" uses provider "${p.name}", which assumes a role in account ${end.value}, but project "${project}" deploys into ${target.label}. Use the provider for this stack's account.`,
      });
    }
  }
  return out;
}

export const stackProviderPerAccount: StackValidationPolicy = {
  name: 'stack-provider-per-account',
  description: "Every AWS resource in a per-account stack uses an explicit AWS provider whose role chain ends in that stack's registry account; no default providers.",
  enforcementLevel: 'mandatory',
  validateStack: (args, reportViolation) => {
    const registry = loadRegistryFor();
    if (registry instanceof Error) {
      reportViolation(`stack-provider-per-account could not be validated: the account registry could not be loaded: ${registry.message}`);
      return;
    }
    const violations = checkProviderPerAccount(args.resources, registry);
    if (violations === undefined) {
      return args.notApplicable(`the stack's project is neither "${ACCESS_PROJECT}" nor an account key in the registry.`);
    }
    for (const v of violations) reportViolation(v.message, v.urn);
  },
};
