import type { Bounds } from '../bounds';
import type { FindingSink } from '../context';
import type { Fenced } from '../fences';
import type { NormalizedPrincipal, NormalizedStatement } from '../model';
import { defineRule } from './rule';
import { principalJson } from '../principals';

export const trustAnyPrincipal = defineRule({
  id: 'trust-any-principal',
  description: 'A principal that is "*" in any form, or an ARN with a wildcard in its account or name, not bounded by a condition naming trusted identities.',
  defaultEnforcement: 'mandatory',
  exemptable: true,
  unexemptablePrincipals: ['*', 'AWS::*'],
  lockedReason: 'an unbounded "*" principal lets anyone assume the role',
  broad: true,
  emittedBy: ['analyzeTrustPolicy'],
  fix: 'Name the role ARNs that need access, or bound it with aws:PrincipalOrgID.',
});

const WILDCARD_ARN_FIX = 'Name the exact role ARNs in trusted accounts, or bound it with aws:PrincipalOrgID.';

/**
 * Judges a principal that is `"*"` / `{"AWS": "*"}` (kind `any`) or an AWS ARN with a wildcard: it is
 * acceptable only when a condition or a Deny fence bounds the caller to trusted identities. Returns true
 * when it fired (the principal is broad).
 */
export function judgeAnyPrincipal(s: NormalizedStatement, pr: NormalizedPrincipal, b: Bounds, fenced: Fenced, out: FindingSink): boolean {
  if (b.identity || fenced.identity) return false;
  const note = b.note === undefined ? '' : ` ${b.note}.`;
  if (pr.kind === 'any') {
    const who = pr.type === '*' ? 'anyone (any AWS account, and any federated or service caller)' : 'any AWS account';
    const fix = trustAnyPrincipal.fix;
    out.add(trustAnyPrincipal.id, `Principal::${pr.ref}`, s.index, pr.ref, `Principal ${principalJson(pr)} lets ${who} assume this role.${note} ${fix}`, fix);
  } else {
    out.add(
      trustAnyPrincipal.id,
      `Principal::${pr.ref}`,
      s.index,
      pr.ref,
      `Principal ${principalJson(pr)} has a wildcard, so it trusts every ${pr.accountId === undefined ? 'account' : 'principal'} that matches it (and IAM refuses wildcards in principal ARNs).${note} ${WILDCARD_ARN_FIX}`,
      WILDCARD_ARN_FIX,
    );
  }
  return true;
}
