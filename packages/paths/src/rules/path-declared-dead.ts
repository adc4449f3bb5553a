import { accountOf } from './describe';
import { definePathRule, type PathFindingDraft } from './rule';

export const pathDeclaredDead = definePathRule({
  id: 'path-declared-dead',
  description: 'A declared trusted principal of a deploy role that the snapshot does not have, or that cannot assume the deploy role there: the declared chain is dead.',
  defaultEnforcement: 'advisory',
  fix: 'Remove the principal from the account\'s trustedPrincipals in accounts.json, or create it (and its sts:AssumeRole allow) in its account.',
  check: (ctx) => {
    const out: PathFindingDraft[] = [];
    const accounts = new Map(ctx.snapshot.accounts.map((a) => [a.accountId, a]));
    const exists = (arn: string): boolean | undefined => {
      const a = accounts.get(accountOf(arn) ?? '');
      if (a === undefined || a.status !== 'read') return undefined;
      return a.roles.some((r) => r.arn === arn) || a.users.some((u) => u.arn === arn);
    };
    for (const account of ctx.declared.accounts) {
      const deploy = exists(account.deployRoleArn);
      if (deploy === false) {
        const fix = `Deploy the access project (it creates ${account.deployRoleArn}), or remove account "${account.key}" from accounts.json.`;
        out.push({ subject: account.deployRoleArn, target: account.deployRoleArn, message: `The deploy role ${account.deployRoleArn} of account ${account.key} is declared in the registry but not in the snapshot. ${fix}`, fix });
        continue;
      }
      for (const principal of account.trustedPrincipals) {
        const has = exists(principal);
        const where = accountOf(principal);
        if (has === undefined) {
          // Its account is not in the snapshot (or unreadable, which the reader reported): nothing to compare.
          if (where !== undefined && !accounts.has(where)) {
            const fix = `Add ${where}.json to the snapshot, or remove ${principal} from accounts["${account.key}"].trustedPrincipals.`;
            out.push({ subject: `${principal}->${account.deployRoleArn}`, target: account.deployRoleArn, message: `${principal}, declared as a trusted principal of the deploy role of account ${account.key}, is in account ${where}, which the snapshot does not have, so the declared chain cannot be confirmed. ${fix}`, fix });
          }
          continue;
        }
        if (!has) {
          const fix = `Remove ${principal} from accounts.json accounts["${account.key}"].trustedPrincipals, or create it in account ${where}.`;
          out.push({ subject: `${principal}->${account.deployRoleArn}`, target: account.deployRoleArn, message: `${principal} is declared as a trusted principal of the deploy role of account ${account.key}, but the snapshot has no such principal: the declared chain is dead. ${fix}`, fix });
        } else if (deploy === true && !ctx.canAssume(principal, account.deployRoleArn)) {
          const fix = `Make ${account.deployRoleArn} trust ${principal} and let ${principal} call sts:AssumeRole on it (the access project writes both from the registry), or remove it from accounts["${account.key}"].trustedPrincipals.`;
          out.push({ subject: `${principal}->${account.deployRoleArn}`, target: account.deployRoleArn, message: `${principal} is declared as a trusted principal of the deploy role of account ${account.key}, but in the snapshot it cannot assume ${account.deployRoleArn}: the declared chain is dead. ${fix}`, fix });
        }
      }
    }
    return out;
  },
});
