import { TAG_SESSION } from '../actions';
import type { FindingSink } from '../context';
import type { NormalizedPrincipal, NormalizedStatement } from '../model';
import { defineRule } from './rule';
import { principalJson } from '../principals';

export const trustTagSessionBroad = defineRule({
  id: 'trust-tag-session-broad',
  description: 'sts:TagSession granted to a broad principal, whose session tags could then satisfy ABAC conditions.',
  defaultEnforcement: 'advisory',
  exemptable: true,
  broad: true,
  emittedBy: ['analyzeTrustPolicy'],
  fix: 'Narrow the principal first, or drop sts:TagSession.',
});

/** Judges a principal another rule found broad: reported when its statement also grants sts:TagSession. */
export function judgeTagSession(s: NormalizedStatement, pr: NormalizedPrincipal, out: FindingSink): void {
  if ((s.actionMask & TAG_SESSION) === 0) return;
  const fix = trustTagSessionBroad.fix;
  out.add(trustTagSessionBroad.id, `Principal::${pr.ref}`, s.index, pr.ref, `Statement ${s.index} grants sts:TagSession to the broad principal ${principalJson(pr)}: the caller can set session tags that later satisfy ABAC conditions such as aws:PrincipalTag. ${fix}`, fix);
}
