import type { ResourceValidationPolicy } from '@pulumi/policy';
import { loadRegistryFor } from '../registry';
import { accountsForProject, allowedAccountIdsProblem, chainAccountProblem } from '../stack/provider-account';
import { AWS_PROVIDER_TYPE, isDefaultProvider, projectOfUrn } from '../stack/providers';

/**
 * The provider resource itself, judged when the engine registers it. At `pulumi up` the engine calls a
 * resource policy (Analyze) before each step runs, but the stack policies (AnalyzeStack) only after every
 * step has run (pkg/resource/deploy/step_generator.go at v3.248.0: analyzeAll in generateSteps, versus
 * AnalyzeResources at the end). So this policy is what stops a provider whose chain ends in another
 * account before anything is deployed through it; stack-provider-per-account and
 * stack-allowed-account-ids repeat the check over the whole stack. Default providers are left to
 * stack-provider-per-account and `pulumi:disable-default-providers`.
 */
export const providerAccount: ResourceValidationPolicy = {
  name: 'provider-account',
  description: "An explicit AWS provider of a per-account stack assumes a role chain ending in that stack's registry account, and sets allowedAccountIds to exactly that account.",
  enforcementLevel: 'mandatory',
  validateResource: (args, reportViolation) => {
    if (args.type !== AWS_PROVIDER_TYPE || isDefaultProvider(args)) return;
    const project = projectOfUrn(args.urn);
    if (!project) return;
    const registry = loadRegistryFor();
    if (registry instanceof Error) {
      reportViolation(`provider-account: AWS provider "${args.name}" could not be validated: the account registry could not be loaded: ${registry.message}`);
      return;
    }
    const target = accountsForProject(registry, project);
    if (!target) return;
    const what = `AWS provider "${args.name}"`;
    const chain = chainAccountProblem(`${what}, which`, args.props, project, target);
    if (chain) reportViolation(chain);
    const allowed = allowedAccountIdsProblem(what, args.props);
    if (allowed) reportViolation(allowed);
  },
};
