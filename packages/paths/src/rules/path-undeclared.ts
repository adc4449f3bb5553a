import { chainText, lastCaller, verdictText } from './describe';
import { definePathRule, type PathFindingDraft } from './rule';

export const pathUndeclared = definePathRule({
  id: 'path-undeclared',
  description: "A path into a registry deploy role whose last hop is not from one of that account's declared trustedPrincipals: the live trust differs from what the registry declares.",
  defaultEnforcement: 'mandatory',
  fix: "Remove the undeclared caller from the deploy role's trust policy (the access project writes it from the registry), or declare it in the account's trustedPrincipals.",
  check: (ctx) => {
    const out: PathFindingDraft[] = [];
    for (const account of ctx.declared.accounts) {
      const t = ctx.targets.find((x) => x.target === account.deployRoleArn);
      if (t === undefined) continue;
      const seen = new Set<string>();
      for (const p of t.paths) {
        const caller = lastCaller(p);
        if (account.trustedPrincipals.includes(caller)) continue;
        const subject = `${caller}->${t.target}`;
        if (seen.has(subject)) continue;
        seen.add(subject);
        const fix = `Remove ${caller} from the trust policy of ${t.target}, or declare it in accounts.json accounts["${account.key}"].trustedPrincipals if it is meant to deploy.`;
        out.push({
          subject,
          target: t.target,
          path: p,
          message: `${chainText(p)}: the deploy role of account ${account.key} is assumed by ${caller}, which the registry does not declare (declared: ${account.trustedPrincipals.join(', ')}), ${verdictText(p)}. ${fix}`,
          fix,
        });
      }
    }
    return out;
  },
});
