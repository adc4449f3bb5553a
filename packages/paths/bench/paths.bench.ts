/**
 * `npm run bench:paths`: the access-path engine on generated organizations (bench/generate.ts) of 10, 100 and
 * 1,000 accounts (100 roles and 20 users per account), each size in a fresh process. Prints figures; asserts
 * nothing (these machines are shared and noisy).
 *
 *   npm run bench:paths -- [--sizes 10,100,1000] [--baseline-budget 60] [--targets 200]
 *
 * Per size: snapshot generation, buildAccessGraph time and the process's peak RSS (process.resourceUsage, the
 * snapshot included), graph stats (nodes, edges, distinct documents, policy evaluations), one who-can query
 * (median and p95 over --targets roles), privilegedRoles and a who-can query for every privileged role. Then a
 * least-squares slope over the sizes (the fit of packages/bench): build time and peak RSS per added account.
 *
 * Beside it, in its own fresh process per size, the pairwise baseline as PMapper builds its edges: every
 * principal against every role, one full evaluation each (trust policy, identity policies, boundary, the
 * caller's SCP levels, the role's RCP levels) with the engine's own evaluator (evaluateSet) over the same
 * normalised documents, stopped at --baseline-budget seconds: where it finishes, the ratio to the engine's
 * build is measured; where it does not, the row says how far it got (it is flagged, not extrapolated).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cliOption, fit } from '@trustline/bench';
import { ASSUME_ROLE } from '@trustline/trust';
import { buildAccessGraph, privilegedRoles, roleArns, whoCanReach } from '../src';
import { DocumentCache } from '../src/engine/documents';
import { evaluateSet, residue, statementNames, type CallerIdentity, type DocRef } from '../src/engine/evaluate';
import { KeyFacts } from '../src/engine/facts';
import type { OrgSnapshot } from '../src/types';
import { benchSnapshot, ROLES_PER_ACCOUNT, USERS_PER_ACCOUNT } from './generate';

const log = (line: string) => process.stderr.write(`bench:paths: ${line}\n`);
const loadavg = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

interface BuildResult {
  readonly accounts: number;
  readonly roles: number;
  readonly users: number;
  readonly genMs: number;
  readonly rssAfterGenMb: number;
  readonly buildMs: number;
  readonly maxRssMb: number;
  readonly stats: { nodes: number; edges: number; documents: number; evaluations: number };
  readonly problems: number;
  readonly privileged: number;
  readonly privilegedMs: number;
  readonly queryMedianMs: number;
  readonly queryP95Ms: number;
  readonly queries: number;
  readonly allPrivilegedMs: number;
  readonly allPrivilegedPaths: number;
}

interface BaselineResult {
  readonly accounts: number;
  readonly pairs: number;
  readonly done: number;
  readonly finished: boolean;
  readonly ms: number;
  readonly edges: number;
  readonly maxRssMb: number;
}

function childBuild(n: number, targets: number): BuildResult {
  let t = performance.now();
  const snapshot = benchSnapshot(n);
  const genMs = performance.now() - t;
  const rssAfterGenMb = process.memoryUsage().rss / 2 ** 20;
  t = performance.now();
  const graph = buildAccessGraph(snapshot);
  const buildMs = performance.now() - t;
  t = performance.now();
  const privileged = privilegedRoles(graph);
  const privilegedMs = performance.now() - t;
  const all = roleArns(graph);
  const step = Math.max(1, Math.floor(all.length / targets));
  const sample = all.filter((_, i) => i % step === 0).slice(0, targets);
  const times: number[] = [];
  for (const arn of sample) {
    const q = performance.now();
    whoCanReach(graph, arn);
    times.push(performance.now() - q);
  }
  t = performance.now();
  let allPrivilegedPaths = 0;
  for (const p of privileged) allPrivilegedPaths += whoCanReach(graph, p.arn).length;
  const allPrivilegedMs = performance.now() - t;
  return {
    accounts: n,
    roles: snapshot.accounts.reduce((s, a) => s + a.roles.length, 0),
    users: snapshot.accounts.reduce((s, a) => s + a.users.length, 0),
    genMs,
    rssAfterGenMb,
    buildMs,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    stats: graph.stats,
    problems: graph.problems.length,
    privileged: privileged.length,
    privilegedMs,
    queryMedianMs: quantile(times, 0.5),
    queryP95Ms: quantile(times, 0.95),
    queries: times.length,
    allPrivilegedMs,
    allPrivilegedPaths,
  };
}

/**
 * The pairwise baseline: every principal against every role, one full evaluation each, as PMapper builds its
 * edges (graphing/sts_edges.py, cross_account_edges.py). Same documents, parsed once; same evaluator.
 */
