import type { PolicyResource, StackValidationPolicy } from '@pulumi/policy';
import type { AccountRegistry } from '@trustline/registry';
import { loadRegistryFor } from '../registry';
import { ACCESS_PROJECT, accountsForProject, chainAccountProblem } from '../stack/provider-account';
import { AWS_PROVIDER_TYPE, isDefaultProvider, projectOfUrn } from '../stack/providers';

export { ACCESS_PROJECT, accountsForProject };

/** One violation: the message and the resource it is about. */
export interface StackViolation {
  readonly message: string;
  readonly urn: string;
}

/** The project of a stack's resources (from their URNs), and the accounts it may deploy into. */
export function stackProject(resources: readonly PolicyResource[], registry: AccountRegistry): { readonly project: string; readonly target: ReturnType<typeof accountsForProject> } | undefined {
  const project = resources.map((r) => projectOfUrn(r.urn)).find((p) => p !== undefined);
  return project ? { project, target: accountsForProject(registry, project) } : undefined;
}

/**
 * Every AWS resource of a per-account stack must use an explicit `pulumi:providers:aws` whose role chain
 * ends in that stack's account. A default provider uses whatever credentials the shell has, which is how
 * a stack silently deploys into the wrong account.
 */
export function checkProviderPerAccount(resources: readonly PolicyResource[], registry: AccountRegistry): StackViolation[] | undefined {
  const scope = stackProject(resources, registry);
  if (!scope?.target) return undefined;
  const { project, target } = scope;
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
        message: `${r.type} "${r.name}" uses the default AWS provider "${p.name}", which deploys with whatever credentials the shell has: the stack does not disable default providers. Pass the account's provider explicitly ({ provider }) so it deploys into ${target.label}, and set pulumi:disable-default-providers to ["aws"] in the project's Pulumi.yaml (config: pulumi:disable-default-providers: value: [aws]) so a forgotten provider fails.`,
      });
      continue;
    }
    const problem = chainAccountProblem(`${r.type} "${r.name}" uses provider "${p.name}", which`, p.props, project, target);
    if (problem) out.push({ urn: r.urn, message: problem });
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
