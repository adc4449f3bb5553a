/**
 * The analyzer's public contract. Everything that judges trust (the components' builder guard, the
 * trust-guard policy pack, the CLI) speaks these types.
 */

import type { RuleId } from './rules';

export type { RuleId };

/** A finding's stable key: its rule id, then the subject in brackets (`trust-any-principal[Principal::AWS::*]`). */
export type FindingKey = `${RuleId}[${string}]`;

/** Same words as Pulumi's policy EnforcementLevel (minus "remediate"). */
export type EnforcementLevel = 'mandatory' | 'advisory' | 'disabled';
/** Severity of one finding after configuration: "informational" is advisory that never fails anything. */
export type Severity = 'mandatory' | 'advisory' | 'informational';

export interface Finding {
  readonly ruleId: RuleId;
  readonly severity: Severity;
  /** Stable key for exemptions: `rule-id[Principal::AWS::*]`, `rule-id[Statement::2]`, `rule-id[Action::sts:*]`. */
  readonly key: FindingKey;
  /** Index of the statement in the normalised statement list, or null for document-level findings. */
  readonly statementIndex: number | null;
  /** `AWS::arn:aws:iam::111111111111:root`, `Federated::token.actions.githubusercontent.com`, `Service::events.amazonaws.com`, `*`. */
  readonly principal?: string;
  /** What is wrong, which principal, and the fix, in sentences. */
  readonly message: string;
  /** The remediation alone, as a sentence (the message usually ends with it): read this, never parse the message. */
  readonly fix: string;
}

export interface ExternalAccountConfig {
  readonly accountId: string;
  readonly name?: string;
  /**
   * StringLike patterns of sts:ExternalId that this vendor documents and fills in itself, with a fixed
   * tenant prefix ending in a separator (`acme@*`: Spacelift puts `<account>@<integration>@<stack>@<phase>`).
   * A condition whose every value lies within one of them counts as an ExternalId bound for this vendor.
   */
  readonly externalIdPatterns?: readonly string[];
}

export interface Exemption {
  readonly ruleId: RuleId;
  /** Exactly one finding key (`trust-account-root[Principal::AWS::arn:aws:iam::111111111111:root]`)... */
  readonly findingKey?: string;
  /** ...and/or a resource: its URN or its logical name. At least one of findingKey/resource. */
  readonly resource?: string;
  /** Why this is acceptable; at least 10 characters. */
  readonly reason: string;
  /** ISO date (YYYY-MM-DD); the exemption stops applying after this day. */
  readonly expires?: string;
}

export interface TrustGuardConfig {
  /** 12-digit ids of the organization's own accounts. */
  readonly trustedAccounts: readonly string[];
  readonly organizationId?: string;
  /** Third-party accounts, allowed only with an exact sts:ExternalId. */
  readonly externalAccounts: readonly ExternalAccountConfig[];
  /** Per-rule enforcement; rules not named keep their default. */
  readonly rules: Readonly<Partial<Record<RuleId, EnforcementLevel>>>;
  /** Roles whose MaxSessionDuration exceeds this are reported (advisory). */
  readonly maxSessionDurationSeconds: number;
  readonly exemptions: readonly Exemption[];
  /** The `paths` section as written (rules and exemptions of the access-path rules); `@trustline/paths` validates it. */
  readonly paths?: Readonly<Record<string, unknown>>;
}
