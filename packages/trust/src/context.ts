import type { AccountSets } from './principals';
import { RULE_IDS, severityFor } from './rules';
import { DEFAULT_SESSION_SECONDS } from './session';
import type { Finding, RuleId, Severity, TrustGuardConfig } from './types';

/**
 * What the analyzers derive from a config: sets for account lookups and the severity of every rule.
 * Built once per config object (configs are immutable values), so the hot path does no set building.
 */
export interface Prepared extends AccountSets {
  readonly trusted: ReadonlySet<string>;
  readonly external: ReadonlyMap<string, string | undefined>;
  /** Declared sts:ExternalId patterns per external account (only accounts that declare some). */
  readonly externalIdPatterns: ReadonlyMap<string, readonly string[]>;
  readonly org: string | undefined;
  readonly severity: Readonly<Record<RuleId, Severity | undefined>>;
}

const prepared = new WeakMap<TrustGuardConfig, Prepared>();

const EMPTY_LIST: readonly never[] = [];

export function prepare(config: TrustGuardConfig): Prepared {
  // Callers in plain JavaScript may pass anything; judge against an empty config rather than throw.
  const cacheable = typeof config === 'object' && config !== null;
  if (!cacheable) config = { trustedAccounts: [], externalAccounts: [], rules: {}, maxSessionDurationSeconds: DEFAULT_SESSION_SECONDS, exemptions: [] };
  let p = prepared.get(config);
  if (p !== undefined) return p;
  const severity = {} as Record<RuleId, Severity | undefined>;
  const rules = config.rules ?? {};
  for (const id of RULE_IDS) severity[id] = severityFor(id, { rules });
  const external = new Map<string, string | undefined>();
  const externalIdPatterns = new Map<string, readonly string[]>();
  for (const e of config.externalAccounts ?? EMPTY_LIST) {
    external.set(e.accountId, e.name);
    if (e.externalIdPatterns !== undefined && e.externalIdPatterns.length > 0) externalIdPatterns.set(e.accountId, e.externalIdPatterns);
  }
  p = {
    trusted: new Set(config.trustedAccounts ?? EMPTY_LIST),
    external,
    externalIdPatterns,
    org: config.organizationId,
    severity,
  };
  if (cacheable) prepared.set(config, p);
  return p;
}

/**
 * The trusted and external accounts of a config, for `principalStanding`: the same sets the
 * analyzer judges with (built once per config object).
 */
export function accountSets(config: TrustGuardConfig): AccountSets {
  return prepare(config);
}

/** Collects findings, applying per-rule enforcement (disabled rules are dropped here). */
export class FindingSink {
  readonly findings: Finding[] = [];
  constructor(private readonly p: Prepared) {}

  /** Adds a finding (`message` says what is wrong and ends with or contains `fix`); returns false when the rule is disabled. */
  add(ruleId: RuleId, subject: string, statementIndex: number | null, principal: string | undefined, message: string, fix: string, informational = false): boolean {
    const severity = this.p.severity[ruleId];
    if (severity === undefined) return false;
    const f: Finding =
      principal === undefined
        ? { ruleId, severity: informational ? 'informational' : severity, key: `${ruleId}[${subject}]`, statementIndex, message, fix }
        : { ruleId, severity: informational ? 'informational' : severity, key: `${ruleId}[${subject}]`, statementIndex, principal, message, fix };
    this.findings.push(f);
    return true;
  }
}
