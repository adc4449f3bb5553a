import type { EnforcementLevel } from '../types';

/** The entry points that emit a rule's findings (`pack`: the trust-guard pack, for documents it cannot read yet). */
export type RuleSource = 'analyzeTrustPolicy' | 'analyzeIdentityPolicy' | 'checkMaxSessionDuration' | 'pack';

/**
 * One rule's metadata, kept in the rule's own file (`src/rules/<id>.ts`) beside the check that decides it,
 * its messages and its fix. The rule list, `RuleId` and `RULES` are derived from these.
 */
export interface RuleInfo<Id extends string = string> {
  /** Stable id. A rule id never changes once released: exemptions and enforcement config name it. */
  readonly id: Id;
  /** One sentence: what the rule reports. */
  readonly description: string;
  readonly defaultEnforcement: EnforcementLevel;
  /** False when no exemption may ever silence the rule (see also {@link RuleInfo.unexemptablePrincipals}). */
  readonly exemptable: boolean;
  /** Principal refs whose findings of this rule no exemption may silence (the unbounded `*`). */
  readonly unexemptablePrincipals?: readonly string[];
  /**
   * Why no configuration may lower the rule, in the words of its unexemptable finding; present exactly
   * for the locked rules (those with findings no exemption can silence), which are always "mandatory".
   */
  readonly lockedReason?: string;
  /** True when the rule's (non-informational) findings make a trust edge broad. */
  readonly broad: boolean;
  /** The entry points that emit the rule's findings. */
  readonly emittedBy: readonly RuleSource[];
  /** The remediation sentence for findings whose fix does not depend on what was found. */
  readonly fix: string;
}

/** Declares a rule, keeping its id as a literal type so that `RuleId` can be derived from the list. */
export const defineRule = <const Id extends string>(rule: RuleInfo<Id>): RuleInfo<Id> => Object.freeze(rule);

/** A fix sentence written as the clause after a semicolon: `Write "Effect"...` -> `write "Effect"...`. */
export const asClause = (fix: string): string => fix.charAt(0).toLowerCase() + fix.slice(1);
