/**
 * The path rules: one file per rule (`<rule-id>.ts`: id, metadata, check, messages and fix together), as the
 * trust rules are. `PATH_RULE_IDS`, `PathRuleId` and `PATH_RULES` derive from this list; add a rule by
 * adding its file here.
 */
import { applyExemptions, expiredExemptionNote, type ExemptionOf } from '@trustline/trust';
import type { AccessPath } from '../types';
import { pathCrossEnvironment } from './path-cross-environment';
import { pathCycle } from './path-cycle';
import { pathDeclaredDead } from './path-declared-dead';
import { DEFAULT_LONG_CHAIN_HOPS, pathLongChain } from './path-long-chain';
import { pathOutsideToPrivileged } from './path-outside-to-privileged';
import { pathUndeclared } from './path-undeclared';
import type { PathEnforcement, PathRule, PathRuleContext } from './rule';

export type { Declared, DeclaredAccount } from './declared';
export { environmentOf } from './declared';
export type { PathEnforcement, PathFindingDraft, PathRule, PathRuleContext, PathRuleInfo } from './rule';
export { DEFAULT_LONG_CHAIN_HOPS } from './path-long-chain';
export { outsideEntry } from './path-outside-to-privileged';
export { chainText, entryLabel, verdictText } from './describe';

/** Every path rule, mandatory-by-default ones first. */
export const PATH_RULE_LIST = [pathOutsideToPrivileged, pathCrossEnvironment, pathUndeclared, pathDeclaredDead, pathCycle, pathLongChain] as const;

export type PathRuleId = (typeof PATH_RULE_LIST)[number]['id'];
export const PATH_RULE_IDS: readonly PathRuleId[] = Object.freeze(PATH_RULE_LIST.map((r) => r.id));
export const PATH_RULES: Readonly<Record<PathRuleId, PathRule<PathRuleId>>> = Object.freeze(Object.fromEntries(PATH_RULE_LIST.map((r) => [r.id, r])) as Record<PathRuleId, PathRule<PathRuleId>>);

/** A path finding after configuration: its rule, severity, stable key (what an exemption names), message and fix. */
export interface PathFinding {
  readonly ruleId: PathRuleId;
  readonly severity: 'mandatory' | 'advisory';
  /** `rule-id[<subject>]`, e.g. `path-cross-environment[arn:aws:iam::111111111111:role/app->arn:aws:iam::333333333333:role/trustline-deploy]`. */
  readonly key: string;
  readonly message: string;
  readonly fix: string;
  readonly target?: string;
  readonly path?: AccessPath;
}

export type PathExemption = ExemptionOf<PathRuleId>;

/** The `paths` settings: enforcement per path rule, the long-chain bound, exemptions. */
export interface PathsConfig {
  readonly rules: Readonly<Partial<Record<PathRuleId, PathEnforcement>>>;
  readonly longChainHops?: number;
  readonly exemptions: readonly PathExemption[];
}

export interface PathJudgement {
  readonly findings: PathFinding[];
  readonly exempted: { readonly finding: PathFinding; readonly exemption: PathExemption }[];
  /** Standing findings an expired exemption would have covered, with the sentence that says so. */
  readonly expired: { readonly finding: PathFinding; readonly exemption: PathExemption; readonly note: string }[];
}

/**
 * Runs every enabled path rule and applies the exemptions with the trust library's `applyExemptions`
 * (reason and expiry as for the trust rules; every path rule may be exempted). Findings come in rule order,
 * then in the order each rule found them.
 */
export function judgePaths(ctx: Omit<PathRuleContext, 'longChainHops'> & { readonly longChainHops?: number }, config: PathsConfig = { rules: {}, exemptions: [] }, now: Date = new Date()): PathJudgement {
  const full: PathRuleContext = { ...ctx, longChainHops: ctx.longChainHops ?? config.longChainHops ?? DEFAULT_LONG_CHAIN_HOPS };
  const findings: PathFinding[] = [];
  for (const rule of PATH_RULE_LIST) {
    const level = config.rules[rule.id] ?? rule.defaultEnforcement;
    if (level === 'disabled') continue;
    for (const d of rule.check(full)) {
      findings.push({ ruleId: rule.id, severity: level, key: `${rule.id}[${d.subject}]`, message: d.message, fix: d.fix, ...(d.target !== undefined && { target: d.target }), ...(d.path !== undefined && { path: d.path }) });
    }
  }
  const result = applyExemptions<PathFinding, PathExemption>(findings, {}, config, now, () => true);
  return { findings: result.findings, exempted: result.exempted, expired: result.expired.map((e) => ({ ...e, note: expiredExemptionNote(e.exemption, e.finding.key) })) };
}
