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

/**
 * The edges into a target the drift rules judge: every edge the engine gives (`edgesInto`), then the last
 * hop of each path into it that no such edge already covers (when the caller gave no `edgesInto`).
 * Each comes as a path, so a message can show it; its last hop is the edge.
 */
export function edgesIntoTarget(target: string, paths: readonly AccessPath[], edgesInto: ((roleArn: string) => readonly AccessPath[]) | undefined): AccessPath[] {
  const out: AccessPath[] = [];
  const seen = new Set<string>();
  const add = (p: AccessPath) => {
    const caller = lastCaller(p);
    if (seen.has(caller)) return;
    seen.add(caller);
    out.push(p);
  };
  paths.forEach(add);
  (edgesInto?.(target) ?? []).forEach(add);
  return out;
}

/** The guards of a path's last hop (the edge into its target). */
export function lastHopGuards(path: AccessPath): AccessPath['guards'] {
  const last = path.hops.length - 1;
  return path.guards.filter((g) => g.hop === last);
}
