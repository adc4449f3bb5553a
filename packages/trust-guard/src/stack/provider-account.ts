import type { AccountRegistry } from '@trustline/registry';
import { unwrapProxy } from '../unknown';
import { allowedAccountIds, chainEndAccount, providerAssumeRoles } from './providers';

/** Name of the Pulumi project that creates the deploy roles in every account. */
export const ACCESS_PROJECT = 'trustline-access';

/** The accounts a stack of one project may deploy into, and how to name them in a message. */
export interface ProjectAccounts {
  readonly label: string;
  readonly ids: readonly string[];
}

/**
 * The accounts a stack of `project` may deploy into: the registry account of the same key, every
 * organization account for the access project, or undefined when the project is not one of ours.
 */
export function accountsForProject(registry: AccountRegistry, project: string): ProjectAccounts | undefined {
  if (project === ACCESS_PROJECT) {
    return { label: `the organization's accounts (${ACCESS_PROJECT} works in the identity and every registry account)`, ids: [registry.identity.accountId, ...registry.accounts.map((a) => a.accountId)] };
  }
  if (project === registry.identity.key) return { label: `identity account ${registry.identity.accountId}`, ids: [registry.identity.accountId] };
  const entry = registry.accounts.find((a) => a.key === project);
  return entry ? { label: `account "${entry.key}" (${entry.accountId})`, ids: [entry.accountId] } : undefined;
}

/**
 * The fields of `props` that decide the provider's account but are not known yet (a preview of values
 * computed from other resources). Empty when everything needed is known.
 */
export function unknownAccountFields(props: unknown): string[] {
  const out: string[] = [];
  const hops = providerAssumeRoles(props);
  if (hops.kind === 'unknown') {
    const p = (unwrapProxy(props) ?? {}) as Record<string, unknown>;
    out.push(p.assumeRoles !== undefined ? 'assumeRoles' : 'assumeRole');
  }
  if (allowedAccountIds(props).kind === 'unknown') out.push('allowedAccountIds');
  return out;
}

/**
 * Why an AWS provider (`what` names it in the message) does not deploy into one of `target`'s accounts,
 * or undefined when its role chain ends in one. Unknown chains are not judged here
 * (see {@link unknownAccountFields}).
 */
export function chainAccountProblem(what: string, props: unknown, project: string, target: ProjectAccounts): string | undefined {
  const hops = providerAssumeRoles(props);
  if (hops.kind === 'unknown') return undefined;
  const fix = `Give the provider an assumeRoles chain ending in a role in ${target.label}.`;
  if (hops.kind !== 'ok') {
    const why = hops.kind === 'invalid' ? hops.problem : 'it has no assumeRoles, so it deploys with whatever credentials the shell has.';
    return `${what} cannot be pinned to an account: ${why} ${fix}`;
  }
  const end = chainEndAccount(hops.value);
  if (end.kind !== 'ok') {
    const why = end.kind === 'invalid' ? end.problem : 'it has no assumeRoles.';
    return `${what} cannot be pinned to an account: ${why} ${fix}`;
  }
  if (!target.ids.includes(end.value)) {
    return `${what} assumes a role in account ${end.value}, but project "${project}" deploys into ${target.label}. ${fix}`;
  }
  return undefined;
}

/**
 * Why the provider's `allowedAccountIds` is not exactly the account its role chain ends in, or undefined
 * when it is (or when either is unknown, or the chain itself cannot be read: {@link chainAccountProblem}
 * reports that).
 */
export function allowedAccountIdsProblem(what: string, props: unknown): string | undefined {
  const hops = providerAssumeRoles(props);
  const allowed = allowedAccountIds(props);
  if (hops.kind !== 'ok' || allowed.kind === 'unknown') return undefined;
  const end = chainEndAccount(hops.value);
  if (end.kind !== 'ok') return undefined;
  const expected = JSON.stringify([end.value]);
  if (allowed.kind === 'absent') {
    return `${what} does not set allowedAccountIds. Set allowedAccountIds: ${expected}, the account its role chain ends in, so it refuses credentials for any other account.`;
  }
  if (allowed.kind === 'invalid') return `${what}: ${allowed.problem} Set allowedAccountIds: ${expected}.`;
  if (allowed.value.length !== 1 || allowed.value[0] !== end.value) {
    return `${what} sets allowedAccountIds ${JSON.stringify(allowed.value)}, but its role chain ends in account ${end.value}. Set allowedAccountIds: ${expected}, exactly that account.`;
  }
  return undefined;
}
