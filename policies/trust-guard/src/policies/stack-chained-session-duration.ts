import type { PolicyProviderResource, StackValidationPolicy } from '@pulumi/policy';
import { awsProviders } from '../stack/collect';
import { CHAINED_HOP_MAX_SECONDS, parseGoDuration, providerAssumeRoles } from '../stack/providers';
import type { StackViolation } from './stack-provider-per-account';

/**
 * AWS caps role-chained sessions at one hour and rejects AssumeRole calls that ask for more, so a
 * provider with two or more hops asking for longer fails mid-deployment instead of at preview.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use.html#id_roles_use_view-role-max-session
 */
export function checkChainedSessionDuration(providers: readonly PolicyProviderResource[]): StackViolation[] {
  const out: StackViolation[] = [];
  for (const p of providers) {
    const hops = providerAssumeRoles(p.props);
    if (hops.kind !== 'ok' || hops.value.length < 2) continue;
    hops.value.forEach((hop, i) => {
      if (hop.duration === undefined) return;
      const where = `AWS provider "${p.name}" assumeRoles[${i}]${hop.roleArn ? ` (${hop.roleArn})` : ''}`;
      let seconds: number;
      try {
        seconds = parseGoDuration(hop.duration);
      } catch (e) {
        out.push({ urn: p.urn, message: `${where}: ${(e as Error).message}` });
        return;
      }
      if (seconds > CHAINED_HOP_MAX_SECONDS) {
        out.push({
          urn: p.urn,
          message: `${where} asks for duration ${JSON.stringify(hop.duration)} (${seconds} s), but the provider chains ${hops.value.length} roles and AWS caps chained sessions at one hour. Set duration to "1h" or less.`,
        });
      }
    });
  }
  return out;
}

export const stackChainedSessionDuration: StackValidationPolicy = {
  name: 'stack-chained-session-duration',
  description: 'An AWS provider that chains two or more roles asks for at most one hour per hop (AWS caps chained sessions at one hour).',
  enforcementLevel: 'mandatory',
  validateStack: (args, reportViolation) => {
    const providers = awsProviders(args.resources);
    if (providers.length === 0) return args.notApplicable('the stack has no AWS provider.');
    for (const v of checkChainedSessionDuration(providers)) reportViolation(v.message, v.urn);
  },
};
