import type { EnforcementLevel, Finding, RuleId, Severity, TrustGuardConfig } from './types';

export interface RuleInfo {
  /** One sentence: what the rule reports. */
  readonly description: string;
  readonly defaultEnforcement: EnforcementLevel;
  /** False when no exemption may ever silence the rule (see also {@link isExemptable}). */
  readonly exemptable: boolean;
}

/** Every rule, its meaning, default enforcement and whether it may be exempted. */
export const RULES: Readonly<Record<RuleId, RuleInfo>> = Object.freeze({
  'trust-any-principal': {
    description: 'A principal that is "*" in any form, or an ARN with a wildcard in its account or name, not bounded by a condition naming trusted identities.',
    defaultEnforcement: 'mandatory',
    exemptable: true,
  },
  'trust-untrusted-account': {
    description: 'A principal in an account that is neither a trusted account of the organization nor a declared external account.',
    defaultEnforcement: 'mandatory',
    exemptable: true,
  },
  'trust-external-without-external-id': {
    description: 'A third-party account trusted without an exact StringEquals sts:ExternalId condition (or a StringLike pattern within one that the vendor is declared with in externalIdPatterns).',
    defaultEnforcement: 'mandatory',
    exemptable: true,
  },
  'trust-not-principal': {
    description: 'NotPrincipal with Allow: everyone except the listed principals may assume the role.',
    defaultEnforcement: 'mandatory',
    exemptable: false,
  },
  'trust-federation-unbounded': {
    description: 'A web identity or SAML provider trusted without audience and subject conditions that pin the caller.',
    defaultEnforcement: 'mandatory',
    exemptable: true,
  },
  'trust-wildcard-action': {
    description: 'Trust actions "*" or "sts:*", which also grant web identity, SAML, TagSession and SetSourceIdentity.',
    defaultEnforcement: 'mandatory',
    exemptable: true,
  },
  'trust-malformed': {
    description: 'A document IAM would refuse or that cannot be validated: bad Version, placeholders, missing fields, Resource in a trust policy, invalid principals, actions that do not fit the principal. An Effect in another letter case ("allow"), which IAM accepts, is reported as informational under the key Statement::N::EffectCase.',
    defaultEnforcement: 'mandatory',
    exemptable: true,
  },
  'trust-account-root': {
    description: 'The root (or bare id) of a trusted account without a narrowing aws:PrincipalArn condition: every identity there allowed to call sts:AssumeRole gets in.',
    defaultEnforcement: 'advisory',
    exemptable: true,
  },
  'trust-service-confused-deputy': {
    description: 'A service principal without an exact aws:SourceAccount or aws:SourceArn condition (confused deputy).',
    defaultEnforcement: 'advisory',
    exemptable: true,
  },
  'trust-tag-session-broad': {
    description: 'sts:TagSession granted to a broad principal, whose session tags could then satisfy ABAC conditions.',
    defaultEnforcement: 'advisory',
    exemptable: true,
  },
  'trust-max-session-duration': {
    description: "The role's MaxSessionDuration exceeds the configured maximum.",
    defaultEnforcement: 'advisory',
    exemptable: true,
  },
  'identity-assume-any-role': {
    description: 'An identity policy allowing sts:AssumeRole on any role ("*" or a wildcard account).',
    defaultEnforcement: 'advisory',
    exemptable: true,
  },
  'trust-unverifiable-at-preview': {
    description: 'The trust policy depends on values unknown at preview time and could only be checked after deployment.',
    defaultEnforcement: 'advisory',
    exemptable: true,
  },
});

/** Default enforcement per rule. */
export const DEFAULT_ENFORCEMENT: Readonly<Record<RuleId, EnforcementLevel>> = Object.freeze(
  Object.fromEntries(Object.entries(RULES).map(([id, r]) => [id, r.defaultEnforcement])) as Record<RuleId, EnforcementLevel>,
);

/**
 * Severity of a finding of `ruleId` under `config`: the configured enforcement, or the default.
 * Undefined when the rule is disabled (the finding is dropped).
 */
export function severityFor(ruleId: RuleId, config: Pick<TrustGuardConfig, 'rules'>): Severity | undefined {
  const level = config.rules[ruleId] ?? DEFAULT_ENFORCEMENT[ruleId];
  return level === 'disabled' ? undefined : level;
}

/** Principal refs whose any-principal finding is never exempted: the unbounded wildcard itself. */
export const UNEXEMPTABLE_PRINCIPALS: ReadonlySet<string> = new Set(['*', 'AWS::*']);

/** Finding keys no exemption may name (the `*` principals). */
export const UNEXEMPTABLE_KEYS: ReadonlySet<string> = new Set(['trust-any-principal[Principal::*]', 'trust-any-principal[Principal::AWS::*]']);

/** False for findings that no exemption can silence: NotPrincipal with Allow, and unbounded `*` principals. */
export function isExemptable(finding: Finding): boolean {
  if (!RULES[finding.ruleId].exemptable) return false;
  if (finding.ruleId === 'trust-any-principal' && finding.principal !== undefined && UNEXEMPTABLE_PRINCIPALS.has(finding.principal)) return false;
  return true;
}
