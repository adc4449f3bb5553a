import { withinDeclaredPatterns, type Bounds } from '../bounds';
import type { FindingSink, Prepared } from '../context';
import type { Fenced } from '../fences';
import type { NormalizedPrincipal, NormalizedStatement } from '../model';
import { quote } from '../normalize';
import { defineRule } from './rule';
import { principalJson } from '../principals';

export const trustExternalWithoutExternalId = defineRule({
  id: 'trust-external-without-external-id',
  description:
    'A third-party account trusted without an exact StringEquals sts:ExternalId condition (or a StringLike pattern within one that the vendor is declared with in externalIdPatterns).',
  defaultEnforcement: 'mandatory',
  exemptable: true,
  broad: true,
  emittedBy: ['analyzeTrustPolicy'],
  fix: 'Add "StringEquals": {"sts:ExternalId": "<the unique id agreed with the vendor>"}.',
});

/**
 * Judges a principal in a declared external (vendor) `account`: it needs an exact sts:ExternalId, or a
 * StringLike pattern within the vendor's declared externalIdPatterns (or a Deny fence requiring one).
 * Returns true when it fired.
 */
export function judgeExternalAccount(s: NormalizedStatement, pr: NormalizedPrincipal, account: string, b: Bounds, fenced: Fenced, p: Prepared, out: FindingSink): boolean {
  if (b.externalId || fenced.externalId) return false;
  const declared = p.externalIdPatterns.get(account);
  if (declared !== undefined && b.externalIdPatterns !== undefined && withinDeclaredPatterns(b.externalIdPatterns, declared)) return false;
  const name = p.external.get(account);
  const pattern =
    b.externalIdPatterns === undefined
      ? ''
      : ` The StringLike sts:ExternalId ${quote(b.externalIdPatterns)} is a pattern, and ${declared === undefined ? 'no ExternalId pattern is declared for this vendor' : `it is not within the patterns declared for this vendor ${quote(declared)}`} (declare one under externalAccounts[].externalIdPatterns only if the vendor documents that it fills in the fixed part itself).`;
  const fix = trustExternalWithoutExternalId.fix;
  out.add(
    trustExternalWithoutExternalId.id,
    `Principal::${pr.ref}`,
    s.index,
    pr.ref,
    `Principal ${principalJson(pr)} is the external account ${account}${name === undefined ? '' : ` (${name})`}, trusted without an exact sts:ExternalId, so anyone who learns the role ARN can make that vendor assume it for them (confused deputy).${pattern} ${fix}`,
    fix,
  );
  return true;
}
