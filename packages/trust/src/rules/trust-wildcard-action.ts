import { ALL_TRUST_ACTIONS, actionBits, actionNames } from '../actions';
import { hasWildcard } from '../conditions';
import type { FindingSink } from '../context';
import type { NormalizedStatement } from '../model';
import { quote } from '../normalize';
import { defineRule } from './rule';
import { reportNotActionGrantsNothing } from './trust-malformed';

export const trustWildcardAction = defineRule({
  id: 'trust-wildcard-action',
  description: 'Trust actions "*" or "sts:*", which also grant web identity, SAML, TagSession and SetSourceIdentity.',
  defaultEnforcement: 'mandatory',
  exemptable: true,
  broad: true,
  emittedBy: ['analyzeTrustPolicy'],
  fix: 'List only the actions the principal needs, usually "sts:AssumeRole".',
});

const NOT_ACTION_FIX = 'Use Action and list only the actions the principal needs, usually "sts:AssumeRole".';

/**
 * Judges an Allow statement's actions: NotAction (grants every other trust action) and each distinct
 * wildcard that expands to every trust action ("*", "sts:*", and "s*", "st?:*", "sts:*e*" alike).
 */
export function judgeActions(s: NormalizedStatement, out: FindingSink): void {
  const i = s.index;
  if (s.notAction) {
    if (s.actionMask === 0) {
      reportNotActionGrantsNothing(s, out);
      return;
    }
    out.add(trustWildcardAction.id, 'Action::NotAction', i, undefined, `Statement ${i} allows NotAction ${quote(s.actions)}, which grants every other trust action (${actionNames(s.actionMask, true).join(', ')}). ${NOT_ACTION_FIX}`, NOT_ACTION_FIX);
    return;
  }
  // Only an action that expands to every trust action is reported, and then the mask is full.
  if (s.actionMask !== ALL_TRUST_ACTIONS) return;
  const actions = s.actions;
  let seen: Set<string> | undefined;
  for (let k = 0; k < actions.length; k++) {
    const a = actions[k];
    // Judged by what the wildcard expands to: "s*", "st?:*" and "sts:*e*" grant every trust action just like "sts:*".
    if (!hasWildcard(a) || actionBits(a) !== ALL_TRUST_ACTIONS) continue;
    if ((seen ??= new Set()).has(a)) continue;
    seen.add(a);
    const which = a === '*' || a === 'sts:*' ? 'which' : 'which matches every STS trust action just as "sts:*" does, and so';
    const fix = trustWildcardAction.fix;
    out.add(trustWildcardAction.id, `Action::${a}`, i, undefined, `Statement ${i} allows action ${quote(a)}, ${which} also grants sts:AssumeRoleWithWebIdentity, sts:AssumeRoleWithSAML, sts:TagSession and sts:SetSourceIdentity. ${fix}`, fix);
  }
}
