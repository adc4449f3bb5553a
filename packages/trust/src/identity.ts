import { ASSUME_ROLE } from './actions';
import { arnAccount, hasWildcard, operatorWeakness } from './conditions';
import { FindingSink, prepare, type Prepared } from './context';
import type { NormalizedPolicy, NormalizedStatement } from './model';
import { normalizePolicy, quote } from './normalize';
import type { Finding, TrustGuardConfig } from './types';
import { internalError } from './analyze';

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
 * Shapes IAM refuses in an identity policy, reported as `trust-malformed` (mandatory by default): a
 * Statement that is missing, an empty list, or holds something other than objects (`[[{...}]]`, `[1]`),
 * an unknown document field, a repeated key, a Version that is not a string, and statements without Effect, Action or
 * Resource (`[{}]`). Such a document cannot be validated, so it must never pass as "no findings".
 */
function shapeChecks(model: NormalizedPolicy, out: FindingSink): void {
  for (const pr of model.problems) {
    if (pr.statementIndex !== null && pr.field !== 'Statement') continue;
    // The trust analyzer's keys, so one exemption key means the same under both.
    const subject = pr.statementIndex === null ? pr.field : `Statement::${pr.statementIndex}::${pr.field}`;
    out.add('trust-malformed', subject, pr.statementIndex, undefined, `The identity policy cannot be validated: ${pr.message}`);
  }
  for (const s of model.statements) {
    const missing = [s.effect === undefined ? 'a valid Effect ("Allow" or "Deny")' : undefined, s.actionMissing ? 'an Action or NotAction' : undefined, s.hasResource ? undefined : 'a Resource or NotResource'].filter(
      (m): m is string => m !== undefined,
    );
    if (missing.length === 0) continue;
    out.add('trust-malformed', `Statement::${s.index}`, s.index, undefined, `Statement ${s.index} of the identity policy lacks ${missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]}`}; IAM refuses it, so what it grants cannot be judged. Write "Effect", "Action" and "Resource".`);
  }
}

/**
 * Judges an identity policy (attached to a user, group or role): rule `identity-assume-any-role`
 * reports an Allow of sts:AssumeRole (also through `*`, `sts:*`, `sts:Assume*`, NotAction) on every role
 * in every account, unless aws:ResourceOrgID/aws:ResourceAccount keep it inside the organization;
 * rule `trust-malformed` reports shapes IAM refuses (see shapeChecks). Never throws.
 */
export function analyzeIdentityPolicy(doc: unknown, config: TrustGuardConfig): Finding[] {
  try {
    const p = prepare(config);
    const out = new FindingSink(p);
    const model = normalizePolicy(doc);
    if (!model.parsed) {
      out.add('trust-malformed', 'Document', null, undefined, `The identity policy could not be validated: ${model.problems[0]?.message ?? 'it is not a policy document.'}`);
      return out.findings;
    }
    shapeChecks(model, out);
    for (const s of model.statements) {
      if (s.effect !== 'Allow' || (s.actionMask & ASSUME_ROLE) === 0) continue;
      const broad = s.notResource ? s.resources : s.resources.filter(anyAccountRole);
      const keyed = s.notResource ? ['NotResource'] : broad;
      if (broad.length === 0 && !s.notResource) continue;
      if (resourceBounded(s, p)) continue;
      for (const r of keyed) {
        const what = s.notResource ? `NotResource ${quote(s.resources)}` : `Resource ${quote(r)}`;
        const sample = s.notResource ? undefined : arnAccount(r);
        out.add(
          'identity-assume-any-role',
          `Resource::${r}`,
          s.index,
          undefined,
          `Statement ${s.index} allows sts:AssumeRole on ${what}${sample !== undefined ? ` (account "${sample}")` : ''}: the holder can assume any role, in any account, that trusts its account. List the role ARNs it needs, or add "StringEquals": {"aws:ResourceOrgID": "${p.org ?? '<your organization id>'}"}.`,
        );
      }
    }
    return out.findings;
  } catch (e) {
    return internalError(e, config);
  }
}
