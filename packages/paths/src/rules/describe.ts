import { principalAccount } from '@trustline/trust';
import type { AccessPath, PathEntry } from '../types';

/** How an entry point is named in messages: `service ec2.amazonaws.com`, `account 999999999999`, `anyone (*)`. */
export function entryLabel(from: PathEntry): string {
  return from.kind === 'anyone' ? 'anyone (*)' : `${from.kind} ${from.id}`;
}

/** `service ec2.amazonaws.com -> arn:…:role/a -> arn:…:role/b`: the entry, then every role assumed. */
export function chainText(path: AccessPath): string {
  return [entryLabel(path.from), ...path.hops].join(' -> ');
}

/** The clause saying under which conditions the path is open. */
export function verdictText(path: AccessPath): string {
  if (path.verdict === 'always') return 'with no condition to meet';
  const guards = path.guards.map((g) => `hop ${g.hop + 1}: ${g.text}`).join('; ');
  return path.verdict === 'unknown' ? `unknown, because it passes an account the snapshot could not read (${guards})` : `if ${guards}`;
}

/**
 * The principal a path starts from: the entry itself when it is a role or user of the snapshot, else the
 * first role assumed (an EC2 instance role entered by ec2.amazonaws.com is a dev principal).
 */
export function originPrincipal(path: AccessPath): string {
  return path.from.kind === 'role' || path.from.kind === 'user' ? path.from.id : path.hops[0];
}

/** The account of a role or user ARN, an account id, or undefined. */
export function accountOf(idOrArn: string): string | undefined {
  return /^\d{12}$/.test(idOrArn) ? idOrArn : principalAccount(idOrArn);
}

/** Who calls AssumeRole on the last hop: the role before the target, else the entry (an account as its `:root`). */
export function lastCaller(path: AccessPath): string {
  if (path.hops.length >= 2) return path.hops[path.hops.length - 2];
  return path.from.kind === 'account' ? `arn:aws:iam::${path.from.id}:root` : path.from.id;
}
