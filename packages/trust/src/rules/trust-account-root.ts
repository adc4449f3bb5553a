import type { Bounds } from '../bounds';
import type { FindingSink } from '../context';
import type { Fenced } from '../fences';
import type { NormalizedPrincipal, NormalizedStatement } from '../model';
import { defineRule } from './rule';
import { principalJson } from '../principals';

export const trustAccountRoot = defineRule({
  id: 'trust-account-root',
  description: 'The root (or bare id) of a trusted account without a narrowing aws:PrincipalArn condition: every identity there allowed to call sts:AssumeRole gets in.',
  defaultEnforcement: 'advisory',
  exemptable: true,
  broad: false,
  emittedBy: ['analyzeTrustPolicy'],
  fix: 'Name the role ARNs that need access, or add "ArnLike": {"aws:PrincipalArn": "arn:aws:iam::<account>:role/<name>"}.',
});

/** Judges the root (or bare id) of a trusted `account`: reported unless aws:PrincipalArn (or a fence) narrows it to named principals. */
export function judgeTrustedRoot(s: NormalizedStatement, pr: NormalizedPrincipal, account: string, b: Bounds, fenced: Fenced, out: FindingSink): void {
  if (b.arn || fenced.arn) return;
  const fix = `Name the role ARNs that need access, or add "ArnLike": {"aws:PrincipalArn": "arn:aws:iam::${account}:role/<name>"}.`;
  out.add(trustAccountRoot.id, `Principal::${pr.ref}`, s.index, pr.ref, `Principal ${principalJson(pr)} trusts the whole account ${account}: every user or role there that may call sts:AssumeRole gets in. ${fix}`, fix);
}
