import { accountOf, chainText, originPrincipal, verdictText } from './describe';
import { environmentOf } from './declared';
import { definePathRule, type PathFindingDraft } from './rule';

export const pathCrossEnvironment = definePathRule({
  id: 'path-cross-environment',
  description: 'A principal of an account of one registry environment reaches a privileged role in an account of another (the identity account belongs to none).',
  defaultEnforcement: 'mandatory',
  fix: "Cut a hop of the chain: remove the principal from the next role's trust policy, or narrow its identity policy's sts:AssumeRole resources to roles of its own environment.",
  check: (ctx) => {
    const out: PathFindingDraft[] = [];
    for (const t of ctx.targets) {
      const targetAccount = accountOf(t.target);
      const targetEnv = targetAccount === undefined ? undefined : environmentOf(ctx.declared, targetAccount);
      if (targetEnv === undefined) continue;
      const seen = new Set<string>();
      for (const p of t.paths) {
        const origin = originPrincipal(p);
        const originAccount = accountOf(origin);
        const originEnv = originAccount === undefined ? undefined : environmentOf(ctx.declared, originAccount);
        if (originEnv === undefined || originEnv === targetEnv) continue;
        const subject = `${origin}->${t.target}`;
        if (seen.has(subject)) continue;
        seen.add(subject);
        // The first hop that leaves the origin's environment is where the chain is best cut.
        const crossing = p.hops.find((h) => {
          const a = accountOf(h);
          return a !== undefined && environmentOf(ctx.declared, a) !== originEnv;
        });
        const fix = `Cut the chain where it leaves ${originEnv}${crossing !== undefined ? ` (the hop into ${crossing})` : ''}: remove the caller from that role's trust policy, or narrow the caller's sts:AssumeRole resources to ${originEnv} roles.`;
        out.push({
          subject,
          target: t.target,
          path: p,
          message: `${chainText(p)}: ${origin} (environment ${originEnv}) reaches ${t.target} (environment ${targetEnv}; ${t.why}) in ${p.hops.length} hop${p.hops.length === 1 ? '' : 's'}, ${verdictText(p)}. ${fix}`,
          fix,
        });
      }
    }
    return out;
  },
});
