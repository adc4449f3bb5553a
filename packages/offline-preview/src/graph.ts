import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROLE_ARN, type AccountRegistry } from '@trustline/registry';
import { classifyPrincipal } from '@trustline/trust';
import { formatSeconds } from './format';
import type { PreviewResult } from './result';

/**
 * The trust graph: who may assume what. Source principals (and each stack's deploying credentials)
 * point at the roles they may assume, and every role points at the account it lives in. Edges carry the
 * conditions that bound them (ExternalId, MFA, org, ...); broad edges are highlighted. Built only from a
 * {@link PreviewResult} and the registry, so it can be re-rendered from `--json` output, and sorted so
 * the same workspace always renders the same text.
 */

export type NodeKind = 'stack' | 'principal' | 'role' | 'account';

export interface GraphNode {
  readonly id: string;
  readonly kind: NodeKind;
  readonly label: string;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** For `assume` edges: the conditions (sorted), then `assumed (1h)` when a provider chain uses it. */
  readonly label: string;
  readonly broad: boolean;
  /** `assume`: a trust policy allows it and/or a provider chain does it; `in`: the role lives in the account. */
  readonly kind: 'assume' | 'in';
}

export interface TrustGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

export const GRAPH_FILES = { mermaid: 'docs/trust-graph.mmd', dot: 'docs/trust-graph.dot', readme: 'README.md' } as const;
export const README_START = '<!-- trust-graph:start -->';
export const README_END = '<!-- trust-graph:end -->';

const KIND_ORDER: Readonly<Record<NodeKind, number>> = { stack: 0, principal: 1, role: 2, account: 3 };
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function accountLabel(registry: AccountRegistry, id: string): string {
  if (id === registry.identity.accountId) return `account ${registry.identity.key} (${id})`;
  const entry = registry.accounts.find((a) => a.accountId === id);
  if (entry) return `account ${entry.key} (${id})`;
  const external = registry.externalAccounts.find((e) => e.accountId === id);
  return external ? `external account ${external.name} (${id})` : `account ${id} (not in the registry)`;
}

/** Builds the graph from the roles and provider chains of every stack in `result`. */
export function buildTrustGraph(result: Pick<PreviewResult, 'stacks'>, registry: AccountRegistry): TrustGraph {
  const nodes = new Map<string, { kind: NodeKind; label: string }>();
  interface Acc {
    from: string;
    to: string;
    kind: GraphEdge['kind'];
    conditions: Set<string>;
    durations: Set<number | null>;
    broad: boolean;
  }
  const edges = new Map<string, Acc>();
  const node = (key: string, kind: NodeKind, label: string): string => {
    if (!nodes.has(key)) nodes.set(key, { kind, label });
    return key;
  };
  const edge = (from: string, to: string, kind: GraphEdge['kind']): Acc => {
    const key = `${from}\u0000${to}\u0000${kind}`;
    const acc = edges.get(key) ?? { from, to, kind, conditions: new Set<string>(), durations: new Set<number | null>(), broad: false };
    edges.set(key, acc);
    return acc;
  };
  const account = (id: string): string => node(`account:${id}`, 'account', accountLabel(registry, id));
  const role = (arn: string): string => {
    const p = classifyPrincipal('AWS', arn);
    const known = p.kind === 'role' && !p.wildcard && p.accountId !== undefined;
    const key = node(`role:${arn}`, 'role', known ? `role ${arn.slice(arn.indexOf(':role/') + ':role/'.length)} (${p.accountId})` : `role ${arn}`);
    if (known) edge(key, account(p.accountId as string), 'in');
    return key;
  };

  for (const stack of result.stacks) {
    for (const r of stack.roles) {
      const target = r.arn ? role(r.arn) : node(`role:?:${stack.project}:${r.name}`, 'role', `role ${r.roleName} (account unknown)`);
      for (const e of r.edges) {
        const sep = e.principal.indexOf('::');
        const value = sep >= 0 ? e.principal.slice(sep + 2) : e.principal;
        const from = ROLE_ARN.test(value) ? role(value) : node(`principal:${e.principal}`, 'principal', sep >= 0 ? `${e.principal.slice(0, sep)} ${value}` : e.principal);
        const acc = edge(from, target, 'assume');
        for (const c of e.conditions) acc.conditions.add(c);
        acc.broad ||= e.broad;
      }
    }
    for (const p of stack.providers) {
      let from = p.hops.length > 0 ? node(`stack:${stack.project}`, 'stack', `stack ${stack.project}/${stack.stack}`) : undefined;
      for (const h of p.hops) {
        if (!from || !h.roleArn) break;
        const to = role(h.roleArn);
        const acc = edge(from, to, 'assume');
        if (h.externalId) acc.conditions.add('ExternalId');
        acc.durations.add(h.durationSeconds);
        from = to;
      }
    }
  }

  const sorted = [...nodes].sort(([ka, a], [kb, b]) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || cmp(a.label, b.label) || cmp(ka, kb));
  const ids = new Map(sorted.map(([key], i) => [key, `n${i + 1}`]));
  const labelOf = (key: string): string => nodes.get(key)?.label ?? '';
  const labelled = [...edges.values()].map((a) => {
    const durations = [...a.durations].map((d) => (d === null ? 'default' : formatSeconds(d))).sort(cmp);
    const parts = [...[...a.conditions].sort(cmp), ...(durations.length > 0 ? [`assumed (${durations.join(', ')})`] : [])];
    return { from: a.from, to: a.to, kind: a.kind, broad: a.broad, label: parts.join(', ') };
  });
  return {
    nodes: sorted.map(([key, n]) => ({ id: ids.get(key) as string, kind: n.kind, label: n.label })),
    edges: labelled
      .sort((a, b) => cmp(labelOf(a.from), labelOf(b.from)) || cmp(labelOf(a.to), labelOf(b.to)) || cmp(a.kind, b.kind))
      .map((e) => ({ ...e, from: ids.get(e.from) as string, to: ids.get(e.to) as string })),
  };
}

