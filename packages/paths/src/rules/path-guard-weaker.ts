import type { AccessPath, PathGuard } from '../types';
import { chainText, edgesIntoTarget, lastCaller, lastHopGuards } from './describe';
import { definePathRule, type PathFindingDraft } from './rule';

/**
 * True when the guards of an edge require exactly this `sts:ExternalId`: an Allow condition
 * `StringEquals sts:ExternalId` with only that value, or a Deny unless `StringNotEquals` that value (from the
 * trust policy, the caller's policies, an SCP or an RCP). `StringLike`, `…IfExists`, `ForAnyValue:`, a
 * case-insensitive compare or a second value each let another ExternalId through.
 */
export function requiresExternalId(guards: readonly PathGuard[], externalId: string): boolean {
  return guards.some((g) => {
    if (g.source === 'engine' || g.key !== 'sts:externalid' || g.values === undefined || g.values.length === 0) return false;
    const op = (g.operator ?? '').toLowerCase();
    if (op !== 'stringequals' && op !== 'not(stringnotequals)') return false;
    return g.values.every((v) => v === externalId);
  });
}

/** What the edge has in place of the declared ExternalId, in words. */
function actual(p: AccessPath): string {
  const ext = lastHopGuards(p).filter((g) => g.key === 'sts:externalid');
  return ext.length === 0 ? 'no sts:ExternalId condition' : ext.map((g) => g.text).join('; ');
}

export const pathGuardWeaker = definePathRule({
  id: 'path-guard-weaker',
  description: "An edge into a registry deploy role without a guard the registry declares for it: the account's externalId (accounts[].externalId) is not required as an exact sts:ExternalId on that edge.",
  defaultEnforcement: 'mandatory',
  fix: "Require the declared ExternalId in the deploy role's trust policy (Condition StringEquals sts:ExternalId, exactly the registry's value; the access project writes it), or remove externalId from the account in accounts.json.",
  check: (ctx) => {
    const out: PathFindingDraft[] = [];
    for (const account of ctx.declared.accounts) {
      if (account.externalId === undefined) continue;
      const t = ctx.targets.find((x) => x.target === account.deployRoleArn);
      if (t === undefined) continue;
      for (const p of edgesIntoTarget(account.deployRoleArn, t.paths, ctx.edgesInto)) {
        if (requiresExternalId(lastHopGuards(p), account.externalId)) continue;
        const caller = lastCaller(p);
        const fix = `Add Condition StringEquals sts:ExternalId "${account.externalId}" to the statement of the trust policy of ${account.deployRoleArn} that admits ${caller} (the access project writes it from accounts.json), or remove externalId from accounts["${account.key}"] if the account no longer needs it.`;
        out.push({
          subject: `${caller}->${account.deployRoleArn}`,
          target: account.deployRoleArn,
          path: p,
          message: `${chainText(p)}: the registry declares that the deploy role of account ${account.key} requires sts:ExternalId "${account.externalId}", but ${caller} assumes it with ${actual(p)}: the guard is weaker than declared. ${fix}`,
          fix,
        });
      }
    }
    return out;
  },
});
