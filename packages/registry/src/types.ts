/** One AWS account that Pulumi projects in this repository deploy into. */
export interface AccountEntry {
  /** Registry key and Nx project name, e.g. `dev`. Lower-case letters, digits and dashes. */
  readonly key: string;
  /** The 12-digit AWS account id, always a string so leading zeros survive. */
  readonly accountId: string;
  /** One of the registry's `environments`. */
  readonly environment: string;
  /** Default AWS region of the account's stacks. */
  readonly region: string;
  /** Name of the deploy role in this account that Pulumi assumes. */
  readonly deployRoleName: string;
  /** Role ARNs (identity/CI account or other registry accounts) allowed to assume the deploy role. Never a whole account. */
  readonly trustedPrincipals: readonly string[];
  /** When set, callers must pass this exact `sts:ExternalId` to assume the deploy role. */
  readonly externalId?: string;
  /** The deploy role's MaxSessionDuration, 3600..43200 seconds (IAM's range). */
  readonly maxSessionDurationSeconds: number;
}

/** The identity (source) account: where humans and CI hold credentials. */
export interface IdentityAccount {
  /** Registry key of the identity account, e.g. `identity`. */
  readonly key: string;
  /** The 12-digit AWS account id (string). */
  readonly accountId: string;
  /** Region for the identity account's own API calls (STS, the access project). */
  readonly region: string;
  /**
   * Optional hub role in the identity account. When set, every provider chains through it:
   * hub role first, then the target account's role (chained sessions are capped at one hour).
   */
  readonly hubRoleName?: string;
}

/** A third-party (vendor) account. It may be trusted only together with an exact `sts:ExternalId`. */
export interface ExternalAccount {
  /** Who the account belongs to, e.g. `example-monitoring-vendor`. */
  readonly name: string;
  /** The vendor's 12-digit AWS account id (string). */
  readonly accountId: string;
  /** Why this vendor has access; shown to reviewers, not used by the checks. */
  readonly description?: string;
  /**
   * ExternalId patterns the vendor documents and fills in itself (`acme@*`), accepted by trust-guard in place
   * of an exact `sts:ExternalId` for this vendor only; validated by the trust library's `externalIdPatternsField` (the same definition the trust config uses).
   */
  readonly externalIdPatterns?: readonly string[];
}

/** The whole registry file (`accounts.json`). */
export interface AccountRegistry {
  /** AWS Organizations id, `o-` followed by 10 to 32 lower-case letters or digits. */
  readonly organizationId: string;
  /** Role that AWS Organizations creates in member accounts; the access project assumes it to create deploy roles. */
  readonly bootstrapRoleName: string;
  /** The environments an account may belong to. */
  readonly environments: readonly string[];
  readonly identity: IdentityAccount;
  readonly externalAccounts: readonly ExternalAccount[];
  /** Target accounts, sorted by key. */
  readonly accounts: readonly AccountEntry[];
}
