import type { AccessPath, OrgSnapshot, TargetPaths } from '../types';
import type { Declared } from './declared';

export type PathEnforcement = 'mandatory' | 'advisory' | 'disabled';

/** One path rule's metadata, kept in its own file (`src/rules/<id>.ts`) beside its check, messages and fix, as the trust rules are. */
export interface PathRuleInfo<Id extends string = string> {
  /** Stable id. A rule id never changes once released: exemptions and enforcement config name it. */
  readonly id: Id;
  /** One sentence: what the rule reports. */
  readonly description: string;
  readonly defaultEnforcement: PathEnforcement;
  /** The remediation sentence, when it does not depend on what was found. */
  readonly fix: string;
}

/** What every path rule reads: the snapshot, what the registry declares, the paths to each target, the cycles. Plain data and one callback, so the rules stay pure. */
export interface PathRuleContext {
  readonly snapshot: OrgSnapshot;
  readonly declared: Declared;
  readonly targets: readonly TargetPaths[];
  /** Strongly connected components of roles (the engine's `findCycles`). */
  readonly cycles: readonly (readonly string[])[];
  /** A path with more hops than this is a long chain. */
  readonly longChainHops: number;
  /** True when the principal may assume the role in one hop (the engine's edge). */
  readonly canAssume: (principalArn: string, roleArn: string) => boolean;
}

/** A finding before configuration: the rule's check writes these. */
export interface PathFindingDraft {
  /** What the finding is about, in the brackets of its key: `<origin>-><target>`, a role list, a principal. */
  readonly subject: string;
  readonly message: string;
  readonly fix: string;
  /** The target role, when the finding is about a path into it. */
  readonly target?: string;
  /** The path that shows it, when there is one. */
  readonly path?: AccessPath;
}

export interface PathRule<Id extends string = string> extends PathRuleInfo<Id> {
  readonly check: (ctx: PathRuleContext) => PathFindingDraft[];
}

/** Declares a path rule, keeping its id as a literal type so that `PathRuleId` derives from the list. */
export const definePathRule = <const Id extends string>(rule: PathRule<Id>): PathRule<Id> => Object.freeze(rule);
