import { stronglyConnectedComponents } from 'graphology-components';
import type { AccessPath, PathEntry, PathGuard, Verdict } from '../types';
import { edgeGuards, edgeReason, internalOf, type AccessGraph, type EdgeInfo, type Internal, type NodeInfo } from './build';

export interface QueryOptions {
  /** Longest chain considered, in hops (roles assumed). Default 8. */
  readonly maxHops?: number;
  /** false (default): the shortest path from every entry point that reaches the target. true: every simple path up to maxHops. */
  readonly all?: boolean;
}

export const DEFAULT_MAX_HOPS = 8;
/** Bound on the paths one query returns with `all` (a dense organization has exponentially many simple paths). */
export const MAX_PATHS = 100_000;

/** AWS caps a session obtained by role chaining at one hour (the registry's CHAINED_SESSION_MAX_SECONDS). */
const CHAINED_NOTE = 'role chaining: a session assumed with another role session lasts at most one hour';

function maxHopsOf(options: QueryOptions | undefined): number {
  const m = options?.maxHops ?? DEFAULT_MAX_HOPS;
  if (!Number.isInteger(m) || m < 1) throw new RangeError(`maxHops ${JSON.stringify(m)} must be a whole number of hops, at least 1.`);
  return m;
}

/**
 * An entry point: where credentials come from without assuming a role of the graph. Accounts outside the
 * snapshot, providers, services, anyone, users (their own keys), outside principals, and roles of the
 * snapshot that nothing in the graph assumes (their own credentials: an instance profile, a console session).
 */
function isEntry(g: Internal['graph'], key: string): boolean {
  const n = g.getNodeAttributes(key);
  if (n.pseudo === true) return false;
  if (n.kind !== 'role') return true;
  if (!n.inSnapshot) return true;
  const d = g.inDegree(key);
  // A role that only it itself can assume still needs credentials from somewhere: its own.
  return d === 0 || (d === 1 && g.hasEdge(key, key));
}

const isPseudo = (g: Internal['graph'], key: string): boolean => g.getNodeAttributes(key).pseudo === true;

/** Hops an edge a -> b counts: 0 into a capability class node (a membership), 1 otherwise (a role assumed). */
const cost = (g: Internal['graph'], b: string): number => (isPseudo(g, b) ? 0 : 1);

function entryOf(n: NodeInfo): PathEntry {
  return { kind: n.kind, id: n.id };
}

/** Positive SourceIdentity values a guard pins, or undefined when it pins none. */
function sourceIdentityValues(g: PathGuard | EdgeInfo['guards'][number]): readonly string[] | undefined {
  if (g.key !== 'sts:sourceidentity' || g.values === undefined || g.operator === undefined) return undefined;
  const op = g.operator.toLowerCase();
  if (op !== 'stringequals' && op !== 'stringlike' && op !== 'stringequalsignorecase') return undefined;
  return g.values;
}

/** S5: SourceIdentity is set once and cannot change along a chain, so two hops that pin disjoint values cannot both hold. */
function sourceIdentityConflict(guards: readonly PathGuard[]): boolean {
  let pinned: readonly string[] | undefined;
  for (const g of guards) {
    const v = sourceIdentityValues(g);
    if (v === undefined) continue;
    if (v.some((x) => /[*?]/.test(x))) continue;
    if (pinned === undefined) pinned = v;
    else {
      const both = pinned.filter((x) => v.includes(x));
      if (both.length === 0) return true;
      pinned = both;
    }
  }
  return false;
}

/** Builds an AccessPath from node keys (entry first, target last); class nodes are passed through, not hops. */
function assemble(i: Internal, nodes: readonly string[]): AccessPath | undefined {
  const g = i.graph;
  const from = entryOf(g.getNodeAttributes(nodes[0]));
  const hops: string[] = [];
  const guards: PathGuard[] = [];
  const reasons: AccessPath['reasons'][number][] = [];
  const notes: string[] = [];
  for (let k = 0; k + 1 < nodes.length; k++) {
    const to = nodes[k + 1];
    if (isPseudo(g, to)) continue;
    const e = g.getEdgeAttributes(nodes[k], to);
    // Out of a class node, the caller is the member before it, and the policy names are that member's.
    const caller = isPseudo(g, nodes[k]) ? nodes[k - 1] : nodes[k];
    const names = caller === nodes[k] ? e.names : i.principals.get(caller)?.names;
    const hop = hops.length;
    hops.push(to);
    for (const d of edgeGuards(e, names)) guards.push({ hop, ...d });
    reasons.push(edgeReason(e, to, names));
    if (g.getNodeAttributes(caller).kind === 'role') notes.push(`hop ${hop} (${to}): ${CHAINED_NOTE}`);
  }
  if (hops.length === 0 || isPseudo(g, nodes[nodes.length - 1])) return undefined;
  if (sourceIdentityConflict(guards)) return undefined;
  const verdict: Verdict = guards.some((x) => x.key.startsWith('unknown:')) ? 'unknown' : guards.length > 0 ? 'conditional' : 'always';
  return { from, hops, verdict, guards, reasons, ...(notes.length > 0 && { notes }) };
}

