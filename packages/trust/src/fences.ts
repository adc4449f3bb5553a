import { reachableActions } from './actions';
import { FENCE_FLAGS, fenceBounds, type FenceFlag } from './bounds';
import type { Prepared } from './context';
import type { NormalizedPolicy, NormalizedPrincipal, NormalizedStatement } from './model';

/**
 * Per flag, the trust actions that Deny fences cover: `all` from fences of `"Principal": "*"` (every
 * caller), `aws` from those and from fences of `{"AWS": "*"}` (AWS callers only, not services or
 * federated callers).
 */
export interface Fences {
  readonly all: Record<FenceFlag, number>;
  readonly aws: Record<FenceFlag, number>;
}
/** What the Deny fences guarantee about one principal's callers, per bound. */
export type Fenced = Readonly<Record<FenceFlag, boolean>>;
const NOT_FENCED: Fenced = Object.freeze({ identity: false, arn: false, externalId: false, service: false });

/** The Deny fences of a policy (see README "Deny fences"), or undefined when it has none. */
export function collectFences(model: NormalizedPolicy, p: Prepared): Fences | undefined {
  let fences: Fences | undefined;
  let unreadable: Set<number> | undefined;
  for (const s of model.statements) {
    // A miscased "deny" is not trusted to fence: the safe reading assumes it may not deny.
    if (s.effect !== 'Deny' || s.conditions.length === 0 || s.effectMiscased !== undefined) continue;
    const everyone = s.principals.some((pr) => pr.kind === 'any' && pr.type === '*');
    if (!everyone && !s.principals.some((pr) => pr.kind === 'any')) continue;
    // A condition IAM would refuse, or one the normaliser had to drop, leaves the fence unknown.
    unreadable ??= new Set(model.problems.filter((pr) => pr.field === 'Condition' && pr.statementIndex !== null).map((pr) => pr.statementIndex as number));
    if (unreadable.has(s.index)) continue;
    const fence = fenceBounds(s, p);
    if (fence === undefined) continue;
    fences ??= { all: { identity: 0, arn: 0, externalId: 0, service: 0 }, aws: { identity: 0, arn: 0, externalId: 0, service: 0 } };
    for (const flag of FENCE_FLAGS) {
      if (!fence.flags[flag]) continue;
      fences.aws[flag] |= s.actionMask;
      if (everyone && !fence.exceptServices) fences.all[flag] |= s.actionMask;
    }
  }
  return fences;
}

/** What the Deny fences guarantee about `pr`'s callers in Allow statement `s`. */
export function fencedFor(s: NormalizedStatement, pr: NormalizedPrincipal, fences: Fences | undefined): Fenced {
  if (fences === undefined) return NOT_FENCED;
  const required = s.actionMask & reachableActions(pr);
  if (required === 0) return NOT_FENCED;
  const masks = pr.type === 'AWS' ? fences.aws : fences.all;
  return {
    identity: (required & ~masks.identity) === 0,
    arn: (required & ~masks.arn) === 0,
    externalId: (required & ~masks.externalId) === 0,
    service: (required & ~masks.service) === 0,
  };
}
