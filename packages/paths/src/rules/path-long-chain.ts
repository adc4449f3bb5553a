import { chainText, verdictText } from './describe';
import { definePathRule, type PathFindingDraft } from './rule';

/** A path with more hops than this is a long chain unless the caller says otherwise (the declared chains are CI -> hub -> deploy role). */
export const DEFAULT_LONG_CHAIN_HOPS = 4;

export const pathLongChain = definePathRule({
  id: 'path-long-chain',
  description: `A path into a privileged role with more hops than the long-chain bound (default ${DEFAULT_LONG_CHAIN_HOPS}): each hop looks harmless alone, together they reach the target.`,
  defaultEnforcement: 'advisory',
  fix: 'Cut the chain at its weakest hop: narrow an identity policy that allows sts:AssumeRole on "*", or a trust policy that names a role of another environment.',
  check: (ctx) => {
    const out: PathFindingDraft[] = [];
    for (const t of ctx.targets) {
      for (const p of t.paths) {
        if (p.hops.length <= ctx.longChainHops) continue;
        const subject = `${p.from.kind}:${p.from.id}->${t.target}`;
        if (out.some((f) => f.subject === subject)) continue;
        const fix = 'Cut the chain at its weakest hop: narrow an identity policy that allows sts:AssumeRole on "*", or a trust policy that names a role of another environment.';
        out.push({ subject, target: t.target, path: p, message: `${chainText(p)}: ${p.hops.length} hops (more than ${ctx.longChainHops}) reach ${t.target} (${t.why}), ${verdictText(p)}. ${fix}`, fix });
      }
    }
    return out;
  },
});
