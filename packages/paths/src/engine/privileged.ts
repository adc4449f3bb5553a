import { likeMatches, type NormalizedStatement } from '@trustline/trust';
import { internalOf, type AccessGraph } from './build';
import type { DocRef } from './evaluate';
import { residue } from './evaluate';
import { NO_FACTS, type Facts } from './facts';

/** Actions that stand for `iam:*` when a NotAction leaves them out (escalation: create or change roles and policies). */
const IAM_PROBES = ['iam:createrole', 'iam:attachrolepolicy', 'iam:putrolepolicy', 'iam:updateassumerolepolicy', 'iam:passrole'];

/** 2 = allows `*`, 1 = allows `iam:*`, 0 = neither, for one statement on Resource `*`. */
function level(s: NormalizedStatement): number {
  if (s.hasResource && (s.notResource || !s.resources.includes('*'))) return 0;
  if (s.notAction) {
    if (s.actions.length === 0) return 2;
    return IAM_PROBES.some((a) => s.actions.some((p) => likeMatches(p, a))) ? 0 : 1;
  }
  if (s.actions.includes('*')) return 2;
  return s.actions.some((p) => p === 'iam:*' || likeMatches(p, 'iam:*')) ? 1 : 0;
}

/** The highest level the documents allow unconditionally-or-possibly (conditions fixed false drop a statement), after unconditional Denies. */
function allows(docs: readonly DocRef[], facts: Facts): number {
  let best = 0;
  let denied = 0;
  for (const d of docs) {
    for (const s of d.doc.statements) {
      const l = level(s);
      if (l === 0) continue;
      const rest = residue(s.conditions, facts);
      if (rest === false) continue;
      if (s.effect === 'Allow') best = Math.max(best, l);
      else if (s.effect === 'Deny' && rest.length === 0) denied = Math.max(denied, l);
    }
  }
  return denied >= 1 ? 0 : best;
}

/** Roles whose effective identity permissions (after boundary) allow `*` or `iam:*` on `*`, with why: `allows *` / `allows iam:*`. */
export function privilegedRoles(graph: AccessGraph): { readonly arn: string; readonly why: string }[] {
  const i = internalOf(graph);
  const out: { arn: string; why: string }[] = [];
  for (const [arn, p] of i.roles) {
    let l = allows(p.docs, p.facts ?? NO_FACTS);
    if (l > 0 && p.boundary !== undefined) l = Math.min(l, allows(p.boundary, p.facts));
    if (l > 0) out.push({ arn, why: l === 2 ? 'allows *' : 'allows iam:*' });
  }
  return out.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
}
