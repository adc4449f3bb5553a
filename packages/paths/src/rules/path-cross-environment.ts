import { accountOf, chainText, originPrincipal, verdictText } from './describe';
import { environmentOf } from './declared';
import { definePathRule, type PathFindingDraft } from './rule';

export const pathCrossEnvironment = definePathRule({
  id: 'path-cross-environment',
  description: 'A principal of an account of one registry environment reaches a privileged role in an account of another, from the start of the chain or from a role it passes (the identity account belongs to none).',
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
        // The first principal on the chain (its origin, else a role it passes) of another environment than
        // the target's: the hub reaching a dev role through the prod deploy role is prod reaching dev.
        const callers = [originPrincipal(p), ...p.hops.slice(0, -1)];
        const at = callers.findIndex((c) => {
          const a = accountOf(c);
          const env = a === undefined ? undefined : environmentOf(ctx.declared, a);
          return env !== undefined && env !== targetEnv;
        });
        if (at < 0) continue;
        const origin = callers[at];
        const originEnv = environmentOf(ctx.declared, accountOf(origin) as string) as string;
        const subject = `${origin}->${t.target}`;
        if (seen.has(subject)) continue;
        seen.add(subject);
        // The first hop that leaves the origin's environment is where the chain is best cut.
        const after = at === 0 ? p.hops : p.hops.slice(p.hops.indexOf(origin) + 1);
        const crossing = after.find((h) => {
          const a = accountOf(h);
          return a !== undefined && environmentOf(ctx.declared, a) !== originEnv;
        });
        const fix = `Cut the chain where it leaves ${originEnv}${crossing !== undefined ? ` (the hop into ${crossing})` : ''}: remove the caller from that role's trust policy, or narrow the caller's sts:AssumeRole resources to ${originEnv} roles.`;
        out.push({
          subject,
          target: t.target,
          path: p,
          message: `${chainText(p)}: ${origin} (environment ${originEnv}) reaches ${t.target} (environment ${targetEnv}; ${t.why}) in ${after.length} hop${after.length === 1 ? '' : 's'}, ${verdictText(p)}. ${fix}`,
          fix,
        });
      }
    }
    return out;
  },
});
