import type { PolicyResource } from '@pulumi/policy';
import type { AccountRegistry } from '@trustline/registry';
import { chainAccountProblem } from '../stack/provider-account';
import { AWS_PROVIDER_TYPE, isDefaultProvider } from '../stack/providers';
import { NOT_A_REGISTRY_PROJECT, registryStackPolicy, stackProject, type StackViolation } from './stack-policy';

/**
 * Every AWS resource of a per-account stack must use an explicit `pulumi:providers:aws` whose role chain
 * ends in that stack's account. A default provider uses whatever credentials the shell has, which is how
 * a stack silently deploys into the wrong account.
 */
export function checkProviderPerAccount(resources: readonly PolicyResource[], registry: AccountRegistry): StackViolation[] | undefined {
  const scope = stackProject(resources, registry);
  if (!scope) return undefined;
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

export const stackProviderPerAccount = registryStackPolicy(
  {
    name: 'stack-provider-per-account',
    description: "Every AWS resource in a per-account stack uses an explicit AWS provider whose role chain ends in that stack's registry account; no default providers.",
    fix: 'Pass the account\'s provider to the resource explicitly ({ provider }), and keep pulumi:disable-default-providers set to ["aws"] in the project\'s Pulumi.yaml so a forgotten provider fails.',
  },
  (resources, registry) => checkProviderPerAccount(resources, registry) ?? NOT_A_REGISTRY_PROJECT,
);
