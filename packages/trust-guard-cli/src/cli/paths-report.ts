import type { PathEntry } from '@trustline/paths';
import { ROLE_ARN_PARTS as ROLE_ARN, entryText, pathsJson, type PathsReport } from '@trustline/paths';
import { JSON_SCHEMA_VERSION } from './report';

export { hasMandatory, renderPathsText, roleLabel, entryText, type PathsReport } from '@trustline/paths';

/** `--format json` (schemaVersion 1): the path report's JSON body (`pathsJson`). See README "Who can reach prod". */
export function renderPathsJson(r: PathsReport): string {
  return `${JSON.stringify({ schemaVersion: JSON_SCHEMA_VERSION, ...pathsJson(r) }, null, 2)}\n`;
}

const mermaidText = (s: string) => s.replace(/"/g, '#quot;');

/**
 * `--format mermaid`: one flowchart of the paths to every target, for a GitHub job summary or pull request.
 * Entry points are stadiums, roles sit in one box per account, targets are red; an edge is labelled with the
 * condition keys its hop needs, and an edge through an unreadable account is dotted. Node ids are numbered
 * in sorted order of what they stand for, so the same snapshot always gives the same text.
 */
export function renderPathsMermaid(r: PathsReport): string {
  const names = r.accountNames;
  const entries = new Map<string, PathEntry>();
  const roles = new Set<string>();
  const edges = new Map<string, { from: string; to: string; keys: Set<string>; unknown: boolean }>();
  const entryKey = (e: PathEntry) => `${e.kind}:${e.id}`;
  for (const t of r.targets) {
    roles.add(t.target);
    for (const p of t.paths) {
      entries.set(entryKey(p.from), p.from);
      let prev = `entry:${entryKey(p.from)}`;
      p.hops.forEach((hop, i) => {
        roles.add(hop);
        const id = `${prev}|${hop}`;
        const edge = edges.get(id) ?? { from: prev, to: `role:${hop}`, keys: new Set<string>(), unknown: false };
        for (const g of p.guards) if (g.hop === i) edge.keys.add(g.key);
        if (p.verdict === 'unknown') edge.unknown = true;
        edges.set(id, edge);
        prev = `role:${hop}`;
      });
    }
  }
  const ids = new Map<string, string>();
  [...[...entries.keys()].sort().map((k) => `entry:${k}`), ...[...roles].sort().map((k) => `role:${k}`)].forEach((k, i) => ids.set(k, `n${i + 1}`));
  const lines = ['flowchart LR'];
  for (const k of [...entries.keys()].sort()) lines.push(`  ${ids.get(`entry:${k}`)}(["${mermaidText(entryText(entries.get(k) as PathEntry, names))}"])`);
  const byAccount = new Map<string, string[]>();
  for (const arn of [...roles].sort()) {
    const account = ROLE_ARN.exec(arn)?.[1] ?? 'other';
    byAccount.set(account, [...(byAccount.get(account) ?? []), arn]);
  }
  for (const [account, arns] of [...byAccount].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  subgraph a${account}["${mermaidText(names.has(account) ? `${names.get(account)} (${account})` : account)}"]`);
    for (const arn of arns) lines.push(`    ${ids.get(`role:${arn}`)}["${mermaidText(ROLE_ARN.exec(arn)?.[2] ?? arn)}"]`);
    lines.push('  end');
  }
  for (const e of [...edges.values()].sort((a, b) => (ids.get(a.from) ?? '').localeCompare(ids.get(b.from) ?? '', 'en', { numeric: true }) || (ids.get(a.to) ?? '').localeCompare(ids.get(b.to) ?? '', 'en', { numeric: true }))) {
    const arrow = e.unknown ? '-.->' : '-->';
    const label = e.keys.size > 0 ? `|"${mermaidText([...e.keys].sort().join(', '))}"|` : '';
    lines.push(`  ${ids.get(e.from)} ${arrow}${label} ${ids.get(e.to)}`);
  }
  const targets = r.targets.map((t) => ids.get(`role:${t.target}`)).filter((x): x is string => x !== undefined);
  const entryIds = [...entries.keys()].sort().map((k) => ids.get(`entry:${k}`) as string);
  if (entryIds.length > 0) lines.push('  classDef entry fill:#fff4e5,stroke:#b45309', `  class ${entryIds.join(',')} entry`);
  if (targets.length > 0) lines.push('  classDef target fill:#fde8e8,stroke:#c81e1e', `  class ${targets.join(',')} target`);
  return `${lines.join('\n')}\n`;
}
