import type { FindingSink } from '../context';
import type { NormalizedStatement } from '../model';
import { defineRule } from './rule';

export const trustNotPrincipal = defineRule({
  id: 'trust-not-principal',
  description: 'NotPrincipal with Allow: everyone except the listed principals may assume the role.',
  defaultEnforcement: 'mandatory',
  exemptable: false,
  lockedReason: 'NotPrincipal with Allow admits everyone except the listed principals',
  broad: true,
  emittedBy: ['analyzeTrustPolicy'],
  fix: 'Use Principal and name the role ARNs that need access.',
});

/** Reports an Allow statement with NotPrincipal (always); returns the listed principals' refs, comma-separated. */
export function reportNotPrincipal(s: NormalizedStatement, out: FindingSink): string {
  const listed = s.principals.map((pr) => pr.ref).join(', ');
  const fix = trustNotPrincipal.fix;
  out.add(trustNotPrincipal.id, `Statement::${s.index}`, s.index, undefined, `Statement ${s.index} uses NotPrincipal with Allow: everyone except ${listed || 'the listed principals'} may assume this role. ${fix}`, fix);
  return listed;
}
