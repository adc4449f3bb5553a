import { partitionOf } from './regions';
import type { AccountEntry, AccountRegistry } from './types';

/** AWS caps a session obtained by role chaining at one hour, whatever the role's MaxSessionDuration. */
export const CHAINED_SESSION_MAX_SECONDS = 3600;

/**
 * A hop's duration as the AWS provider's `assumeRoles[].duration` takes it: a Go duration string in whole
 * seconds (`3600s`), which the provider reads with Go's time.ParseDuration (https://pkg.go.dev/time#ParseDuration).
 * Every provider the components build, and every expectation the account-project checks write, spells a
 * duration this one way.
 */
export function providerHopDuration(durationSeconds: number): string {
  if (!Number.isInteger(durationSeconds) || durationSeconds <= 0) {
    throw new Error(`A role hop's duration must be a whole, positive number of seconds; got ${JSON.stringify(durationSeconds)}.`);
  }
  return `${durationSeconds}s`;
}

/** One `sts:AssumeRole` hop. */
export interface RoleHop {
  readonly roleArn: string;
  readonly sessionName: string;
  readonly externalId?: string;
  readonly durationSeconds: number;
}

/** Which role in the target account to end in: the deploy role, or the Organizations bootstrap role. */
export type ChainTarget = 'deploy' | 'bootstrap';

/** The ARN of role `roleName` (under `path`, `/` by default) in `accountId`, in the partition of `region`. */
export function roleArn(accountId: string, roleName: string, region: string, path = '/'): string {
  return `arn:${partitionOf(region)}:iam::${accountId}:role${path}${roleName}`;
}

/**
 * A valid, deterministic role session name: 2..64 characters of `[\w+=,.@-]`.
 * Deterministic so CloudTrail shows the same name for the same stack, and so previews are stable.
 */
export function sessionName(...parts: string[]): string {
  const raw = parts.join('-').replace(/[^\w+=,.@-]/g, '-').replace(/-+/g, '-');
  const name = raw.slice(0, 64).replace(/^-+|-+$/g, '');
  return name.length >= 2 ? name : `${name}--`.slice(0, 2);
}

/**
 * The session name of one hop of an account's chain, `trustline-<hop>-<account key>` (hop `hub`, `deploy`
 * or `bootstrap`), made valid by {@link sessionName}.
 */
export function hopSessionName(hop: 'hub' | ChainTarget, accountKey: string): string {
  return sessionName('trustline', hop, accountKey);
}

/**
 * The role chain a provider (or the doctor) performs to act in `account`: the identity account's hub
 * role when the registry has one, then the target role.
 *
 * Every hop asks for at most one hour, not only hops after the hub: the base credentials people and CI
 * use (IAM Identity Center, GitHub OIDC, an EC2/ECS role) are role sessions themselves, so even the first
 * AssumeRole is role chaining, which AWS caps at one hour whatever the role's MaxSessionDuration
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining).
 * Asking for more would make AssumeRole fail with "exceeds the 1 hour session limit".
 */
export function roleChain(registry: AccountRegistry, account: AccountEntry, target: ChainTarget = 'deploy'): RoleHop[] {
  const hops: RoleHop[] = [];
  const hub = registry.identity.hubRoleName;
  if (hub) {
    hops.push({
      roleArn: roleArn(registry.identity.accountId, hub, registry.identity.region),
      sessionName: hopSessionName('hub', account.key),
      durationSeconds: CHAINED_SESSION_MAX_SECONDS,
    });
  }
  const roleName = target === 'deploy' ? account.deployRoleName : registry.bootstrapRoleName;
  const maxSeconds = target === 'deploy' ? account.maxSessionDurationSeconds : CHAINED_SESSION_MAX_SECONDS;
  hops.push({
    roleArn: roleArn(account.accountId, roleName, account.region),
    sessionName: hopSessionName(target, account.key),
    ...(target === 'deploy' && account.externalId ? { externalId: account.externalId } : {}),
    durationSeconds: Math.min(maxSeconds, CHAINED_SESSION_MAX_SECONDS),
  });
  return hops;
}
