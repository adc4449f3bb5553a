import type { EnforcementLevel, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from '@pulumi/policy';
import { loadRegistryFor } from '../registry';
import { accountsForProject, type ProjectAccounts } from '../stack/provider-account';
import { AWS_PROVIDER_TYPE, isDefaultProvider, projectOfUrn } from '../stack/providers';
import type { PolicyInfo } from './stack-policy';

/**
 * A resource policy that judges each explicit AWS provider (`pulumi:providers:aws`) as the engine
 * registers it. Default providers are left to stack-provider-per-account and
 * `pulumi:disable-default-providers`.
 */
export function explicitProviderPolicy(
  info: PolicyInfo & { readonly enforcementLevel: EnforcementLevel },
  validateProvider: (args: ResourceValidationArgs, reportViolation: ReportViolation) => void,
): ResourceValidationPolicy {
  return {
    name: info.name,
    description: info.description,
    remediationSteps: info.fix,
    enforcementLevel: info.enforcementLevel,
    validateResource: (args, reportViolation) => {
      if (args.type !== AWS_PROVIDER_TYPE || isDefaultProvider(args)) return;
      validateProvider(args, reportViolation);
    },
  };
}

/**
 * The project of the stack a resource `urn` belongs to and the accounts that project may deploy into:
 * undefined when the URN names no project, or one the registry does not know; the Error when the
 * registry cannot be loaded (read only when the URN names a project).
 */
export function projectScopeOfUrn(urn: string): { readonly project: string; readonly target: ProjectAccounts } | undefined | Error {
  const project = projectOfUrn(urn);
  if (!project) return undefined;
  const registry = loadRegistryFor();
  if (registry instanceof Error) return registry;
  const target = accountsForProject(registry, project);
  return target ? { project, target } : undefined;
}
