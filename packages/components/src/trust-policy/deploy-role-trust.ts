import type { AccountEntry } from '@trustline/registry';
import type { TrustPolicySpec } from './types';

/**
 * Who may assume an account's deploy role, from its registry entry: exactly the entry's
 * `trustedPrincipals`, and its `externalId` when it has one. The access project creates the role with
 * this spec and the integration tests build the same role from it, so the two cannot drift apart.
 */
export function deployRoleTrustSpec(account: AccountEntry): TrustPolicySpec {
  return {
    trustedRoleArns: [...account.trustedPrincipals],
    ...(account.externalId !== undefined ? { externalId: account.externalId } : {}),
  };
}
