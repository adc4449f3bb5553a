import { analyseSnapshot, DEFAULT_MAX_HOPS, hasMandatory, pathsJson, readSnapshot, renderPathsText, roleArns, runProblems, type CollectProblem, type PathsConfig, type PathsReport, type SnapshotProblem } from '@trustline/paths';
import type { AccountEntry, AccountRegistry } from '@trustline/registry';
import { declaredFrom, registryAccountNames } from '@trustline/trust-guard';

/*
 * Declared vs live for `scan --live` (issue 19, item 3): the IAM the scan already read, as an organization
 * snapshot through the paths package's reader, compared with the registry by its drift rules. Pure: the
 * scan hands in what it read and what it could not.
 */

/** One account the scan read: its label (`account dev (111111111111)`) and its GAAD output, pages merged, as JSON text. */
export interface LiveAccountIam {
  readonly account: AccountEntry;
  readonly source: string;
  readonly gaad: string;
  /** What reading it met besides GAAD (a permissions boundary GetPolicy could not fetch). */
  readonly problems?: readonly CollectProblem[];
}

/** One account the scan could not read, with the diagnosis' code and sentence. */
export interface LiveAccountFailure {
  readonly account: AccountEntry;
  readonly source: string;
  readonly code: string;
  readonly problem: string;
}

export interface LiveDriftInput {
  readonly registry: AccountRegistry;
  /** The registry file as shown to the user. */
  readonly registryFile: string;
  /** The accounts the scan was asked to read (every registry account, or the `--account` ones). */
  readonly scanned: readonly AccountEntry[];
  readonly read: readonly LiveAccountIam[];
  readonly failed: readonly LiveAccountFailure[];
  /** The `paths` section of the trust-guard configuration (levels and exemptions of the drift rules). */
  readonly config: PathsConfig;
  readonly now?: Date;
}

/** An account of the zone the scan did not try to read, and why; it is in the snapshot as unreadable. */
export interface NotRead {
  readonly accountId: string;
  readonly name: string;
  readonly reason: string;
}

export interface LiveDrift {
  /** The path report, as `trust-guard paths --declared` renders it. */
  readonly report: PathsReport;
  readonly notRead: readonly NotRead[];
  /** A mandatory drift finding stands (after exemptions). */
  readonly failed: boolean;
  /**
   * What the reader and the engine could not read in what the scan read (a policy document that does not
   * parse, a managed policy GAAD left out): the report's problems beyond the accounts the scan could not read.
   */
  readonly faults: readonly SnapshotProblem[];
}

/** What the report says in place of the organization: scan makes no Organizations calls. */
export const SCAN_ORGANIZATION_NOTE = 'not read (scan --live makes no Organizations calls, so no SCP or RCP is applied: an edge one of them blocks still shows)';

/**
 * Builds the snapshot from the scan's GAAD output (`readSnapshot`, the one GAAD reader), with every account
 * the scan could not read, and every other account of the zone it did not try (the identity account, the
 * accounts `--account` left out), as unreadable, so a path through one is `unknown`, never dropped. Then
 * runs `trust-guard paths --declared`'s analysis on it for the scanned accounts' deploy roles. The
 * scan's own failures are the report's problems; the accounts it did not try are `notRead`.
 */
export function liveDrift(input: LiveDriftInput): LiveDrift {
  const { registry } = input;
  const names = registryAccountNames(registry);
  const tried = new Set(input.scanned.map((a) => a.accountId));
  const notRead: NotRead[] = [];
  const identity = registry.identity;
  if (!tried.has(identity.accountId)) {
    notRead.push({
      accountId: identity.accountId,
      name: identity.key,
      reason: 'the identity account: scan --live reads each registry account through its deploy role, not the identity account, so what its principals (the hub) may assume is unknown; trust-guard collect reads it',
    });
  }
  for (const a of registry.accounts) {
    if (!tried.has(a.accountId) && a.accountId !== identity.accountId) notRead.push({ accountId: a.accountId, name: a.key, reason: 'not scanned in this run (--account)' });
  }
  const read = readSnapshot({
    accounts: input.read.map((r) => ({ name: r.source, accountId: r.account.accountId, bytes: r.gaad })),
    unreadable: [...input.failed.map((f) => ({ accountId: f.account.accountId, reason: `scan could not read it (${f.code}: ${f.problem})` })), ...notRead.map((n) => ({ accountId: n.accountId, reason: n.reason }))],
  });
  const all = declaredFrom(registry);
  const declared = { ...all, accounts: all.accounts.filter((a) => tried.has(a.accountId)) };
  const analysis = analyseSnapshot(read.snapshot, declared, input.config, { maxHops: DEFAULT_MAX_HOPS, all: false, declaredOnly: true, ...(input.now !== undefined && { now: input.now }) });
  // declaredOnly takes no --to or --from, so it cannot refuse them.
  if (!analysis.ok) throw new Error(`scan --live: the declared-vs-live analysis refused its own input: ${analysis.problems.join(' ')}`);
  const sources = new Map(input.read.map((r) => [r.account.accountId, r.source]));
  // The GAAD text is the scan's own serialisation of the SDK's answer: a line and column in it point nowhere.
  const faults = [
    ...input.read.flatMap((r) => (r.problems ?? []).map((p) => ({ file: r.source, accountId: r.account.accountId, message: `${p.code} [${p.where}]: ${p.message}` }))),
    ...runProblems(read.problems, analysis.graph, (id) => sources.get(id), 'scan --live').map(({ line: _line, column: _column, ...p }) => p),
  ];
  const problems = [
    ...input.failed.map((f) => ({ file: f.source, accountId: f.account.accountId, message: `${f.source} could not be read (${f.code}); it is unreadable, and every path through it is reported as "unknown".` })),
    ...faults,
  ];
  const report: PathsReport = {
    command: 'trust-guard scan --live, declared vs live,',
    targets: analysis.targets,
    judgement: analysis.judgement,
    ...(analysis.deployRoles !== undefined && { deployRoles: analysis.deployRoles }),
    problems,
    accountNames: names,
    header: {
      registry: input.registryFile,
      organizationNote: SCAN_ORGANIZATION_NOTE,
      accounts: read.snapshot.accounts.length,
      unreadable: read.snapshot.accounts.filter((a) => a.status === 'unreadable').length,
      roles: roleArns(analysis.graph).length,
      maxHops: DEFAULT_MAX_HOPS,
      all: false,
    },
  };
  return { report, notRead, failed: hasMandatory(analysis.judgement), faults };
}

/** The text section: what is compared, the accounts not read, then the path report of `trust-guard paths --declared`. */
export function renderDriftText(d: LiveDrift): string {
  const lines = [
    "Declared vs live: each scanned account's deploy role, as read, against the registry (path-undeclared, path-guard-weaker, path-declared-dead).",
    ...(d.notRead.length > 0 ? ['Not read by this scan (in the snapshot as unreadable, so paths from them are "unknown"):', ...d.notRead.map((n) => `  ${n.name} (${n.accountId}): ${n.reason}.`)] : []),
  ];
  return `${lines.join('\n')}\n${renderPathsText(d.report)}`;
}

/** The JSON `drift` key: the body of `trust-guard paths --declared --format json`, plus what was not read. */
export function driftJson(d: LiveDrift) {
  return { organizationRead: false, notRead: d.notRead.map((n) => ({ accountId: n.accountId, name: n.name, reason: n.reason })), ...pathsJson(d.report) };
}
