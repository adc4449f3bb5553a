/**
 * Compares the engine with the oracle. Returns the disagreements as sentences (empty: they agree) and the
 * known engine disagreements it tolerated (see {@link KNOWN}). Two levels:
 *
 * 1. Hops. For every oracle caller C (each snapshot user and role, the outside account, anyone, the service) and
 *    role R, the engine's one-hop answer (whatCanReach(C, maxHops 1)) against the oracle's decision:
 *    never = no hop; always = `always`; conditional and grey = `conditional`; wildcard-grey = no hop or
 *    `conditional`; either = a hop, `always` or `conditional`. For the outside account and the service, a hop the
 *    engine gives to `anyone` instead (it routes trusts of `*` there) counts as theirs.
 *    A hop the engine makes with AssumeRoleWithWebIdentity or AssumeRoleWithSAML is out of the oracle's scope
 *    (it decides sts:AssumeRole only): the engine's answer is taken for it.
 * 2. Closure, over the hop decisions (the tolerated ones replaced by the engine's answer, so a known hop
 *    disagreement is not counted again downstream):
 *    - whatCanReach(C, maxHops): its roles lie between the closure over the hops the engine must have and the
 *      closure over those it may have (C itself left out: a simple path never returns to its start; for the
 *      outside account and the service the lower bound is met by engine(C) ∪ engine(anyone));
 *    - whatCanReach(C, allMaxHops, all): the roles reached by an `always` path lie between the closure over
 *      `always` hops and the closure over `always`-or-`either` hops;
 *    - every hop of every path returned is one the oracle allows (and `always` on `always` paths);
 *    - whoCanReach(R, maxHops): every entry may reach R in the oracle; every user that must reach R is an entry.
 */
import { whatCanReach, whoCanReach, type AccessGraph } from '../../src';
import type { AccessPath, PathEntry } from '../../src/types';
import { closure, mayBeAlways, mayHave, mustBeAlways, mustHave, roleKey, type Caller, type HopDecision, type OracleResult } from './oracle';

export interface CompareOptions {
  readonly maxHops: number;
  /** Hop bound of the `all` queries (every simple path; exponential in dense graphs). */
  readonly allMaxHops: number;
  /** Tolerate the known engine disagreements ({@link KNOWN}); false reports them like any other. */
  readonly tolerateKnown: boolean;
}

export interface Comparison {
  readonly disagreements: string[];
  /** Tolerated known disagreements: class id -> hop descriptions. */
  readonly known: Map<string, string[]>;
}

interface HopView {
  readonly caller: Caller;
  readonly role: string;
  readonly oracle: HopDecision;
  readonly engine: AccessPath | undefined;
  readonly trust: unknown;
}

const VARIED_KEYS = new Set(['sts:externalid', 'aws:multifactorauthpresent']);

/**
 * Engine disagreements found by this oracle and reported to the lead (issue 18 report). Each is narrow: the
 * engine's answer and the oracle's decision, plus the shape that explains it. `tolerateKnown: false` (env
 * ORACLE_STRICT=1 in the test) reports them.
 */
