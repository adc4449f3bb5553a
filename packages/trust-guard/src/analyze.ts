import {
  analyzeIdentityPolicy,
  analyzeTrustPolicy,
  applyExemptions,
  checkMaxSessionDuration,
  expiredExemptionNote,
  unverifiableAtPreview,
  type Exemption,
  type Finding,
  type Severity,
  type TrustGuardConfig,
} from '@trustline/trust';
import type { TrustZone } from './config';
import type { Subject } from './subjects';

/** A finding with the document it was found in. */
export interface LocatedFinding extends Finding {
  /** Where in the resource the document sits (`assumeRolePolicy`, `inlinePolicies[0].policy`, ...). */
  readonly location: string;
}

/** A finding an exemption silenced, with the exemption's reason. */
export interface ExemptedFinding {
  readonly finding: LocatedFinding;
  readonly reason: string;
  readonly expires?: string;
}

/** A standing finding that an exemption covered until it expired. */
export interface ExpiredExemption {
  readonly finding: LocatedFinding;
  readonly exemption: Exemption;
  /** The sentence that says so ({@link expiredExemptionNote}), printed by the CLI and appended by the pack. */
  readonly note: string;
}

/** Every subject of one resource, judged. */
export interface ResourceReport {
  readonly name: string;
  readonly urn?: string;
  readonly type: string;
  readonly findings: readonly LocatedFinding[];
  readonly exempted: readonly ExemptedFinding[];
  /** Findings in `findings` whose exemption has expired (absent: none). */
  readonly expired?: readonly ExpiredExemption[];
}

/** One input and its resources. */
export interface FileReport {
  /** The input file, or for a live scan a label such as `account 111111111111`. */
  readonly file: string;
  readonly format?: string;
  readonly resources: readonly ResourceReport[];
}

export interface ReportSummary {
  readonly files: number;
  readonly resources: number;
  readonly documents: number;
  readonly mandatory: number;
  readonly advisory: number;
  readonly informational: number;
  readonly exempted: number;
  /** Findings reported again because their exemption expired (they are also counted by severity; absent: 0). */
  readonly expired?: number;
}

/** The result of judging a set of subjects; rendered by `renderText`/`renderJson`. */
export interface Report {
  readonly files: readonly FileReport[];
  readonly summary: ReportSummary;
  /** The accounts, organization and vendors the run judged with, and where they came from (set by the CLI). */
  readonly zone?: TrustZone;
}

const toArray = (v: Finding | undefined): Finding[] => (v === undefined ? [] : [v]);

/**
 * The `trust-unverifiable-at-preview` finding for a subject Pulumi does not know yet (message and fix are
 * the rule's, in packages/trust/src/rules/trust-unverifiable-at-preview.ts).
 */
export function unverifiableFinding(subject: Subject, config: TrustGuardConfig): Finding | undefined {
  return unverifiableAtPreview(subject, config);
}

/** Every finding for one subject, before exemptions. Never throws: the analyzer reports bad input as findings. */
export function analyzeSubject(subject: Subject, config: TrustGuardConfig): LocatedFinding[] {
  const at = (location: string) => (f: Finding): LocatedFinding => ({ ...f, location });
  // The session limit is a property of the role, not of a document, even when the document is unknown.
  const session = subject.kind === 'trust' && subject.maxSessionDuration !== undefined ? checkMaxSessionDuration(subject.maxSessionDuration, config).map(at('maxSessionDuration')) : [];
  if (subject.unknown) return [...toArray(unverifiableFinding(subject, config)).map(at(subject.location)), ...session];
  const judged =
    subject.kind === 'trust'
      ? analyzeTrustPolicy(subject.document, config, subject.serviceLinked ? { serviceLinked: true } : undefined)
      : analyzeIdentityPolicy(subject.document, config);
  return [...judged.map(at(subject.location)), ...session];
}

/**
 * Judges all subjects of one resource and applies the configured exemptions (matched on the resource's
 * URN or name and on finding keys).
 */
export function analyzeResource(
  resource: { name: string; urn?: string; type: string },
  subjects: readonly Subject[],
  config: TrustGuardConfig,
  now?: Date,
): ResourceReport {
  const all = subjects.flatMap((s) => analyzeSubject(s, config));
  const result = applyExemptions(all, { urn: resource.urn, name: resource.name }, config, now);
  const kept = result.findings;
  const exempted = result.exempted.map(({ finding, exemption }) => ({
    finding,
    reason: exemption.reason,
    ...(exemption.expires ? { expires: exemption.expires } : {}),
  }));
  const expired = result.expired.map(({ finding, exemption }) => ({ finding, exemption, note: expiredExemptionNote(exemption, finding.key) }));
  return { name: resource.name, ...(resource.urn ? { urn: resource.urn } : {}), type: resource.type, findings: kept, exempted, expired };
}

/**
 * Judges subjects from any input and groups the result by source and resource, in input order.
 * This is what `trust-guard check` and `trust-guard scan --live` print.
 */
export function analyzeSubjects(subjects: readonly Subject[], config: TrustGuardConfig, options: { now?: Date; formats?: ReadonlyMap<string, string> } = {}): Report {
  const sources = new Map<string, Map<string, Subject[]>>();
  for (const s of subjects) {
    const bySource = sources.get(s.source) ?? new Map<string, Subject[]>();
    sources.set(s.source, bySource);
    const key = `${s.type}\u0000${s.urn ?? ''}\u0000${s.name}`;
    bySource.set(key, [...(bySource.get(key) ?? []), s]);
  }
  const reports: FileReport[] = [...sources].map(([source, resources]) => ({
    file: source,
    ...(options.formats?.get(source) ? { format: options.formats.get(source) } : {}),
    resources: [...resources.values()].map((group) => {
      const first = group[0];
      return analyzeResource({ name: first.name, urn: first.urn, type: first.type }, group, config, options.now);
    }),
  }));
  return withSummary(reports, subjects.length);
}

/** Adds the summary counts to a list of source reports (also used to add sources that had no subjects). */
export function withSummary(files: readonly FileReport[], documents: number): Report {
  const findings = files.flatMap((s) => s.resources.flatMap((r) => r.findings));
  const count = (sev: Severity) => findings.filter((f) => f.severity === sev).length;
  return {
    files,
    summary: {
      files: files.length,
      resources: files.reduce((n, s) => n + s.resources.length, 0),
      documents,
      mandatory: count('mandatory'),
      advisory: count('advisory'),
      informational: count('informational'),
      exempted: files.reduce((n, s) => n + s.resources.reduce((m, r) => m + r.exempted.length, 0), 0),
      expired: files.reduce((n, s) => n + s.resources.reduce((m, r) => m + (r.expired?.length ?? 0), 0), 0),
    },
  };
}