/**
 * One path per entry and hop list: a member may reach a role both on its own edge and through its class
 * node; the one with fewer guards is kept. Sorted shortest first.
 */
function distinct(paths: readonly AccessPath[]): AccessPath[] {
  const best = new Map<string, AccessPath>();
  for (const p of paths) {
    const key = `${p.from.kind} ${p.from.id} ${p.hops.join(' ')}`;
    const old = best.get(key);
    if (old === undefined || p.guards.length < old.guards.length) best.set(key, p);
  }
  return [...best.values()].sort(byPath);
}

const byPath = (a: AccessPath, b: AccessPath): number =>
  a.hops.length - b.hops.length || cmp(a.from.kind, b.from.kind) || cmp(a.from.id, b.from.id) || cmp(a.hops.join(' '), b.hops.join(' '));
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Every simple path from `start` following `next` up to `maxHops` hops; `next(key, hops, cb)` offers the
 * neighbours of a node `hops` hops from the start with what stepping to each costs (0 or 1). `emit`
 * receives the node list in walk order and returns false to stop. Bounded, and a node is never repeated
 * on a path, so cycles are never looped on.
 */
function walk(g: Internal['graph'], start: string, maxHops: number, next: (key: string, hops: number, cb: (n: string, cost: number) => void) => void, emit: (path: string[]) => boolean): void {
  const path = [start];
  const on = new Set([start]);
  let stop = false;
  const visit = (key: string, hops: number): void => {
    if (stop) return;
    if (path.length > 1 && !emit(path)) {
      stop = true;
      return;
    }
    next(key, hops, (n, c) => {
      if (stop || on.has(n) || hops + c > maxHops) return;
      // A class node may recur (r1 and r2 of one class on one chain); leaving it always costs a hop, so the walk still ends.
      const pseudo = isPseudo(g, n);
      path.push(n);
      if (!pseudo) on.add(n);
      visit(n, hops + c);
      if (!pseudo) on.delete(n);
      path.pop();
    });
  };
  visit(start, 0);
}

/**
 * Breadth-first search where a step costs 0 or 1 hop (a 0-1 BFS: zero-cost steps stay in the current
 * level). Returns each node's predecessor toward `start`; `limit` bounds the hops.
 */
function bfs(start: string, limit: number, next: (key: string, cb: (n: string, cost: number) => void) => void): Map<string, string | null> {
  const prev = new Map<string, string | null>([[start, null]]);
  const dist = new Map<string, number>([[start, 0]]);
  let level = [start];
  for (let d = 0; level.length > 0; d++) {
    const nextLevel: string[] = [];
    for (let k = 0; k < level.length; k++) {
      const at = level[k];
      // A node queued for this level and then reached at no cost from an earlier one was already handled.
      if (dist.get(at) !== d) continue;
      next(at, (n, c) => {
        const nd = d + c;
        const old = dist.get(n);
        if (nd > limit || (old !== undefined && old <= nd)) return;
        dist.set(n, nd);
        prev.set(n, at);
        (c === 0 ? level : nextLevel).push(n);
      });
    }
    level = nextLevel;
  }
  return prev;
}

/**
 * Fewest hops from any entry point to each node (one multi-source BFS, kept with the graph). The
 * reverse walk of `all` skips a node that no entry reaches within the hops left, so every branch it
 * explores ends in at least one path.
 */
function entryDistance(i: Internal): ReadonlyMap<string, number> {
  if (i.cache.entryDistance !== undefined) return i.cache.entryDistance;
  const g = i.graph;
  const dist = new Map<string, number>();
  let frontier: string[] = [];
  g.forEachNode((k) => {
    if (isEntry(g, k)) {
      dist.set(k, 0);
      frontier.push(k);
    }
  });
  for (let d = 0; frontier.length > 0; d++) {
    const next: string[] = [];
    for (let k = 0; k < frontier.length; k++) {
      if (dist.get(frontier[k]) !== d) continue;
      g.forEachOutNeighbor(frontier[k], (n) => {
        const c = cost(g, n);
        const old = dist.get(n);
        if (old !== undefined && old <= d + c) return;
        dist.set(n, d + c);
        (c === 0 ? frontier : next).push(n);
      });
    }
    frontier = next;
  }
  i.cache.entryDistance = dist;
  return dist;
}

const TRUNCATED_NOTE = `the listing stopped at ${MAX_PATHS} paths; ask with a smaller maxHops or a narrower target`;

/** Marks the last path when a listing hit {@link MAX_PATHS}, so a cut is never silent. */
function markTruncated(out: AccessPath[]): void {
  if (out.length < MAX_PATHS) return;
  const last = out[out.length - 1];
  if (last.notes?.includes(TRUNCATED_NOTE) === true) return;
  out[out.length - 1] = { ...last, notes: [...(last.notes ?? []), TRUNCATED_NOTE] };
}

