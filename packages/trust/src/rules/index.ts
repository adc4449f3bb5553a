/**
 * The rule list: one file per rule (`<rule-id>.ts`: id, metadata, check, messages and fix together).
 * `RULE_IDS`, `RuleId` and `RULES` are derived from this list; add a rule by adding its file here.
 */
import type { EnforcementLevel, Finding, Severity, TrustGuardConfig } from '../types';
import { identityAssumeAnyRole } from './identity-assume-any-role';
import type { RuleInfo } from './rule';
import { trustAccountRoot } from './trust-account-root';
import { trustAnyPrincipal } from './trust-any-principal';
import { trustExternalWithoutExternalId } from './trust-external-without-external-id';
import { trustFederationUnbounded } from './trust-federation-unbounded';
import { trustMalformed } from './trust-malformed';
import { trustMaxSessionDuration } from './trust-max-session-duration';
import { trustNotPrincipal } from './trust-not-principal';
import { trustServiceConfusedDeputy } from './trust-service-confused-deputy';
import { trustTagSessionBroad } from './trust-tag-session-broad';
import { trustUntrustedAccount } from './trust-untrusted-account';
import { trustUnverifiableAtPreview } from './trust-unverifiable-at-preview';
import { trustWildcardAction } from './trust-wildcard-action';

export type { RuleInfo, RuleSource } from './rule';

/** Every rule, mandatory-by-default ones first; this order is the order of the pack's policies. */
export const RULE_LIST = [
  trustAnyPrincipal,
  trustUntrustedAccount,
  trustExternalWithoutExternalId,
  trustNotPrincipal,
  trustFederationUnbounded,
  trustWildcardAction,
  trustMalformed,
  trustAccountRoot,
  trustServiceConfusedDeputy,
  trustTagSessionBroad,
  trustMaxSessionDuration,
  identityAssumeAnyRole,
  trustUnverifiableAtPreview,
] as const;

/** Stable rule ids. A rule id never changes once released: exemptions and enforcement config name it. */
export type RuleId = (typeof RULE_LIST)[number]['id'];

export const RULE_IDS: readonly RuleId[] = Object.freeze(RULE_LIST.map((r) => r.id));

/** Every rule by id: its meaning, default enforcement and whether it may be exempted. */
export const RULES: Readonly<Record<RuleId, RuleInfo<RuleId>>> = Object.freeze(Object.fromEntries(RULE_LIST.map((r) => [r.id, r])) as Record<RuleId, RuleInfo<RuleId>>);

/** Default enforcement per rule. */
export const DEFAULT_ENFORCEMENT: Readonly<Record<RuleId, EnforcementLevel>> = Object.freeze(
  Object.fromEntries(RULE_LIST.map((r) => [r.id, r.defaultEnforcement])) as Record<RuleId, EnforcementLevel>,
);

/** Rules whose (non-informational) findings make a trust edge broad. */
export const BROAD_RULES: ReadonlySet<RuleId> = new Set(RULE_LIST.filter((r) => r.broad).map((r) => r.id));

/**
 * Severity of a finding of `ruleId` under `config`: the configured enforcement, or the default.
 * Undefined when the rule is disabled (the finding is dropped).
 */
export function severityFor(ruleId: RuleId, config: Pick<TrustGuardConfig, 'rules'>): Severity | undefined {
  const level = config.rules[ruleId] ?? DEFAULT_ENFORCEMENT[ruleId];
  return level === 'disabled' ? undefined : level;
}

/** Finding keys no exemption may name (the `*` principals of `trust-any-principal`). */
export const UNEXEMPTABLE_KEYS: ReadonlySet<string> = new Set(RULE_LIST.flatMap((r: RuleInfo<RuleId>) => (r.unexemptablePrincipals ?? []).map((p) => `${r.id}[Principal::${p}]`)));

/** False for findings that no exemption can silence: NotPrincipal with Allow, and unbounded `*` principals. */
export function isExemptable(finding: Finding): boolean {
  const rule: RuleInfo<RuleId> = RULES[finding.ruleId];
  if (!rule.exemptable) return false;
  return finding.principal === undefined || rule.unexemptablePrincipals === undefined || !rule.unexemptablePrincipals.includes(finding.principal);
}

export { trustUnverifiableAtPreview, unverifiableAtPreview, type UnknownDocument } from './trust-unverifiable-at-preview';
