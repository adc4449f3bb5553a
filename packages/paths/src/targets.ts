import { ACCOUNT_ID, principalAccount } from '@trustline/trust';
import type { Declared } from './rules/declared';

/** A role a report asks "who can reach" about, and why it is one. */
export interface Target {
  readonly target: string;
  /** `deploy role of account prod`, `allows *`, `allows iam:*`, `asked for`, several joined by `; `. */
  readonly why: string;
}

/** The targets, or the sentences saying which `--to` values name nothing. */
export type TargetSelection = { readonly ok: true; readonly targets: Target[] } | { readonly ok: false; readonly problems: string[] };

/**
 * The roles to ask about. Without `to`: every registry deploy role the snapshot has, and every privileged
 * role (`privileged`, the engine's `privilegedRoles`), each with why. Each `to` value is a role ARN (asked for;
 * it must be a role of the snapshot), an account key of the registry or an account id (every default target
 * in that account). Sorted by ARN, each once.
 */
export function selectTargets(declared: Declared, privileged: readonly { readonly arn: string; readonly why: string }[], roles: readonly string[], to: readonly string[] = []): TargetSelection {
  const known = new Set(roles);
  const why = new Map<string, string[]>();
  const add = (arn: string, reason: string) => {
    const list = why.get(arn) ?? [];
    if (!list.includes(reason)) list.push(reason);
    why.set(arn, list);
  };
  const defaults = new Map<string, string[]>();
  for (const a of declared.accounts) if (known.has(a.deployRoleArn)) defaults.set(a.deployRoleArn, [`deploy role of account ${a.key}`]);
  for (const p of privileged) defaults.set(p.arn, [...(defaults.get(p.arn) ?? []), p.why]);
  const problems: string[] = [];
  if (to.length === 0) for (const [arn, reasons] of defaults) for (const r of reasons) add(arn, r);
  for (const value of to) {
    if (value.startsWith('arn:')) {
      if (known.has(value)) add(value, 'asked for');
      else problems.push(`--to ${value} names no role of the snapshot; give a role ARN the snapshot holds, an account key (${declared.accounts.map((a) => a.key).join(', ')}) or an account id.`);
      continue;
    }
    const account = ACCOUNT_ID.test(value) ? value : declared.accounts.find((a) => a.key === value)?.accountId;
    if (account === undefined) {
      problems.push(`--to ${JSON.stringify(value)} is neither a role ARN nor an account of the registry; the account keys are ${declared.accounts.map((a) => a.key).join(', ')}.`);
      continue;
    }
    const inAccount = [...defaults].filter(([arn]) => principalAccount(arn) === account);
    if (inAccount.length === 0) problems.push(`--to ${value}: account ${account} has no deploy role or privileged role in the snapshot.`);
    for (const [arn, reasons] of inAccount) for (const r of reasons) add(arn, r);
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, targets: [...why].sort(([a], [b]) => a.localeCompare(b)).map(([target, reasons]) => ({ target, why: reasons.join('; ') })) };
}
