import { mainActionOf } from '../actions';
import type { FindingSink } from '../context';
import { federationProblem, providerLabel } from '../federation';
import type { NormalizedPrincipal, NormalizedStatement } from '../model';
import { defineRule } from './rule';
import { principalJson } from '../principals';

export const trustFederationUnbounded = defineRule({
  id: 'trust-federation-unbounded',
  description: 'A web identity or SAML provider trusted without audience and subject conditions that pin the caller.',
  defaultEnforcement: 'mandatory',
  exemptable: true,
  broad: true,
  emittedBy: ['analyzeTrustPolicy'],
  fix: "Pin the provider's audience and subject claims with StringEquals (or StringLike on a fixed owner prefix).",
});

const WILDCARD_FIX = 'Name the exact provider ARN in this account.';

/**
 * Judges a web identity or SAML principal granted its federation action: a wildcard provider ARN, or
 * conditions that do not pin audience and subject (per issuer, see federation.ts). Returns true when a
 * non-informational finding fired.
 */
export function judgeFederated(s: NormalizedStatement, pr: NormalizedPrincipal, out: FindingSink): boolean {
  if ((s.actionMask & mainActionOf(pr)) === 0) return false;
  if (pr.wildcard) {
    out.add(trustFederationUnbounded.id, `Principal::${pr.ref}`, s.index, pr.ref, `Federated principal ${principalJson(pr)} has a wildcard, so it trusts every identity provider that matches it (and IAM refuses wildcards in principal ARNs). ${WILDCARD_FIX}`, WILDCARD_FIX);
    return true;
  }
  const problem = federationProblem(s, pr);
  if (problem === undefined) return false;
  out.add(trustFederationUnbounded.id, `Principal::${pr.ref}`, s.index, pr.ref, `Federated principal ${principalJson(pr)} (${providerLabel(pr)}) is not bounded: ${problem.reason}. ${problem.fix}`, problem.fix, problem.informational);
  return !problem.informational;
}
