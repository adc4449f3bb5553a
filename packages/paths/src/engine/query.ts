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
  if (n.kind !== 'role') return true;
  return !n.inSnapshot || g.inDegree(key) === 0;
}

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

/** Builds an AccessPath from node keys (entry first, target last). */
function assemble(i: Internal, nodes: readonly string[]): AccessPath | undefined {
  const g = i.graph;
  const from = entryOf(g.getNodeAttributes(nodes[0]));
  const hops = nodes.slice(1);
  const guards: PathGuard[] = [];
  const reasons: AccessPath['reasons'][number][] = [];
  const notes: string[] = [];
  for (let k = 0; k + 1 < nodes.length; k++) {
    const e = g.getEdgeAttributes(nodes[k], nodes[k + 1]);
    for (const d of edgeGuards(e)) guards.push({ hop: k, ...d });
    reasons.push(edgeReason(e, nodes[k + 1]));
    const caller = g.getNodeAttributes(nodes[k]);
    if (caller.kind === 'role') notes.push(`hop ${k} (${hops[k]}): ${CHAINED_NOTE}`);
  }
  if (sourceIdentityConflict(guards)) return undefined;
  const verdict: Verdict = guards.some((x) => x.key.startsWith('unknown:')) ? 'unknown' : guards.length > 0 ? 'conditional' : 'always';
  return { from, hops, verdict, guards, reasons, ...(notes.length > 0 && { notes }) };
}

const byPath = (a: AccessPath, b: AccessPath): number =>
  a.hops.length - b.hops.length || cmp(a.from.kind, b.from.kind) || cmp(a.from.id, b.from.id) || cmp(a.hops.join(' '), b.hops.join(' '));
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Every simple path from `start` following `next` (in- or out-neighbours) up to `maxHops` edges; `emit`
 * receives the node list in walk order and returns false to stop. Bounded, so cycles are never looped on.
 */
function walk(g: Internal['graph'], start: string, maxHops: number, next: (key: string, cb: (n: string) => void) => void, emit: (path: string[]) => boolean): void {
  const path = [start];
  const on = new Set([start]);
  let stop = false;
  const visit = (key: string): void => {
    if (stop) return;
    if (path.length > 1 && !emit(path)) {
      stop = true;
      return;
    }
    if (path.length - 1 >= maxHops) return;
    next(key, (n) => {
      if (stop || on.has(n)) return;
      path.push(n);
      on.add(n);
      visit(n);
      on.delete(n);
      path.pop();
    });
  };
  void g;
  visit(start);
}

/** Who can reach this role: paths from entry points, hops in order, target last. Unknown ARN: []. */
export function whoCanReach(graph: AccessGraph, targetRoleArn: string, options?: QueryOptions): AccessPath[] {
  const i = internalOf(graph);
  const g = i.graph;
  const maxHops = maxHopsOf(options);
  if (!i.roles.has(targetRoleArn)) return [];
  const inN = (k: string, cb: (n: string) => void): void => g.forEachInNeighbor(k, cb);
  const out: AccessPath[] = [];
  if (options?.all === true) {
    walk(g, targetRoleArn, maxHops, inN, (rev) => {
      const head = rev[rev.length - 1];
      if (!isEntry(g, head)) return true;
      const p = assemble(i, [...rev].reverse());
      if (p !== undefined) out.push(p);
      return out.length < MAX_PATHS;
    });
    return out.sort(byPath);
  }
  // Reverse BFS: the first time a node is met is its shortest distance; the parent pointer leads to the target.
  const nextTo = new Map<string, string | null>([[targetRoleArn, null]]);
  let frontier = [targetRoleArn];
  for (let d = 0; d < maxHops && frontier.length > 0; d++) {
    const nextFrontier: string[] = [];
    for (const k of frontier) {
      g.forEachInNeighbor(k, (n) => {
        if (nextTo.has(n)) return;
        nextTo.set(n, k);
        nextFrontier.push(n);
      });
    }
    frontier = nextFrontier;
  }
  for (const [k] of nextTo) {
    if (k === targetRoleArn || !isEntry(g, k)) continue;
    const nodes = [k];
    for (let at = nextTo.get(k); at !== null && at !== undefined; at = nextTo.get(at)) nodes.push(at);
    const p = assemble(i, nodes) ?? shortestValid(i, k, targetRoleArn, maxHops);
    if (p !== undefined) out.push(p);
  }
  return out.sort(byPath);
}

/** When the BFS path breaks a chain rule (SourceIdentity), the shortest simple path from `from` that keeps it. */
function shortestValid(i: Internal, from: string, target: string, maxHops: number): AccessPath | undefined {
  let best: AccessPath | undefined;
  const g = i.graph;
  walk(g, from, maxHops, (k, cb) => g.forEachOutNeighbor(k, cb), (path) => {
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
  const outN = (k: string, cb: (n: string) => void): void => g.forEachOutNeighbor(k, cb);
  for (const start of startNodes(i, from)) {
    if (options?.all === true) {
      walk(g, start, maxHops, outN, (path) => {
        const p = assemble(i, path);
        if (p !== undefined) out.push(p);
        return out.length < MAX_PATHS;
      });
      continue;
    }
    const prev = new Map<string, string | null>([[start, null]]);
    let frontier = [start];
    for (let d = 0; d < maxHops && frontier.length > 0; d++) {
      const nextFrontier: string[] = [];
      for (const k of frontier) {
        g.forEachOutNeighbor(k, (n) => {
          if (prev.has(n)) return;
          prev.set(n, k);
          nextFrontier.push(n);
        });
      }
      frontier = nextFrontier;
    }
    for (const [k] of prev) {
      if (k === start) continue;
      const nodes = [k];
      for (let at = prev.get(k); at !== null && at !== undefined; at = prev.get(at)) nodes.push(at);
      nodes.reverse();
      const p = assemble(i, nodes) ?? shortestValid(i, start, k, maxHops);
      if (p !== undefined) out.push(p);
    }
  }
  return out.sort(byPath);
}

/** Strongly connected components of more than one role (or a role that can assume itself): each a cycle, roles sorted. */
export function findCycles(graph: AccessGraph): string[][] {
  const g = internalOf(graph).graph;
  const out: string[][] = [];
  for (const comp of stronglyConnectedComponents(g)) {
    if (comp.length > 1 || (comp.length === 1 && g.hasEdge(comp[0], comp[0]))) out.push([...comp].sort());
  }
  return out.sort((a, b) => cmp(a[0], b[0]));
}

/** Every role ARN of the snapshot, sorted (for target selection). */
export function roleArns(graph: AccessGraph): string[] {
  return [...internalOf(graph).roles.keys()].sort();
}
