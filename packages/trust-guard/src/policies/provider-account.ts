import { registryUnavailable } from '../registry';
import { allowedAccountIdsProblem, chainAccountProblem } from '../stack/provider-account';
import { explicitProviderPolicy, projectScopeOfUrn } from './provider-policy';

/**
 * The provider resource itself, judged when the engine registers it. At `pulumi up` the engine calls a
 * resource policy (Analyze) before each step runs, but the stack policies (AnalyzeStack) only after every
 * step has run (pkg/resource/deploy/step_generator.go at v3.248.0: analyzeAll in generateSteps, versus
 * AnalyzeResources at the end). So this policy is what stops a provider whose chain ends in another
 * account before anything is deployed through it; stack-provider-per-account and
 * stack-allowed-account-ids repeat the check over the whole stack.
 */
export const providerAccount = explicitProviderPolicy(
  {
    name: 'provider-account',
    description: "An explicit AWS provider of a per-account stack assumes a role chain ending in that stack's registry account, and sets allowedAccountIds to exactly that account.",
    enforcementLevel: 'mandatory',
    fix: "End the provider's assumeRoles chain in the deploy role of the stack's registry account (createAccountProvider builds it from the registry), and set allowedAccountIds to exactly that account.",
  },
  (args, reportViolation) => {
    const what = `AWS provider "${args.name}"`;
    const scope = projectScopeOfUrn(args.urn);
    if (scope instanceof Error) {
      reportViolation(registryUnavailable(`provider-account: ${what}`, scope));
      return;
    }
    if (!scope) return;
    const chain = chainAccountProblem(`${what}, which`, args.props, scope.project, scope.target);
    if (chain) reportViolation(chain);
    const allowed = allowedAccountIdsProblem(what, args.props);
    if (allowed) reportViolation(allowed);
  },
);
