import type { DeployRoleDrift } from './drift';
import type { PathFinding, PathJudgement } from './rules';
import { formatProblem, type SnapshotProblem } from './snapshot';
import type { AccessPath, PathEntry, TargetPaths } from './types';

/*
 * The path report, whoever produces it (`trust-guard paths`, the offline preview's code graph): text, and the
 * JSON body (`trust-guard paths --format json` without its schemaVersion, which the caller's document sets).
 */

/** Everything one `trust-guard paths` run reports, whatever the format. */
export interface PathsReport {
  readonly targets: readonly TargetPaths[];
  readonly judgement: PathJudgement;
  /** Faults of the snapshot (reader and engine), each with its file and position when known. */
  readonly problems: readonly SnapshotProblem[];
  /** Names shown for accounts: the registry key, else the organization's account name. */
  readonly accountNames: ReadonlyMap<string, string>;
  /** Who prints it, for the summary line. @default "trust-guard paths" */
  readonly command?: string;
  /** What was read: the registry file, the organization id, the accounts. */
  /** With `--declared`: per registry account, every edge into its deploy role, declared or not. */
  readonly deployRoles?: readonly DeployRoleDrift[];
  readonly header: {
    readonly registry: string;
    readonly organizationId?: string;
    readonly organizationUnread?: boolean;
    /** Said in place of the organization when the run has none by design (`scan --live` makes no Organizations calls). */
    readonly organizationNote?: string;
    readonly accounts: number;
    readonly unreadable: number;
    readonly roles: number;
    readonly maxHops: number;
    readonly all: boolean;
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
export const ROLE_ARN_PARTS = /^arn:aws[\w-]*:iam::(\d{12}):role\/(.+)$/;

/** `prod:trustline-deploy`, `identity:ci/github-actions-deploy`: a role as text reports and pictures name it. */
export function roleLabel(arn: string, names: ReadonlyMap<string, string>): string {
  const m = ROLE_ARN_PARTS.exec(arn);
  return m === null ? arn : `${names.get(m[1]) ?? m[1]}:${m[2]}`;
}

/** An entry point in a few words: `service ec2.amazonaws.com`, `federated token.actions.githubusercontent.com`. */
export function entryText(from: PathEntry, names: ReadonlyMap<string, string>): string {
  switch (from.kind) {
    case 'anyone':
      return 'anyone (*)';
    case 'federated':
      return `federated ${from.id.replace(/^arn:aws[\w-]*:iam::\d{12}:(oidc|saml)-provider\//, '')}`;
    case 'account':
      return `account ${names.has(from.id) ? `${names.get(from.id)} (${from.id})` : from.id}`;
    case 'role':
    case 'user':
      return `${from.kind} ${roleLabel(from.id, names)}`;
    default:
      return `${from.kind} ${from.id}`;
  }
}

/** True when the run fails on its findings: a mandatory finding stands. */
export const hasMandatory = (j: PathJudgement): boolean => j.findings.some((f) => f.severity === 'mandatory');

function summaryLine(r: PathsReport): string {
  const mandatory = r.judgement.findings.filter((f) => f.severity === 'mandatory').length;
  const advisory = r.judgement.findings.length - mandatory;
  const paths = r.targets.reduce((n, t) => n + t.paths.length, 0);
  const verdict = mandatory > 0 ? (r.problems.length > 0 ? 'FAILED and could not read everything' : 'FAILED') : r.problems.length > 0 ? 'could not read everything' : 'passed';
  const expired = r.judgement.expired.length > 0 ? `, ${plural(r.judgement.expired.length, 'expired exemption')}` : '';
  return `${r.command ?? 'trust-guard paths'} ${verdict}: ${plural(mandatory, 'mandatory finding')}, ${advisory} advisory, ${r.judgement.exempted.length} exempted${expired} (${plural(r.targets.length, 'target')}, ${plural(paths, 'path')}, ${plural(r.problems.length, 'input problem')}).`;
}

const LABEL = { mandatory: 'MANDATORY', advisory: 'advisory' } as const;

/**
 * The text report: what was read, then each target with every path (entry, roles in order, verdict and
 * guards), then the findings (severity, rule, message, key), the input problems, and a summary line.
 */
export function renderPathsText(r: PathsReport): string {
  const names = r.accountNames;
  const h = r.header;
  const lines: string[] = [
    `Snapshot: organization ${h.organizationId ?? h.organizationNote ?? (h.organizationUnread ? 'NOT READ (no SCP or RCP is applied, so more paths may show than exist; see the input problems)' : 'none')}, ${plural(h.accounts, 'account')}${h.unreadable > 0 ? ` (${h.unreadable} unreadable)` : ''}, ${plural(h.roles, 'role')}; registry ${h.registry}; ${h.all ? 'every simple path' : 'shortest path per entry point'} up to ${h.maxHops} hops.`,
  ];
  for (const t of r.targets) {
    lines.push('', `${roleLabel(t.target, names)} (${t.why}): ${t.paths.length === 0 ? 'no path' : plural(t.paths.length, 'path')}`);
    for (const p of t.paths) {
      lines.push(`  ${p.verdict.padEnd(11)} ${[entryText(p.from, names), ...p.hops.map((x) => roleLabel(x, names))].join(' -> ')}`);
      for (const g of p.guards) lines.push(`${' '.repeat(14)}hop ${g.hop + 1}: ${g.text}`);
    }
  }
  if (r.deployRoles !== undefined) {
    lines.push('', 'Edges into the deploy roles (declared vs snapshot):');
    for (const d of r.deployRoles) {
      lines.push(`  ${roleLabel(d.deployRoleArn, names)}${d.externalId !== undefined ? ` (declared sts:ExternalId "${d.externalId}")` : ''}${d.inSnapshot === false ? ': not in the snapshot' : d.inSnapshot === undefined ? ': account not read' : ''}`);
      for (const e of d.edges) lines.push(`    ${e.declared ? 'declared  ' : 'UNDECLARED'} ${e.caller}${e.guards.length > 0 ? ` if ${e.guards.map((g) => g.text).join('; ')}` : ''}`);
      // Without the role's account, no declared edge can be said to be missing: whether it exists is unknown.
      for (const p of d.declaredPrincipals) if (!d.edges.some((e) => e.caller === p)) lines.push(`    ${(d.inSnapshot === undefined ? 'unknown' : 'MISSING').padEnd(10)} ${p}`);
    }
  }
  const j = r.judgement;
  if (j.findings.length > 0 || j.exempted.length > 0) lines.push('', 'Findings:');
  for (const f of j.findings) {
    lines.push(`  ${LABEL[f.severity]} ${f.ruleId}`, `    ${f.message}`, `    key: ${f.key}`);
    const expired = j.expired.find((e) => e.finding === f);
    if (expired) lines.push(`    expired exemption: ${expired.note}`);
  }
  for (const e of j.exempted) lines.push(`  exempted ${e.finding.key}: ${e.exemption.reason}${e.exemption.expires ? ` (until ${e.exemption.expires})` : ''}`);
  if (r.problems.length > 0) lines.push('', 'Input problems:', ...r.problems.map((p) => `  ${formatProblem(p)}`));
  lines.push('', summaryLine(r));
  return `${lines.join('\n')}\n`;
}

export const jsonPath = (p: AccessPath) => ({
  from: { kind: p.from.kind, id: p.from.id },
  hops: p.hops,
  verdict: p.verdict,
  guards: p.guards.map((g) => ({ hop: g.hop, source: g.source, key: g.key, operator: g.operator ?? null, values: g.values ?? null, text: g.text })),
  reasons: p.reasons,
  notes: p.notes ?? [],
});
const jsonFinding = (f: PathFinding) => ({
  ruleId: f.ruleId,
  severity: f.severity,
  key: f.key,
  target: f.target ?? null,
  message: f.message,
  fix: f.fix,
  path: f.path === undefined ? null : { from: f.path.from, hops: f.path.hops, verdict: f.path.verdict },
});

/** The JSON body of a path report: targets with their paths, findings, exemptions, input problems, summary. See README "Who can reach prod". */
export function pathsJson(r: PathsReport) {
  const mandatory = r.judgement.findings.filter((f) => f.severity === 'mandatory').length;
  const out = {
    targets: r.targets.map((t) => ({ target: t.target, why: t.why, paths: t.paths.map(jsonPath) })),
    findings: r.judgement.findings.map(jsonFinding),
    exempted: r.judgement.exempted.map((e) => ({ ...jsonFinding(e.finding), reason: e.exemption.reason, expires: e.exemption.expires ?? null })),
    expiredExemptions: r.judgement.expired.map((e) => ({ key: e.finding.key, reason: e.exemption.reason, expires: e.exemption.expires ?? null, note: e.note })),
    problems: r.problems.map((p) => ({ file: p.file, line: p.line ?? null, column: p.column ?? null, accountId: p.accountId ?? null, message: p.message })),
    ...(r.deployRoles !== undefined && {
      deployRoles: r.deployRoles.map((d) => ({
        account: d.account,
        deployRoleArn: d.deployRoleArn,
        inSnapshot: d.inSnapshot ?? null,
        declaredPrincipals: d.declaredPrincipals,
        externalId: d.externalId ?? null,
        edges: d.edges.map((e) => ({ caller: e.caller, declared: e.declared, verdict: e.verdict, guards: e.guards.map((g) => ({ hop: g.hop, source: g.source, key: g.key, operator: g.operator ?? null, values: g.values ?? null, text: g.text })) })),
      })),
    }),
    summary: {
      targets: r.targets.length,
      paths: r.targets.reduce((n, t) => n + t.paths.length, 0),
      mandatory,
      advisory: r.judgement.findings.length - mandatory,
      exempted: r.judgement.exempted.length,
      problems: r.problems.length,
      passed: mandatory === 0 && r.problems.length === 0,
    },
  };
  return out;
}

