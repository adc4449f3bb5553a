import type { PolicyResource, StackValidationPolicy } from '@pulumi/policy';
import type { AccountRegistry } from '@trustline/registry';
import { loadRegistryFor, registryUnavailable } from '../registry';
import { ACCESS_PROJECT, accountsForProject, type ProjectAccounts } from '../stack/provider-account';
import { projectOfUrn } from '../stack/providers';

/** One violation: the message and the resource it is about. */
export interface StackViolation {
  readonly message: string;
  readonly urn: string;
}

/**
 * What a stack check found: its violations; or why the policy does not apply to the stack (Pulumi shows
 * the reason); or a stack-level problem that kept it from judging the stack.
 */
export type StackVerdict = readonly StackViolation[] | { readonly notApplicable: string } | { readonly problem: string };

/** Not applicable: the stack belongs to neither the access project nor a registry account. */
export const NOT_A_REGISTRY_PROJECT = { notApplicable: `the stack's project is neither "${ACCESS_PROJECT}" nor an account key in the registry.` } as const;

/** Not applicable: the stack has no AWS provider, explicit or default. */
export const NO_AWS_PROVIDER = { notApplicable: 'the stack has no AWS provider.' } as const;

/** The project of a stack's resources (from their URNs) and the accounts it may deploy into, or undefined when the project is not one of ours. */
export function stackProject(resources: readonly PolicyResource[], registry: AccountRegistry): { readonly project: string; readonly target: ProjectAccounts } | undefined {
  const project = resources.map((r) => projectOfUrn(r.urn)).find((p) => p !== undefined);
  const target = project === undefined ? undefined : accountsForProject(registry, project);
  return project !== undefined && target ? { project, target } : undefined;
}

/**
 * A stack policy's metadata: its name (the rule id its findings carry), what it checks, and its fix, the
 * remediation sentence every finding of the policy carries as data (Pulumi's `remediationSteps`; `npm start`
 * prints it as `fix:` and writes it as `fix` in JSON), as each trust rule carries its `fix` in its own file.
 */
export interface PolicyInfo {
  readonly name: string;
  readonly description: string;
  readonly fix: string;
}

/** A mandatory stack policy that reports `check`'s verdict on the stack's resources. */
export function stackPolicy(info: PolicyInfo, check: (resources: readonly PolicyResource[]) => StackVerdict): StackValidationPolicy {
  return {
    name: info.name,
    description: info.description,
    remediationSteps: info.fix,
    enforcementLevel: 'mandatory',
    validateStack: (args, reportViolation) => {
      const verdict = check(args.resources);
      if ('notApplicable' in verdict) return args.notApplicable(verdict.notApplicable);
      if ('problem' in verdict) return reportViolation(verdict.problem);
      for (const v of verdict) reportViolation(v.message, v.urn);
    },
  };
}

/**
 * {@link stackPolicy} for a check that judges the stack against the account registry. A registry that
 * cannot be loaded is reported as "could not be validated" on the stack, never a silent pass.
 */
export function registryStackPolicy(info: PolicyInfo, check: (resources: readonly PolicyResource[], registry: AccountRegistry) => StackVerdict): StackValidationPolicy {
  return stackPolicy(info, (resources) => {
    const registry = loadRegistryFor();
    return registry instanceof Error ? { problem: registryUnavailable(info.name, registry) } : check(resources, registry);
  });
}
