import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import { providerHopDuration, roleChain, type AccountEntry, type AccountRegistry, type ChainTarget } from '@trustline/registry';

export interface AccountProviderArgs {
  /** The account registry; the role chain comes from its `roleChain`. */
  readonly registry: AccountRegistry;
  /** The account to act in. */
  readonly account: AccountEntry;
  /**
   * Which role to end in: the account's deploy role, or the Organizations bootstrap role (the access
   * project uses it to create deploy roles).
   * @default 'deploy'
   */
  readonly target?: ChainTarget;
  /**
   * Region for the provider.
   * @default the account's registry region
   */
  readonly region?: string;
  /** Resource options for the provider itself (parent, aliases...). */
  readonly opts?: pulumi.CustomResourceOptions;
}

/** Tags every resource made through an account provider carries. */
export function accountDefaultTags(account: AccountEntry): Record<string, string> {
  return { 'trustline:account': account.key, 'trustline:environment': account.environment, 'managed-by': 'trustline' };
}

/**
 * An AWS provider that acts in `account` through the registry's role chain (identity hub role, then the
 * target role) and refuses to touch any other account (`allowedAccountIds`). Durations are written by
 * the registry's {@link providerHopDuration}, the Go duration form the provider's `assume_role.duration` expects.
 */
export function createAccountProvider(name: string, args: AccountProviderArgs): aws.Provider {
  const hops = roleChain(args.registry, args.account, args.target ?? 'deploy');
  return new aws.Provider(
    name,
    {
      region: args.region ?? args.account.region,
      allowedAccountIds: [args.account.accountId],
      assumeRoles: hops.map((hop) => ({
        roleArn: hop.roleArn,
        sessionName: hop.sessionName,
        duration: providerHopDuration(hop.durationSeconds),
        ...(hop.externalId !== undefined ? { externalId: hop.externalId } : {}),
      })),
      defaultTags: { tags: accountDefaultTags(args.account) },
    },
    args.opts,
  );
}