function childBaseline(n: number, budgetMs: number): BaselineResult {
  const snapshot: OrgSnapshot = benchSnapshot(n);
  const org = snapshot.organization!;
  const cache = new DocumentCache();
  const ref = (id: string, d: unknown): DocRef => ({ id, doc: cache.parse(d).doc });
  const parents = new Map(org.organizationalUnits.map((o) => [o.id, o.parentId]));
  const levelsOf = (accountId: string, type: 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY'): DocRef[][] => {
    if (accountId === org.managementAccountId) return [];
    const acc = org.accounts.find((a) => a.accountId === accountId)!;
    const chain = [accountId];
    for (let at = acc.parentId; at !== org.rootId && at !== undefined; at = parents.get(at)!) chain.unshift(at);
    chain.unshift(org.rootId);
    return chain.map((l) => org.policies.filter((p) => p.type === type && p.targets.includes(l)).map((p) => ref(p.id, p.content)));
  };
  const principals: { identity: CallerIdentity; docs: DocRef[]; boundary?: DocRef[]; facts: KeyFacts; scps: DocRef[][] }[] = [];
  const roles: { arn: string; trust: DocRef; rcps: DocRef[][] }[] = [];
  for (const a of snapshot.accounts) {
    const scps = levelsOf(a.accountId, 'SERVICE_CONTROL_POLICY');
    const rcps = levelsOf(a.accountId, 'RESOURCE_CONTROL_POLICY');
    const managed = (arn: string) => ref(arn, a.managedPolicies.get(arn));
    const facts = (arn: string) => new KeyFacts(new Map([['aws:principalarn', [arn]], ['aws:principalaccount', [a.accountId]], ['aws:principalorgid', [org.organizationId]]]));
    for (const r of a.roles) {
      principals.push({
        identity: { kind: 'role', arn: r.arn, accountId: a.accountId, name: r.name },
        docs: [...r.inlinePolicies.map((p) => ref(p.id, p.document)), ...r.managedPolicyArns.map(managed)],
        ...(r.permissionsBoundaryArn ? { boundary: [managed(r.permissionsBoundaryArn)] } : {}),
        facts: facts(r.arn),
        scps,
      });
      roles.push({ arn: r.arn, trust: ref(`trust ${r.arn}`, r.trustPolicy), rcps });
    }
    for (const u of a.users) {
      const groups = u.groups.map((g) => a.groups.find((x) => x.name === g)!);
      principals.push({
        identity: { kind: 'user', arn: u.arn, accountId: a.accountId, name: u.name },
        docs: [...u.inlinePolicies.map((p) => ref(p.id, p.document)), ...u.managedPolicyArns.map(managed), ...groups.flatMap((g) => [...g.inlinePolicies.map((p) => ref(p.id, p.document)), ...g.managedPolicyArns.map(managed)])],
        facts: facts(u.arn),
        scps,
      });
    }
  }
  const pairs = principals.length * roles.length;
  let done = 0;
  let edges = 0;
  const start = performance.now();
  let finished = true;
  outer: for (const p of principals) {
    for (const r of roles) {
      if ((done & 1023) === 0 && performance.now() - start > budgetMs) {
        finished = false;
        break outer;
      }
      done++;
      const req = { action: ASSUME_ROLE, resource: r.arn, facts: p.facts, checkResource: true };
      const trustAllows = r.trust.doc.statements.some((s) => s.effect === 'Allow' && (s.actionMask & ASSUME_ROLE) !== 0 && statementNames(s, p.identity) && residue(s.conditions, p.facts) !== false);
      if (!trustAllows) continue;
      const trust = evaluateSet([r.trust], { ...req, caller: p.identity, checkResource: false }, 'trust', 'trust');
      if (trust.denied) continue;
      const id = evaluateSet(p.docs, req, 'identity', 'identity');
      // Same account, a trust naming the caller's ARN needs no identity allow (PMapper's shortcut, S2).
      const named = p.identity.accountId === r.arn.split(':')[4] && r.trust.doc.statements.some((s) => s.principals.some((pr) => pr.value === p.identity.arn));
      if (id.denied || (!id.allowed && !named)) continue;
      if (p.boundary && !evaluateSet(p.boundary, req, 'boundary', 'boundary').allowed) continue;
      if (p.scps.some((l) => { const v = evaluateSet(l, req, 'scp', 'SCP'); return v.denied || !v.allowed; })) continue;
      if (r.rcps.some((l) => { const v = evaluateSet(l, { ...req, caller: p.identity }, 'rcp', 'RCP'); return v.denied || !v.allowed; })) continue;
      edges++;
    }
  }
  return { accounts: n, pairs, done, finished, ms: performance.now() - start, edges, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

function child(kind: string, args: readonly string[]): unknown {
  const tsx = path.resolve(__dirname, '../../../node_modules/.bin/tsx');
  const r = spawnSync(tsx, [__filename, '--child', kind, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=6144`.trim() } });
  const line = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`bench:paths child ${kind} ${args.join(' ')} exited ${r.status}:\n${(r.stdout ?? '').slice(-2000)}\n${(r.stderr ?? '').slice(-3000)}`);
  return JSON.parse(line);
}

const f0 = (x: number) => Math.round(x).toLocaleString('en-US');
const f1 = (x: number) => x.toFixed(1);

function main(): void {
  const argv = process.argv;
  const c = argv.indexOf('--child');
  if (c >= 0) {
    const [kind, a, b] = argv.slice(c + 1);
    const out = kind === 'build' ? childBuild(Number(a), Number(b)) : childBaseline(Number(a), Number(b));
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  const sizes = cliOption('--sizes', '10,100,1000').split(',').map(Number).filter((x) => Number.isInteger(x) && x >= 3);
  const budgetMs = Number(cliOption('--baseline-budget', '60')) * 1000;
  const targets = Number(cliOption('--targets', '200'));
  const loadBefore = loadavg();
  log(`sizes ${sizes.join(', ')}; ${ROLES_PER_ACCOUNT} roles and ${USERS_PER_ACCOUNT} users per account; load average ${loadBefore}`);
  const builds: BuildResult[] = [];
  const baselines: BaselineResult[] = [];
  for (const n of sizes) {
    const b = child('build', [String(n), String(targets)]) as BuildResult;
    builds.push(b);
    log(`${n} accounts: build ${f0(b.buildMs)} ms, peak RSS ${f0(b.maxRssMb)} MB, who-can median ${b.queryMedianMs.toFixed(2)} ms (load ${loadavg()})`);
    const p = child('baseline', [String(n), String(budgetMs)]) as BaselineResult;
    baselines.push(p);
    log(`${n} accounts: pairwise ${p.finished ? 'finished' : 'stopped'} after ${f0(p.ms)} ms, ${f0(p.done)} of ${f0(p.pairs)} pairs (load ${loadavg()})`);
  }
  const buildFit = fit(builds.map((b) => [b.accounts, b.buildMs]));
  const rssFit = fit(builds.map((b) => [b.accounts, b.maxRssMb]));
  const evalFit = fit(builds.map((b) => [b.accounts, b.stats.evaluations]));
  const lines = [
    `bench:paths, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, load average ${loadBefore} before, ${loadavg()} after`,
    '',
    '| accounts | roles | users | build | peak RSS | nodes | edges | documents | evaluations | who-can median / p95 | privileged roles | all privileged who-can | pairwise baseline | baseline / build |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...builds.map((b, i) => {
      const p = baselines[i];
      const base = p.finished ? `${f0(p.ms)} ms, ${f0(p.pairs)} evaluations, ${f0(p.edges)} edges` : `**did not finish** in ${f0(budgetMs / 1000)} s: ${f0(p.done)} of ${f0(p.pairs)} pairs`;
      return `| ${f0(b.accounts)} | ${f0(b.roles)} | ${f0(b.users)} | ${f0(b.buildMs)} ms | ${f0(b.maxRssMb)} MB | ${f0(b.stats.nodes)} | ${f0(b.stats.edges)} | ${f0(b.stats.documents)} | ${f0(b.stats.evaluations)} | ${b.queryMedianMs.toFixed(2)} / ${b.queryP95Ms.toFixed(2)} ms (${b.queries} targets) | ${f0(b.privileged)} (${f0(b.privilegedMs)} ms) | ${f0(b.allPrivilegedMs)} ms, ${f0(b.allPrivilegedPaths)} paths | ${base} | ${p.finished ? `${f1(p.ms / b.buildMs)}x` : `> ${f1(p.ms / b.buildMs)}x`} |`;
    }),
    '',
    `cost per added account (least squares over ${builds.map((b) => b.accounts).join('/')} accounts): build ${buildFit.slope.toFixed(2)} ms (R² ${buildFit.r2.toFixed(3)}), peak RSS ${rssFit.slope.toFixed(2)} MB (R² ${rssFit.r2.toFixed(3)}), ${f0(evalFit.slope)} evaluations (R² ${evalFit.r2.toFixed(3)})`,
    `goal at 1,000 accounts / 100,000 roles on 2 cores: build ≤ 60 s, ≤ 3 GB peak RSS, a who-can query ≤ 20 ms`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main();
