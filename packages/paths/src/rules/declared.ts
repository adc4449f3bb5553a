/**
 * What the registry declares, as plain data: the path rules compare the snapshot with it. Built from a
 * loaded registry by `declaredFrom` in @trustline/trust-guard (the one builder `trust-guard paths` and the
 * offline preview call), so this package reads no file and knows no registry format.
 */
export interface DeclaredAccount {
  /** Registry key, e.g. `prod`. */
  readonly key: string;
  readonly accountId: string;
  /** The registry environment (`dev`, `prod`, ...). */
  readonly environment: string;
  /** ARN of the account's deploy role. */
  readonly deployRoleArn: string;
  /** Role ARNs declared as allowed to assume the deploy role. */
  readonly trustedPrincipals: readonly string[];
  /**
   * The exact `sts:ExternalId` the registry declares the deploy role requires (`accounts[].externalId`).
   * The registry declares no other guard of the edge (no session-name or source-identity pinning), so this
   * is the one guard `path-guard-weaker` compares.
   */
  readonly externalId?: string;
}

export interface Declared {
  readonly organizationId?: string;
  /** The identity account (where credentials live) and its hub role; it belongs to no environment. */
  readonly identity: { readonly key: string; readonly accountId: string; readonly hubRoleArn?: string };
  readonly accounts: readonly DeclaredAccount[];
  /** Third-party (vendor) accounts: outside the zone of trust, whatever the registry says about them. */
  readonly externalAccounts: readonly { readonly accountId: string; readonly name: string }[];
}

/** The environment of an account, or undefined (the identity account, an account the registry does not know). */
export function environmentOf(declared: Declared, accountId: string): string | undefined {
  return declared.accounts.find((a) => a.accountId === accountId)?.environment;
}
