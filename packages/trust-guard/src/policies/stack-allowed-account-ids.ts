import type { PolicyProviderResource, StackValidationPolicy } from '@pulumi/policy';
import { awsProviders } from '../stack/collect';
import { allowedAccountIds, chainEndAccount, providerAssumeRoles } from '../stack/providers';
import type { StackViolation } from './stack-provider-per-account';

/**
 * `allowedAccountIds` makes the provider refuse credentials for any other account, so a mistake in the
 * role chain (or an expired chain falling back to ambient credentials) fails instead of deploying
 * elsewhere. It must be exactly the account the chain ends in.
 */
export function checkAllowedAccountIds(providers: readonly PolicyProviderResource[]): StackViolation[] {
  const out: StackViolation[] = [];
  for (const p of providers) {
    const what = `AWS provider "${p.name}"`;
    const hops = providerAssumeRoles(p.props);
    const allowed = allowedAccountIds(p.props);
    if (hops.kind === 'unknown' || allowed.kind === 'unknown') continue; // Known at update, checked then.
    const end = hops.kind === 'ok' ? chainEndAccount(hops.value) : hops;
    if (end.kind !== 'ok') {
      const why = end.kind === 'invalid' ? end.problem : 'it has no assumeRoles chain, so its account is whatever the ambient credentials belong to.';
      out.push({ urn: p.urn, message: `${what} cannot be pinned to an account: ${why} Set assumeRoles ending in the target account's role and allowedAccountIds to that account.` });
      continue;
    }
    const expected = JSON.stringify([end.value]);
    if (allowed.kind === 'absent') {
      out.push({ urn: p.urn, message: `${what} does not set allowedAccountIds. Set allowedAccountIds: ${expected}, the account its role chain ends in, so it refuses credentials for any other account.` });
    } else if (allowed.kind === 'invalid') {
      out.push({ urn: p.urn, message: `${what}: ${allowed.problem} Set allowedAccountIds: ${expected}.` });
    } else if (allowed.value.length !== 1 || allowed.value[0] !== end.value) {
      out.push({
        urn: p.urn,
        message: `${what} sets allowedAccountIds ${JSON.stringify(allowed.value)}, but its role chain ends in account ${end.value}. Set allowedAccountIds: ${expected}, exactly that account.`,
      });
    }
  }
  return out;
}

export const stackAllowedAccountIds: StackValidationPolicy = {
  name: 'stack-allowed-account-ids',
  description: 'Every AWS provider sets allowedAccountIds to exactly the account its assumeRoles chain ends in.',
  enforcementLevel: 'mandatory',
  validateStack: (args, reportViolation) => {
    const providers = awsProviders(args.resources);
    if (providers.length === 0) return args.notApplicable('the stack has no AWS provider.');
    for (const v of checkAllowedAccountIds(providers)) reportViolation(v.message, v.urn);
  },
};
