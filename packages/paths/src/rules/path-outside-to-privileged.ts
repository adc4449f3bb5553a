import { chainText, verdictText } from './describe';
import type { Declared } from './declared';
import { definePathRule, type PathFindingDraft } from './rule';
import type { AccessPath, OrgSnapshot } from '../types';

/**
 * True when the entry is outside the zone of trust: anyone; an account that is neither in the organization
 * nor the registry (declared vendors are outside too); a web-identity provider whose first hop does not pin
 * the token's subject (`…:sub` with exact values). Services, SAML providers of our accounts and principals of
 * the snapshot are inside.
 */
export function outsideEntry(path: AccessPath, declared: Declared, snapshot: OrgSnapshot): boolean {
  const from = path.from;
  if (from.kind === 'anyone') return true;
  if (from.kind === 'account') {
    const ours = new Set<string>([declared.identity.accountId, ...declared.accounts.map((a) => a.accountId), ...(snapshot.organization?.accounts.map((a) => a.accountId) ?? [])]);
    return !ours.has(from.id) || declared.externalAccounts.some((v) => v.accountId === from.id);
  }
  if (from.kind === 'federated') {
    if (/:saml-provider\//.test(from.id)) return false;
    const pinned = path.guards.some((g) => g.hop === 0 && g.key.endsWith(':sub') && (g.values?.length ?? 0) > 0 && g.values!.every((v) => !/[*?]/.test(v)) && !/like/i.test(g.operator ?? ''));
    return !pinned;
  }
  return false;
}

export const pathOutsideToPrivileged = definePathRule({
  id: 'path-outside-to-privileged',
  description: 'An entry point outside the zone of trust (anyone, an account outside the organization or a vendor, a web-identity provider without a pinned subject) reaches a privileged role.',
  defaultEnforcement: 'mandatory',
  fix: 'Cut the first hop: narrow the trust policy of the first role to principals of the organization (aws:PrincipalOrgID), pin the token subject, or deny it with an RCP.',
  check: (ctx) => {
    const out: PathFindingDraft[] = [];
    for (const t of ctx.targets) {
      const seen = new Set<string>();
      for (const p of t.paths) {
        if (!outsideEntry(p, ctx.declared, ctx.snapshot)) continue;
        const subject = `${p.from.kind}:${p.from.id}->${t.target}`;
        if (seen.has(subject)) continue;
        seen.add(subject);
        const first = p.hops[0];
        out.push({
          subject,
          target: t.target,
          path: p,
          message: `${chainText(p)}: an entry point outside the zone of trust reaches ${t.target} (${t.why}) in ${p.hops.length} hop${p.hops.length === 1 ? '' : 's'}, ${verdictText(p)}. Narrow the trust policy of ${first} to principals of the organization (aws:PrincipalOrgID) or pin the caller, or block it with an RCP.`,
          fix: `Narrow the trust policy of ${first} to principals of the organization (aws:PrincipalOrgID) or pin the caller, or block it with an RCP.`,
        });
      }
    }
    return out;
  },
});