/** Who can reach this role: paths from entry points, hops in order, target last. Unknown ARN: []. */
export function whoCanReach(graph: AccessGraph, targetRoleArn: string, options?: QueryOptions): AccessPath[] {
  const i = internalOf(graph);
  const g = i.graph;
  const maxHops = maxHopsOf(options);
  if (!i.roles.has(targetRoleArn)) return [];
    const out: AccessPath[] = [];
  if (options?.all === true) {
    const dist = entryDistance(i);
    walk(g, targetRoleArn, maxHops, (k, hops, cb) => {
      // Stepping back from k over n -> k costs what entering k costs.
      const c = cost(g, k);
      g.forEachInNeighbor(k, (n) => {
        const d = dist.get(n);
        if (d !== undefined && d + hops + c <= maxHops) cb(n, c);
      });
    }, (rev) => {
      const head = rev[rev.length - 1];
      if (!isEntry(g, head)) return true;
      const p = assemble(i, [...rev].reverse());
      if (p !== undefined) out.push(p);
      return out.length < MAX_PATHS;
    });
    markTruncated(out);
    return distinct(out);
  }
  // Reverse BFS: the first time a node is met is its shortest distance; the pointer leads to the target.
  const nextTo = bfs(targetRoleArn, maxHops, (k, cb) => {
    const c = cost(g, k);
    g.forEachInNeighbor(k, (n) => cb(n, c));
  });
  for (const [k] of nextTo) {
    if (k === targetRoleArn || !isEntry(g, k)) continue;
    const nodes = [k];
    for (let at = nextTo.get(k); at !== null && at !== undefined; at = nextTo.get(at)) nodes.push(at);
    const p = assemble(i, nodes) ?? shortestValid(i, k, targetRoleArn, maxHops);
    if (p !== undefined) out.push(p);
  }
  return out.sort(byPath);
}

const forward = (g: Internal['graph']) => (k: string, _hops: number, cb: (n: string, cost: number) => void): void => g.forEachOutNeighbor(k, (n) => cb(n, cost(g, n)));

/** When the BFS path breaks a chain rule (SourceIdentity), the shortest simple path from `from` that keeps it. */
function shortestValid(i: Internal, from: string, target: string, maxHops: number): AccessPath | undefined {
  let best: AccessPath | undefined;
  const g = i.graph;
  walk(g, from, maxHops, forward(g), (path) => {
    if (path[path.length - 1] !== target) return true;
    const p = assemble(i, path);
    if (p !== undefined && (best === undefined || p.hops.length < best.hops.length)) best = p;
    return true;
  });
  return best;
}

function startNodes(i: Internal, from: PathEntry): string[] {
  const g = i.graph;
  const key = from.kind === 'anyone' ? '*' : from.kind === 'role' || from.kind === 'user' ? from.id : `${from.kind}:${from.id}`;
  if (g.hasNode(key)) return [key];
  if (from.kind === 'account') return (i.principalsByAccount.get(from.id) ?? []).map((p) => p.arn);
  return [];
}

/** What this principal (role/user ARN, account id, provider, service, or `*`) can reach: one path per reachable role (shortest), or all with options.all. */
export function whatCanReach(graph: AccessGraph, from: PathEntry, options?: QueryOptions): AccessPath[] {
  const i = internalOf(graph);
  const g = i.graph;
  const maxHops = maxHopsOf(options);
  const out: AccessPath[] = [];
  for (const start of startNodes(i, from)) {
    if (options?.all === true) {
      walk(g, start, maxHops, forward(g), (path) => {
        if (isPseudo(g, path[path.length - 1])) return true;
        const p = assemble(i, path);
        if (p !== undefined) out.push(p);
        return out.length < MAX_PATHS;
      });
      markTruncated(out);
      if (out.length >= MAX_PATHS) break;
      continue;
    }
    const prev = bfs(start, maxHops, (k, cb) => g.forEachOutNeighbor(k, (n) => cb(n, cost(g, n))));
    for (const [k] of prev) {
      if (k === start || isPseudo(g, k)) continue;
      const nodes = [k];
      for (let at = prev.get(k); at !== null && at !== undefined; at = prev.get(at)) nodes.push(at);
      nodes.reverse();
      const p = assemble(i, nodes) ?? shortestValid(i, start, k, maxHops);
      if (p !== undefined) out.push(p);
    }
  }
  return distinct(out);
}

/** Strongly connected components of more than one role (or a role that can assume itself): each a cycle, roles sorted. */
export function findCycles(graph: AccessGraph): string[][] {
  const g = internalOf(graph).graph;
  const out: string[][] = [];
  for (const comp of stronglyConnectedComponents(g)) {
    // Class nodes are not roles; a role and its own class node in one component is a role that can assume itself.
    const roles = comp.filter((k) => !isPseudo(g, k));
    if (roles.length > 1 || (roles.length === 1 && (comp.length > 1 || g.hasEdge(roles[0], roles[0])))) out.push(roles.sort());
  }
  return out.sort((a, b) => cmp(a[0], b[0]));
}

/** Every role ARN of the snapshot, sorted (for target selection). */
export function roleArns(graph: AccessGraph): string[] {
  return [...internalOf(graph).roles.keys()].sort();
}
