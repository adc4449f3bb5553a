import type { Report, TrustZone } from '@trustline/trust-guard';

/** Version of the JSON output; bumped only on a breaking change (documented in README.md). */
export const JSON_SCHEMA_VERSION = 1;

/** An input the run could not read (a FILE for check, an account for scan --live); it makes the run fail. */
export interface ReadError {
  /** The FILE argument as given, or the account label (`account dev (111111111111)`). */
  readonly file: string;
  /** Why it could not be read, as printed on stderr. */
  readonly problem: string;
  /** The stable diagnosis code (scan --live), when there is one. */
  readonly code?: string;
  /** How to fix it (scan --live), when known. */
  readonly fix?: string;
  /** Where in the file the problem is (JSON syntax, a repeated key), when known; used by SARIF. */
  readonly position?: { readonly line: number; readonly column: number };
}

/** How the summary names what could not be read: files for check, accounts for scan --live. */
export type ReadErrorNoun = 'file' | 'account';

const VERB: Record<ReadErrorNoun, string> = { file: 'read', account: 'scan' };

const LABEL = { mandatory: 'MANDATORY', advisory: 'advisory', informational: 'info' } as const;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The first line of every text report: which accounts, organization and vendors the run judged with, and
 * where they came from, so a run with the wrong zone (another checkout's registry, a partial --config) shows.
 */
export function zoneLine(zone: TrustZone): string {
  const from = zone.from.kind === 'registry' ? `registry ${zone.from.file}` : `configuration ${zone.from.file} (the registry's accounts are not used)`;
  const accounts = zone.trustedAccounts.length > 0 ? zone.trustedAccounts.join(', ') : 'none';
  const vendors = zone.externalAccounts.length > 0 ? zone.externalAccounts.map((v) => (v.name ? `${v.accountId} (${v.name})` : v.accountId)).join(', ') : 'none';
  return `Zone of trust from ${from}: accounts ${accounts}; organization ${zone.organizationId ?? 'none'}; vendors ${vendors}.`;
}

/** True when nothing mandatory was found and every input was read: the run passes only then. */
export function passed(report: Report, errors: readonly ReadError[] = []): boolean {
  return report.summary.mandatory === 0 && errors.length === 0;
}

/** The one-line summary that ends every text report; unread inputs replace "passed" with "could not read/scan N". */
export function summaryLine(report: Report, errors: readonly ReadError[] = [], noun: ReadErrorNoun = 'file'): string {
  const s = report.summary;
  const unread = errors.length > 0 ? `could not ${VERB[noun]} ${plural(errors.length, noun)}` : '';
  const verdict = s.mandatory > 0 ? (unread ? `FAILED and ${unread}` : 'FAILED') : unread || 'passed';
  const expired = (s.expired ?? 0) > 0 ? `, ${plural(s.expired ?? 0, 'expired exemption')}` : '';
  return (
    `trust-guard ${verdict}: ${plural(s.mandatory, 'mandatory finding')}, ${s.advisory} advisory, ${s.informational} informational, ${s.exempted} exempted${expired} ` +
    `(${plural(s.files, 'file')}, ${plural(s.resources, 'resource')}, ${plural(s.documents, 'document')} checked).`
  );
}

/**
 * Human-readable report: findings grouped by file and resource, each with its severity, rule id,
 * principal, where it is, the message (which says the fix) and the key an exemption can name.
 */
export function renderText(report: Report, errors: readonly ReadError[] = [], noun: ReadErrorNoun = 'file'): string {
  const lines: string[] = report.zone ? [zoneLine(report.zone)] : [];
  for (const file of report.files) {
    const flagged = file.resources.filter((r) => r.findings.length > 0 || r.exempted.length > 0);
    const header = `${file.file}${file.format ? ` (${file.format})` : ''}`;
    if (flagged.length === 0) {
      lines.push(`${header}: ${plural(file.resources.length, 'resource')}, no findings`);
      continue;
    }
    lines.push(`${header}:`);
    for (const r of flagged) {
      lines.push(`  ${r.type} "${r.name}"${r.urn && r.urn !== r.name ? ` (${r.urn})` : ''}`);
      for (const f of r.findings) {
        const where = [f.location, f.statementIndex === null ? undefined : `statement ${f.statementIndex}`].filter(Boolean).join(', ');
        lines.push(`    ${LABEL[f.severity]} ${f.ruleId}${f.principal ? ` principal ${f.principal}` : ''} [${where}]`);
        lines.push(`      ${f.message}`);
        lines.push(`      key: ${f.key}`);
        const expired = r.expired?.find((e) => e.finding === f);
        if (expired) lines.push(`      expired exemption: ${expired.note}`);
      }
      for (const e of r.exempted) {
        lines.push(`    exempted ${e.finding.key}${e.reason ? `: ${e.reason}` : ''}${e.expires ? ` (until ${e.expires})` : ''}`);
      }
    }
  }
  // The reasons go to stderr; the report still names each unread input so it cannot pass for a clean one.
  for (const e of errors) lines.push(`${e.file}: NOT ${noun === 'account' ? 'SCANNED' : 'READ'} (${e.code ?? e.problem})`);
  lines.push(summaryLine(report, errors, noun));
  return `${lines.join('\n')}\n`;
}

/** A section a command adds to its JSON output (scan --live: `drift`), and whether it passed. */
export interface JsonSection {
  readonly body: object;
  readonly passed: boolean;
}

/**
 * The stable JSON output (schemaVersion 1); see README.md "JSON output" for every field. `drift` (scan
 * --live) is added before `summary`, and `summary.passed` is false when it did not pass.
 */
export function renderJson(report: Report, errors: readonly ReadError[] = [], drift?: JsonSection): string {
  const out = {
    schemaVersion: JSON_SCHEMA_VERSION,
    files: report.files.map((file) => ({
      file: file.file,
      format: file.format ?? null,
      resources: file.resources.map((r) => ({
        name: r.name,
        urn: r.urn ?? null,
        type: r.type,
        findings: r.findings.map((f) => ({
          ruleId: f.ruleId,
          severity: f.severity,
          key: f.key,
          location: f.location,
          statementIndex: f.statementIndex,
          principal: f.principal ?? null,
          message: f.message,
        })),
      })),
    })),
    exempted: report.files.flatMap((file) =>
      file.resources.flatMap((r) =>
        r.exempted.map((e) => ({
          file: file.file,
          resource: r.urn ?? r.name,
          ruleId: e.finding.ruleId,
          severity: e.finding.severity,
          key: e.finding.key,
          location: e.finding.location,
          reason: e.reason ?? null,
          expires: e.expires ?? null,
        })),
      ),
    ),
    expiredExemptions: report.files.flatMap((file) =>
      file.resources.flatMap((r) =>
        (r.expired ?? []).map((e) => ({
          file: file.file,
          resource: r.urn ?? r.name,
          key: e.finding.key,
          location: e.finding.location,
          exemption: { ruleId: e.exemption.ruleId, findingKey: e.exemption.findingKey ?? null, resource: e.exemption.resource ?? null, reason: e.exemption.reason, expires: e.exemption.expires ?? null },
          note: e.note,
        })),
      ),
    ),
    zone: report.zone
      ? {
          from: report.zone.from,
          trustedAccounts: report.zone.trustedAccounts,
          organizationId: report.zone.organizationId ?? null,
          externalAccounts: report.zone.externalAccounts.map((v) => ({ accountId: v.accountId, name: v.name ?? null })),
        }
      : null,
    errors: errors.map((e) => ({ file: e.file, problem: e.problem, code: e.code ?? null, fix: e.fix ?? null })),
    ...(drift !== undefined && { drift: drift.body }),
    summary: { ...report.summary, errors: errors.length, passed: passed(report, errors) && (drift?.passed ?? true) },
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
