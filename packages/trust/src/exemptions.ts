import { isExemptable } from './rules';
import type { Exemption, Finding, TrustGuardConfig } from './types';

/** The resource a finding belongs to: its Pulumi URN and/or logical name. */
export interface ResourceRef {
  readonly urn?: string;
  readonly name?: string;
}

/**
 * What an exemption is matched against: a finding of this library's rules, or of another rule set written in
 * the same form (the access-path rules of `@trustline/paths`), which passes its own `exemptable` test.
 */
export interface ExemptableFinding {
  readonly ruleId: string;
  readonly key: string;
  readonly principal?: string;
}

/** An exemption of this library's rules, or of another rule set written in the same form. */
export type ExemptionOf<Id extends string = string> = Omit<Exemption, 'ruleId'> & { readonly ruleId: Id };

/** Generic over the finding type: the findings handed in come back as the same objects. */
export interface ExemptionResult<F extends ExemptableFinding = Finding, E extends ExemptionOf = Exemption> {
  /** Findings still standing. */
  readonly findings: F[];
  /** Findings silenced, each with the exemption that silenced it. */
  readonly exempted: { finding: F; exemption: E }[];
  /**
   * Standing findings that an exemption would have silenced had it not expired, each with that exemption,
   * so an expiry is reported ("expired on ..., no longer covers ...") instead of a finding reappearing unexplained.
   */
  readonly expired: { finding: F; exemption: E }[];
}

const DAY_MS = 86_400_000;

/** True while `now` is on or before the exemption's `expires` day (UTC); exemptions without expiry never expire. */
export function exemptionActive(e: Pick<Exemption, 'expires'>, now: Date): boolean {
  if (e.expires === undefined) return true;
  const end = Date.parse(`${e.expires}T00:00:00Z`) + DAY_MS;
  return Number.isNaN(end) ? false : now.getTime() < end;
}

function matches(e: ExemptionOf, f: ExemptableFinding, resource: ResourceRef): boolean {
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
 * Another rule set's findings pass their own `exemptable` test (default: this library's {@link isExemptable}).
 */
export function applyExemptions<F extends ExemptableFinding = Finding, E extends ExemptionOf = Exemption>(
  findings: readonly F[],
  resource: ResourceRef,
  config: { readonly exemptions: readonly E[] } | Pick<TrustGuardConfig, 'exemptions'>,
  now: Date = new Date(),
  exemptable: (finding: F) => boolean = (f) => isExemptable(f as unknown as Finding),
): ExemptionResult<F, E> {
  const standing: F[] = [];
  const exempted: { finding: F; exemption: E }[] = [];
  const expired: { finding: F; exemption: E }[] = [];
  const exemptions = config.exemptions as readonly E[];
  const active = exemptions.filter((e) => exemptionActive(e, now));
  const lapsed = exemptions.filter((e) => !exemptionActive(e, now));
  for (const f of findings) {
    const canExempt = exemptable(f);
    const e = canExempt ? active.find((x) => matches(x, f, resource)) : undefined;
    if (e !== undefined) {
      exempted.push({ finding: f, exemption: e });
      continue;
    }
    standing.push(f);
    const old = canExempt ? lapsed.find((x) => matches(x, f, resource)) : undefined;
    if (old !== undefined) expired.push({ finding: f, exemption: old });
  }
  return { findings: standing, exempted, expired };
}

/**
 * The sentence that reports an expired exemption next to the finding it no longer covers; the CLI's text
 * report and the policy pack both print it, so the expiry is never silent.
 */
export function expiredExemptionNote(exemption: ExemptionOf, findingKey: string): string {
  const names = exemption.findingKey ?? `${exemption.ruleId} on resource ${JSON.stringify(exemption.resource)}`;
  return `The exemption of ${names} ("${exemption.reason}") expired on ${exemption.expires}; it no longer covers ${findingKey}. Fix the finding, or renew the exemption with a new "expires" date.`;
}
