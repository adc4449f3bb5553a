import { ASSUME_ROLE } from '../actions';
import { arnAccount, hasWildcard, operatorWeakness } from '../conditions';
import type { FindingSink, Prepared } from '../context';
import type { NormalizedStatement } from '../model';
import { quote } from '../normalize';
import { defineRule } from './rule';

export const identityAssumeAnyRole = defineRule({
  id: 'identity-assume-any-role',
  description: 'An identity policy allowing sts:AssumeRole on any role ("*" or a wildcard account).',
  defaultEnforcement: 'advisory',
  exemptable: true,
  broad: false,
  emittedBy: ['analyzeIdentityPolicy'],
  fix: 'List the role ARNs it needs, or add "StringEquals": {"aws:ResourceOrgID": "<your organization id>"}.',
});

/**
 * True when `resource` names roles in any account: `*`, `arn:aws:iam::*:role/*`, `arn:*:iam::*:*`.
 * A wildcard role name in one fixed account is a narrower grant and is not reported.
 */
function anyAccountRole(resource: string): boolean {
  if (resource === '*') return true;
  if (!resource.startsWith('arn:')) return false;
  const parts = resource.split(':');
  if (parts.length < 6) return hasWildcard(resource);
  const service = parts[2];
  if (service !== 'iam' && !hasWildcard(service)) return false;
  return hasWildcard(parts[4]);
}

/**
 * aws:ResourceOrgID / aws:ResourceAccount conditions pin the target roles to ours. The policy variables
 * `${aws:PrincipalOrgID}` / `${aws:PrincipalAccount}` name the holder's own organization or account,
 * which are ours (the analyzer judges our identities), so they pin it too.
 */
function resourceBounded(s: NormalizedStatement, p: Prepared): boolean {
  for (const c of s.conditions) {
    if (operatorWeakness(c) !== undefined) continue;
    if (c.key === 'aws:resourceorgid' && c.values.every((v) => (p.org !== undefined && v === p.org) || v.toLowerCase() === '${aws:principalorgid}')) return true;
    if (c.key === 'aws:resourceaccount' && c.values.every((v) => p.trusted.has(v) || v.toLowerCase() === '${aws:principalaccount}')) return true;
    if (c.key === 'aws:resourceorgpaths' && p.org !== undefined && c.values.every((v) => v.startsWith(p.org + '/'))) return true;
  }
  return false;
}

/**
 * Judges one identity-policy statement: an Allow of sts:AssumeRole (also through `*`, `sts:*`,
 * `sts:Assume*`, NotAction) on every role in every account, unless aws:ResourceOrgID/aws:ResourceAccount
 * keep it inside the organization. One finding per such resource (one for NotResource).
 */
export function judgeAssumeAnyRole(s: NormalizedStatement, p: Prepared, out: FindingSink): void {
  if (s.effect !== 'Allow' || (s.actionMask & ASSUME_ROLE) === 0) return;
  const broad = s.notResource ? s.resources : s.resources.filter(anyAccountRole);
  const keyed = s.notResource ? ['NotResource'] : broad;
  if (broad.length === 0 && !s.notResource) return;
  if (resourceBounded(s, p)) return;
  const fix = `List the role ARNs it needs, or add "StringEquals": {"aws:ResourceOrgID": "${p.org ?? '<your organization id>'}"}.`;
  for (const r of keyed) {
    const what = s.notResource ? `NotResource ${quote(s.resources)}` : `Resource ${quote(r)}`;
    const sample = s.notResource ? undefined : arnAccount(r);
    out.add(
      identityAssumeAnyRole.id,
      `Resource::${r}`,
      s.index,
      undefined,
      `Statement ${s.index} allows sts:AssumeRole on ${what}${sample !== undefined ? ` (account "${sample}")` : ''}: the holder can assume any role, in any account, that trusts its account. ${fix}`,
      fix,
    );
  }
}