const mermaidText = (s: string): string => s.replace(/"/g, '#quot;');
const MERMAID_SHAPE: Readonly<Record<NodeKind, [string, string]>> = { stack: ['[/', '/]'], principal: ['([', '])'], role: ['[', ']'], account: ['[(', ')]'] };

/** Mermaid flowchart of the graph; broad edges are thick and red. */
export function renderMermaid(graph: TrustGraph): string {
  const lines = ['flowchart LR'];
  for (const n of graph.nodes) {
    const [open, close] = MERMAID_SHAPE[n.kind];
    lines.push(`  ${n.id}${open}"${mermaidText(n.label)}"${close}`);
  }
  const broad: number[] = [];
  graph.edges.forEach((e, i) => {
    const arrow = e.broad ? '==>' : e.kind === 'in' ? '-.->' : '-->';
    const label = e.broad ? ['BROAD', e.label].filter(Boolean).join(': ') : e.label;
    lines.push(`  ${e.from} ${arrow}${label ? `|"${mermaidText(label)}"|` : ''} ${e.to}`);
    if (e.broad) broad.push(i);
  });
  if (broad.length > 0) lines.push(`  linkStyle ${broad.join(',')} stroke:#d62728,stroke-width:3px,color:#d62728`);
  const byKind = (kind: NodeKind) => graph.nodes.filter((n) => n.kind === kind).map((n) => n.id);
  const classes: [NodeKind, string][] = [
    ['stack', 'fill:#f4f4f4,stroke:#666'],
    ['principal', 'fill:#fff7e6,stroke:#b36b00'],
    ['role', 'fill:#e8f0fe,stroke:#1a56db'],
    ['account', 'fill:#e9f7ef,stroke:#1e7b34'],
  ];
  for (const [kind, style] of classes) {
    const members = byKind(kind);
    if (members.length === 0) continue;
    lines.push(`  classDef ${kind} ${style}`);
    lines.push(`  class ${members.join(',')} ${kind}`);
  }
  return `${lines.join('\n')}\n`;
}

const dotText = (s: string): string => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
const DOT_SHAPE: Readonly<Record<NodeKind, string>> = {
  stack: 'shape=parallelogram, style=filled, fillcolor="#f4f4f4"',
  principal: 'shape=box, style="rounded,filled", fillcolor="#fff7e6"',
  role: 'shape=box, style=filled, fillcolor="#e8f0fe"',
  account: 'shape=cylinder, style=filled, fillcolor="#e9f7ef"',
};

/** Graphviz DOT of the graph; broad edges are thick and red. */
export function renderDot(graph: TrustGraph): string {
  const lines = ['digraph trust {', '  rankdir=LR;', '  node [fontname="Helvetica", fontsize=11];', '  edge [fontname="Helvetica", fontsize=10];'];
  for (const n of graph.nodes) lines.push(`  ${n.id} [label="${dotText(n.label)}", ${DOT_SHAPE[n.kind]}];`);
  for (const e of graph.edges) {
    const attrs: string[] = [];
    const label = e.broad ? ['BROAD', e.label].filter(Boolean).join(': ') : e.label;
    if (label) attrs.push(`label="${dotText(label)}"`);
    if (e.broad) attrs.push('color="#d62728"', 'fontcolor="#d62728"', 'penwidth=3');
    else if (e.kind === 'in') attrs.push('style=dashed');
    lines.push(`  ${e.from} -> ${e.to}${attrs.length > 0 ? ` [${attrs.join(', ')}]` : ''};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/**
 * `readme` with the text between the trust-graph markers replaced by a mermaid block of `mermaid`.
 * Throws when the markers are missing or out of order, naming them.
 */
export function replaceReadmeBlock(readme: string, mermaid: string, file = GRAPH_FILES.readme): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < 0 || end < start) {
    throw new Error(`${file} has no trust-graph block: add the lines ${README_START} and ${README_END} (in that order) where the diagram belongs.`);
  }
  return `${readme.slice(0, start + README_START.length)}\n\`\`\`mermaid\n${mermaid}\`\`\`\n${readme.slice(end)}`;
}

/** The files `--graph` writes, keyed by workspace-relative path, with their expected content. */
export function graphFiles(graph: TrustGraph, readme: string): Record<string, string> {
  const mermaid = renderMermaid(graph);
  return {
    [GRAPH_FILES.mermaid]: mermaid,
    [GRAPH_FILES.dot]: renderDot(graph),
    [GRAPH_FILES.readme]: replaceReadmeBlock(readme, mermaid),
  };
}

/** The graph files of `workspace` that differ from what `graph` renders (workspace-relative paths). */
export function staleGraphFiles(workspace: string, graph: TrustGraph): string[] {
  const readme = fs.readFileSync(path.join(workspace, GRAPH_FILES.readme), 'utf8');
  return Object.entries(graphFiles(graph, readme))
    .filter(([rel, text]) => {
      const file = path.join(workspace, rel);
      return !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text;
    })
    .map(([rel]) => rel);
}

/** Writes the Mermaid and DOT files and refreshes the README block; returns the paths that changed. */
export function writeGraphFiles(workspace: string, graph: TrustGraph): string[] {
  const stale = staleGraphFiles(workspace, graph);
  const readme = fs.readFileSync(path.join(workspace, GRAPH_FILES.readme), 'utf8');
  const files = graphFiles(graph, readme);
  for (const rel of stale) {
    const file = path.join(workspace, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, files[rel]);
  }
  return stale;
}