export const KNOWN: readonly { readonly id: string; readonly why: string; readonly matches: (h: HopView) => boolean }[] = [
  {
    id: 'K4-met-without-keys',
    why: "every guard is one the request meets when it supplies no caller-chosen or environment key (an IfExists allow, a Deny that needs the key present, a principal tag the role's own tags meet when no session tag is passed): the hop is always, the engine says conditional",
    matches: (h) =>
      h.oracle === 'always' &&
      h.engine?.verdict === 'conditional' &&
      h.engine.guards.every(
        (g) => (VARIED_KEYS.has(g.key) && (/IfExists/i.test(g.operator ?? '') || /^Not\(/.test(g.operator ?? ''))) || (h.caller.tagsChosen === true && g.key.startsWith('aws:principaltag/')),
      ),
  },
];

/** The oracle decides sts:AssumeRole only; a hop the engine makes with AssumeRoleWithWebIdentity or AssumeRoleWithSAML is out of its scope. */
const outOfScope = (p: AccessPath | undefined) => p !== undefined && p.reasons[0]?.action !== 'sts:AssumeRole';
const reach = (graph: AccessGraph, from: PathEntry, options: { maxHops: number; all?: boolean }) => whatCanReach(graph, from, options);

const entryOf = (c: Caller): PathEntry => ({ kind: c.kind, id: c.id });
const keyOfEntry = (e: PathEntry): string => (e.kind === 'anyone' ? 'anyone' : `${e.kind}:${e.id}`);
const minus = (a: ReadonlySet<string>, b: ReadonlySet<string>) => [...a].filter((x) => !b.has(x)).sort();
const lastHops = (paths: readonly AccessPath[]) => new Set(paths.map((p) => p.hops[p.hops.length - 1]));

function hopAgrees(d: HopDecision, e: AccessPath | undefined): boolean {
  const v = e?.verdict ?? 'none';
  switch (d) {
    case 'never':
      return v === 'none';
    case 'always':
      return v === 'always';
    case 'conditional':
    case 'grey':
      return v === 'conditional';
    case 'wildcard-grey':
      return v === 'none' || v === 'conditional';
    case 'either':
      return v === 'always' || v === 'conditional';
  }
}

export function compare(graph: AccessGraph, oracle: OracleResult, options: CompareOptions): Comparison {
  const out: string[] = [];
  const known = new Map<string, string[]>();
  const { maxHops, allMaxHops } = options;
  const anyone = oracle.callers.find((c) => c.kind === 'anyone');
  const oneHop = (c: Caller) => new Map(reach(graph, entryOf(c), { maxHops: 1 }).map((p) => [p.hops[0], p]));
  const anyoneHop = anyone ? oneHop(anyone) : new Map<string, AccessPath>();

  // 1. Hops; `hops` becomes the oracle's decisions with the tolerated disagreements replaced by the engine's answer.
  const hops = new Map<string, Map<string, HopDecision>>();
  for (const c of oracle.callers) {
    const engine = oneHop(c);
    const row = new Map(oracle.hops.get(c.key) ?? []);
    hops.set(c.key, row);
    const viaAnyone = c.kind === 'account' || c.kind === 'service';
    for (const role of oracle.roles) {
      if (c.id === role) continue;
      const d = row.get(role) ?? 'never';
      const e = engine.get(role);
      if (outOfScope(e)) {
        // One edge per (caller, role) in the engine: a web-identity or SAML edge (e.g. a `*` trust of those actions
        // for anyone) stands for the pair; the oracle takes the engine's answer for it.
        known.set('out-of-scope', [...(known.get('out-of-scope') ?? []), `${c.key} -> ${role}: ${e?.reasons[0]?.action}`]);
        row.set(role, e?.verdict === 'always' ? 'always' : 'conditional');
        continue;
      }
      if (hopAgrees(d, e)) continue;
      // The outside account and the service: the engine may give the hop to `anyone` instead.
      const viaAnyoneHop = viaAnyone && d !== 'never' && e === undefined ? anyoneHop.get(role) : undefined;
      if (viaAnyoneHop !== undefined && hopAgrees(d, viaAnyoneHop)) continue;
      if (viaAnyone && d !== 'never' && e?.verdict === 'conditional' && anyoneHop.get(role)?.verdict === 'always' && d === 'always') continue;
      const view: HopView = { caller: c, role, oracle: d, engine: e ?? viaAnyoneHop, trust: oracle.trusts.get(role) };
      const what = `${c.key} -> ${role}: oracle ${d}, engine ${e ? `${e.verdict} [${e.guards.map((g) => g.text).join('; ')}]` : 'no hop'}`;
      const k = options.tolerateKnown ? KNOWN.find((x) => x.matches(view)) : undefined;
      if (k) {
        known.set(k.id, [...(known.get(k.id) ?? []), what]);
        const answer = view.engine;
        if (answer === undefined) row.delete(role);
        else row.set(role, answer.verdict === 'always' ? 'always' : 'conditional');
        continue;
      }
      out.push(`hop ${what}`);
    }
  }
  const adjusted = { hops };
  const decision = (caller: string, role: string): HopDecision => hops.get(caller)?.get(role) ?? 'never';
  const checkPath = (p: AccessPath) => {
    let caller = keyOfEntry(p.from);
    p.hops.forEach((role, k) => {
      const d = decision(caller, role);
      const where = `path ${keyOfEntry(p.from)} => ${p.hops.join(' -> ')} (${p.verdict}), hop ${k} ${caller} -> ${role}`;
      if (!mayHave(d)) out.push(`${where}: the engine has the hop, the oracle denies it`);
      else if (p.verdict === 'always' && !mayBeAlways(d)) out.push(`${where}: the engine says always, the oracle ${d}`);
      caller = roleKey(role);
    });
  };

  // 2. Closure.
  const anyonePaths = anyone ? reach(graph, entryOf(anyone), { maxHops }) : [];
  const anyoneAll = anyone ? reach(graph, entryOf(anyone), { maxHops: allMaxHops, all: true }) : [];
  const engineAnyone = lastHops(anyonePaths);
  const engineAnyoneAlways = lastHops(anyoneAll.filter((p) => p.verdict === 'always'));
  const oracleMay = new Map<string, Set<string>>();
  for (const c of oracle.callers) {
    const without = (s: Set<string>) => {
      if (c.kind === 'role') s.delete(c.id);
      return s;
    };
    const viaAnyone = c.kind === 'account' || c.kind === 'service';
    const paths = reach(graph, entryOf(c), { maxHops });
    paths.forEach(checkPath);
    const engine = lastHops(paths);
    const lower = without(closure(adjusted, c.key, maxHops, mustHave));
    const upper = without(closure(adjusted, c.key, maxHops, mayHave));
    oracleMay.set(c.key, upper);
    const extra = minus(engine, upper);
    const missing = minus(lower, viaAnyone ? new Set([...engine, ...engineAnyone]) : engine);
    if (extra.length) out.push(`${c.key} reaches ${extra.join(', ')} in the engine, not in the oracle`);
    if (missing.length) out.push(`${c.key} reaches ${missing.join(', ')} in the oracle, not in the engine${viaAnyone ? ' (nor through anyone)' : ''}`);
    const all = reach(graph, entryOf(c), { maxHops: allMaxHops, all: true });
    all.forEach(checkPath);
    const engineAlways = lastHops(all.filter((p) => p.verdict === 'always'));
    const alwaysLower = without(closure(adjusted, c.key, allMaxHops, mustBeAlways));
    const alwaysUpper = without(closure(adjusted, c.key, allMaxHops, mayBeAlways));
    const notAlways = minus(alwaysLower, viaAnyone ? new Set([...engineAlways, ...engineAnyoneAlways]) : engineAlways);
    const tooAlways = minus(engineAlways, alwaysUpper);
    if (notAlways.length) out.push(`${c.key} always reaches ${notAlways.join(', ')} in the oracle; the engine has no always path within ${allMaxHops} hops`);
    if (tooAlways.length) out.push(`${c.key} reaches ${tooAlways.join(', ')} by an always path in the engine; the oracle has none within ${allMaxHops} hops`);
  }
  for (const role of oracle.roles) {
    const paths = whoCanReach(graph, role, { maxHops });
    const from = new Set(paths.map((p) => keyOfEntry(p.from)));
    for (const p of paths) {
      checkPath(p);
      const key = keyOfEntry(p.from);
      if (!(oracleMay.get(key)?.has(role) ?? false)) out.push(`whoCanReach(${role}) lists ${key}, which does not reach it in the oracle`);
    }
    for (const c of oracle.callers) {
      if (c.kind !== 'user') continue;
      if (closure(adjusted, c.key, maxHops, mustHave).has(role) && !from.has(c.key)) out.push(`whoCanReach(${role}) misses user ${c.id}, which reaches it in the oracle`);
    }
  }
  return { disagreements: [...new Set(out)], known };
}
