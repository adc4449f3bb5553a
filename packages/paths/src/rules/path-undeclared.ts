import { chainText, edgesIntoTarget, lastCaller, verdictText } from './describe';
import { definePathRule, type PathFindingDraft } from './rule';

export const pathUndeclared = definePathRule({
  id: 'path-undeclared',
  description: "An edge into a registry deploy role from a caller that is not one of that account's declared trustedPrincipals (every such edge, whether or not a shortest path passes it): the live or code trust differs from what the registry declares.",
  defaultEnforcement: 'mandatory',
  fix: "Remove the undeclared caller from the deploy role's trust policy (the access project writes it from the registry), or declare it in the account's trustedPrincipals.",
  check: (ctx) => {
    const out: PathFindingDraft[] = [];
    for (const account of ctx.declared.accounts) {
      const t = ctx.targets.find((x) => x.target === account.deployRoleArn);
      if (t === undefined) continue;
      // One finding per undeclared edge (caller -> deploy role), shown with a path through it when there is one.
      for (const p of edgesIntoTarget(account.deployRoleArn, t.paths, ctx.edgesInto)) {
        const caller = lastCaller(p);
        if (account.trustedPrincipals.includes(caller)) continue;
        const fix = `Remove ${caller} from the trust policy of ${account.deployRoleArn}, or declare it in accounts.json accounts["${account.key}"].trustedPrincipals if it is meant to deploy.`;
        out.push({
          subject: `${caller}->${account.deployRoleArn}`,
          target: account.deployRoleArn,
          path: p,
          message: `${chainText(p)}: the deploy role of account ${account.key} is assumed by ${caller}, which the registry does not declare (declared: ${account.trustedPrincipals.join(', ') || 'none'}), ${verdictText(p)}. ${fix}`,
          fix,
        });
      }
    }
    return out;
  },
});
