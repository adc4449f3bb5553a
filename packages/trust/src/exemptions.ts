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
 * given. Expired exemptions and non-exemptable findings (`*` principals, NotPrincipal) never apply.
 */
export function applyExemptions<F extends Finding>(findings: readonly F[], resource: ResourceRef, config: Pick<TrustGuardConfig, 'exemptions'>, now: Date = new Date()): ExemptionResult<F> {
  const standing: F[] = [];
  const exempted: { finding: F; exemption: Exemption }[] = [];
  const active = config.exemptions.filter((e) => exemptionActive(e, now));
  for (const f of findings) {
    const e = isExemptable(f) ? active.find((x) => matches(x, f, resource)) : undefined;
    if (e === undefined) standing.push(f);
    else exempted.push({ finding: f, exemption: e });
  }
  return { findings: standing, exempted };
}
