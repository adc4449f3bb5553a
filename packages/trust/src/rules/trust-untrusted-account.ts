import type { Bounds } from '../bounds';
import type { FindingSink } from '../context';
import type { Fenced } from '../fences';
import type { NormalizedPrincipal, NormalizedStatement } from '../model';
import { defineRule } from './rule';
import { principalJson } from '../principals';

export const trustUntrustedAccount = defineRule({
  id: 'trust-untrusted-account',
  description: 'A principal in an account that is neither a trusted account of the organization nor a declared external account.',
  defaultEnforcement: 'mandatory',
  exemptable: true,
  broad: true,
  emittedBy: ['analyzeTrustPolicy'],
  fix: 'Remove it, or add the account to trustedAccounts (or to externalAccounts with an sts:ExternalId).',
});

const SERVICE_FIX = 'Name only your own accounts in aws:SourceAccount and aws:SourceArn, or add the account to trustedAccounts.';

/**
 * Judges an AWS principal (account, role, user, session) in `account`, which is neither trusted nor a
 * declared vendor: acceptable only when a condition or a Deny fence bounds the caller to trusted
 * identities. Returns true when it fired.
 */
export function judgeUntrustedAccount(s: NormalizedStatement, pr: NormalizedPrincipal, account: string, b: Bounds, fenced: Fenced, out: FindingSink): boolean {
  if (b.identity || fenced.identity) return false;
  const note = b.note === undefined ? '' : ` ${b.note}.`;
  const fix = trustUntrustedAccount.fix;
  out.add(trustUntrustedAccount.id, `Principal::${pr.ref}`, s.index, pr.ref, `Principal ${principalJson(pr)} is in account ${account}, which is neither a trusted account nor a declared external account.${note} ${fix}`, fix);
  return true;
}

/** A service principal that aws:SourceAccount / aws:SourceArn make act for `foreign`, accounts that are not ours. */
export function reportForeignServiceAccount(s: NormalizedStatement, pr: NormalizedPrincipal, foreign: readonly string[], out: FindingSink): void {
  out.add(
    trustUntrustedAccount.id,
    `Principal::${pr.ref}`,
    s.index,
    pr.ref,
    `Service principal ${principalJson(pr)} acts for account ${foreign.join(', ')} (named in aws:SourceAccount or aws:SourceArn), which is neither a trusted account nor a declared external account: resources there can make the service use this role. ${SERVICE_FIX}`,
    SERVICE_FIX,
  );
}
