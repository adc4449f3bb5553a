import type { PolicyProviderResource } from '@pulumi/policy';
import { awsProviders } from '../stack/collect';
import { CHAINED_SESSION_MAX_SECONDS } from '@trustline/registry';
import { hopDurationSeconds, providerAssumeRoles } from '../stack/providers';
import { NO_AWS_PROVIDER, stackPolicy, type StackViolation } from './stack-policy';

/**
 * AWS caps role-chained sessions at one hour and rejects AssumeRole calls that ask for more, so a hop
 * asking for longer fails mid-deployment instead of at preview. Every hop counts, the first one too: the
 * base credentials people and CI use (IAM Identity Center, GitHub OIDC, instance roles) are role sessions
 * themselves, so assuming a role from them is already chaining (the registry's roleChain caps every hop).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use.html#id_roles_use_view-role-max-session
 */
export function checkChainedSessionDuration(providers: readonly PolicyProviderResource[]): StackViolation[] {
  const out: StackViolation[] = [];
  for (const p of providers) {
    const hops = providerAssumeRoles(p.props);
    if (hops.kind !== 'ok') continue;
    hops.value.forEach((hop, i) => {
      const duration = hopDurationSeconds(hop);
      if (duration.kind === 'absent' || duration.kind === 'unknown') return;
      const where = `AWS provider "${p.name}" assumeRoles[${i}]${hop.roleArn ? ` (${hop.roleArn})` : ''}`;
      if (duration.kind === 'invalid') {
        out.push({ urn: p.urn, message: `${where}: ${duration.problem}` });
        return;
      }
      const seconds = duration.value;
      if (seconds > CHAINED_SESSION_MAX_SECONDS) {
        const why =
          hops.value.length > 1
            ? `the provider chains ${hops.value.length} roles and AWS caps chained sessions at one hour`
            : 'AWS caps a session at one hour when the caller is itself a role session (IAM Identity Center, OIDC, an instance role), which is how people and CI sign in';
        out.push({ urn: p.urn, message: `${where} asks for duration ${JSON.stringify(hop.duration)} (${seconds} s), but ${why}. Set duration to "1h" or less.` });
      }
    });
  }
  return out;
}

export const stackChainedSessionDuration = stackPolicy(
  {
    name: 'stack-chained-session-duration',
    description: 'Every assume-role hop of an AWS provider asks for at most one hour (AWS caps role-chained sessions, including a first hop from SSO/OIDC/instance-role credentials, at one hour).',
    fix: 'Set each assumeRoles hop\'s duration to "1h" or less: AWS caps role-chained sessions at one hour.',
  },
  (resources) => {
    const providers = awsProviders(resources);
    return providers.length === 0 ? NO_AWS_PROVIDER : checkChainedSessionDuration(providers);
  },
);
