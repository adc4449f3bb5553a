import { isExemptable } from './rules';
import type { Exemption, Finding, TrustGuardConfig } from './types';

/** The resource a finding belongs to: its Pulumi URN and/or logical name. */
export interface ResourceRef {
  readonly urn?: string;
  readonly name?: string;
}

/** Generic over the finding type: the findings handed in come back as the same objects. */
export interface ExemptionResult<F extends Finding = Finding> {
  /** Findings still standing. */
  readonly findings: F[];
  /** Findings silenced, each with the exemption that silenced it. */
  readonly exempted: { finding: F; exemption: Exemption }[];
  /**
   * Standing findings that an exemption would have silenced had it not expired, each with that exemption,
   * so an expiry is reported ("expired on ..., no longer covers ...") instead of a finding reappearing unexplained.
   */
  readonly expired: { finding: F; exemption: Exemption }[];
}

const DAY_MS = 86_400_000;

/** True while `now` is on or before the exemption's `expires` day (UTC); exemptions without expiry never expire. */
export function exemptionActive(e: Exemption, now: Date): boolean {
  if (e.expires === undefined) return true;
  const end = Date.parse(`${e.expires}T00:00:00Z`) + DAY_MS;
  return Number.isNaN(end) ? false : now.getTime() < end;
}

function matches(e: Exemption, f: Finding, resource: ResourceRef): boolean {
  if (e.ruleId !== f.ruleId) return false;
  if (e.findingKey === undefined && e.resource === undefined) return false;
  if (e.findingKey !== undefined && e.findingKey !== f.key) return false;
  if (e.resource !== undefined && e.resource !== resource.urn && e.resource !== resource.name) return false;
  return true;
}

/**
 * Splits findings into those that stand and those an active exemption silences. An exemption names a
 * rule id plus a finding key and/or a resource (URN or logical name); both must match when both are
 * given. Expired exemptions and non-exemptable findings (`*` principals, NotPrincipal) never apply; a
 * standing finding an expired exemption matches is listed in `expired` with that exemption.
 */
export function applyExemptions<F extends Finding>(findings: readonly F[], resource: ResourceRef, config: Pick<TrustGuardConfig, 'exemptions'>, now: Date = new Date()): ExemptionResult<F> {
  const standing: F[] = [];
  const exempted: { finding: F; exemption: Exemption }[] = [];
  const expired: { finding: F; exemption: Exemption }[] = [];
  const active = config.exemptions.filter((e) => exemptionActive(e, now));
  const lapsed = config.exemptions.filter((e) => !exemptionActive(e, now));
  for (const f of findings) {
    const exemptable = isExemptable(f);
    const e = exemptable ? active.find((x) => matches(x, f, resource)) : undefined;
    if (e !== undefined) {
      exempted.push({ finding: f, exemption: e });
      continue;
    }
    standing.push(f);
    const old = exemptable ? lapsed.find((x) => matches(x, f, resource)) : undefined;
    if (old !== undefined) expired.push({ finding: f, exemption: old });
  }
  return { findings: standing, exempted, expired };
}

/**
 * The sentence that reports an expired exemption next to the finding it no longer covers; the CLI's text
 * report and the policy pack both print it, so the expiry is never silent.
 */
export function expiredExemptionNote(exemption: Exemption, findingKey: string): string {
  const names = exemption.findingKey ?? `${exemption.ruleId} on resource ${JSON.stringify(exemption.resource)}`;
  return `The exemption of ${names} ("${exemption.reason}") expired on ${exemption.expires}; it no longer covers ${findingKey}. Fix the finding, or renew the exemption with a new "expires" date.`;
}
