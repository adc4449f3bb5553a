import { ACCOUNT_ID, ORGANIZATION_ID } from './account-id';
import { DEFAULT_ENFORCEMENT, RULE_IDS, RULE_LIST, RULES, UNEXEMPTABLE_KEYS } from './rules';
import { MAX_SESSION_SECONDS, MIN_SESSION_SECONDS } from './session';
import type { EnforcementLevel, Exemption, ExternalAccountConfig, RuleId, TrustGuardConfig } from './types';
import { isObj } from './values';

/** Thrown by {@link parseConfig}: one sentence per problem, each prefixed with the source. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(problems.map((p) => `${source}: ${p}`).join('\n'));
    this.name = 'ConfigError';
  }
}

/** Top-level keys the config accepts (the schema's properties are checked against this list in tests). */
export const CONFIG_KEYS = ['$schema', 'trustedAccounts', 'organizationId', 'externalAccounts', 'rules', 'maxSessionDurationSeconds', 'exemptions'] as const;
export const EXTERNAL_ACCOUNT_KEYS = ['accountId', 'name', 'externalIdPatterns'] as const;
export const EXEMPTION_KEYS = ['ruleId', 'findingKey', 'resource', 'reason', 'expires'] as const;
export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ['mandatory', 'advisory', 'disabled'];
export const DEFAULT_MAX_SESSION_SECONDS = 3600;
export const MIN_REASON_LENGTH = 10;

/**
 * Rules whose level no configuration may lower: those with findings no exemption can silence
 * (`trust-not-principal`, and `trust-any-principal` for the unbounded `*`). Lowering the rule would let the
 * finding through where exempting it is refused; they are always "mandatory".
 */
export const LOCKED_RULES: readonly RuleId[] = RULE_LIST.filter((r) => r.lockedReason !== undefined).map((r) => r.id);

/** Why a locked rule cannot be lowered, in the words of its unexemptable finding (each rule's `lockedReason`). */
export function lockedRuleReason(id: RuleId): string {
  return RULES[id].lockedReason ?? `${id} is not locked`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/**
 * A vendor ExternalId pattern: a fixed tenant part, a separator the vendor puts after it, then a wildcard
 * (`acme@*`). Without the separator, `acme*` would also match the vendor's tenant `acme-evil`.
 */
export const EXTERNAL_ID_PATTERN = /^[^*?]+[@:/#][^*?]*[*?]/;

type Obj = Record<string, unknown>;
const show = (v: unknown): string => (v === undefined ? 'missing' : (JSON.stringify(v) ?? String(v)));
const list = (xs: readonly string[]): string => xs.map((x) => `"${x}"`).join(', ');

function unknownKeys(obj: Obj, allowed: readonly string[], where: string, problems: string[]): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) {
      problems.push(`${where}${where === '' ? '' : '.'}${k} is not a known setting (a typo would silently change what is checked); allowed are ${list(allowed)}.`);
    }
  }
}

function accountId(v: unknown, where: string, problems: string[]): v is string {
  if (typeof v === 'string' && ACCOUNT_ID.test(v)) return true;
  if (typeof v === 'number') problems.push(`${where} ${v} is a number; write the account id as a 12-digit string so leading zeros survive (e.g. "012345678901").`);
  else problems.push(`${where} ${show(v)} is not a 12-digit AWS account id (keep it a string: "012345678901").`);
  return false;
}

/** True for a real calendar day written YYYY-MM-DD. */
export function isIsoDate(v: string): boolean {
  const m = ISO_DATE.exec(v);
  if (m === null) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/**
 * Validates `externalIdPatterns` of one external account, pushing one sentence per problem; undefined when
 * absent or invalid. The registry's `externalAccounts[].externalIdPatterns` is checked by this same function.
 */
export function parseExternalIdPatterns(v: unknown, where: string, problems: string[]): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length === 0) {
    problems.push(`${where} ${show(v)} must be a non-empty list of ExternalId patterns the vendor documents, e.g. ["acme@*"].`);
    return undefined;
  }
  const out: string[] = [];
  v.forEach((p: unknown, i) => {
    if (typeof p !== 'string' || !EXTERNAL_ID_PATTERN.test(p)) {
      problems.push(
        `${where}[${i}] ${show(p)} must be a StringLike pattern with a fixed tenant part, a separator (@ : / #) and then a wildcard, e.g. "acme@*" (a pattern without that separator, such as "acme*", also matches the vendor's other tenants like "acme-evil").`,
      );
    } else if (out.includes(p)) {
      problems.push(`${where}[${i}] "${p}" is listed twice; list each pattern once.`);
    } else out.push(p);
  });
  return out.length === v.length ? out : undefined;
}

function exemption(v: unknown, where: string, problems: string[]): Exemption | undefined {
  if (!isObj(v)) {
    problems.push(`${where} ${show(v)} must be an object with "ruleId", "reason" and a "findingKey" or "resource".`);
    return undefined;
  }
  const before = problems.length;
  unknownKeys(v, EXEMPTION_KEYS, where, problems);
  const { ruleId, findingKey, resource, reason, expires } = v;
  let rule: RuleId | undefined;
  if (typeof ruleId === 'string' && (RULE_IDS as readonly string[]).includes(ruleId)) {
    rule = ruleId as RuleId;
    if (!RULES[rule].exemptable) {
      problems.push(`${where}.ruleId "${rule}" can never be exempted: ${rule === 'trust-not-principal' ? 'NotPrincipal with Allow admits everyone except the listed principals' : 'this rule guards the whole account'}; fix the policy instead.`);
    }
  } else {
    problems.push(`${where}.ruleId ${show(ruleId)} is not a rule id; allowed are ${list(RULE_IDS)}.`);
  }
  if (findingKey !== undefined) {
    if (typeof findingKey !== 'string' || !/^[a-z-]+\[.+\]$/.test(findingKey)) {
      problems.push(`${where}.findingKey ${show(findingKey)} must be a finding key such as "trust-account-root[Principal::AWS::arn:aws:iam::111111111111:root]".`);
    } else if (rule !== undefined && !findingKey.startsWith(rule + '[')) {
      problems.push(`${where}.findingKey ${show(findingKey)} belongs to another rule; it must start with "${rule}[".`);
    } else if (UNEXEMPTABLE_KEYS.has(findingKey)) {
      problems.push(`${where}.findingKey ${show(findingKey)} can never be exempted: an unbounded "*" principal lets anyone assume the role; name the principals or bound it with aws:PrincipalOrgID.`);
    }
  }
  if (resource !== undefined && (typeof resource !== 'string' || resource.trim() === '')) {
    problems.push(`${where}.resource ${show(resource)} must be a resource URN or logical name (a non-empty string).`);
  }
  if (findingKey === undefined && resource === undefined) {
    problems.push(`${where} has neither "findingKey" nor "resource"; name the finding key, the resource (URN or logical name), or both.`);
  }
  if (typeof reason !== 'string' || reason.trim().length < MIN_REASON_LENGTH) {
    problems.push(`${where}.reason ${show(reason)} must be at least ${MIN_REASON_LENGTH} characters saying why the finding is acceptable.`);
  }
  if (expires !== undefined && (typeof expires !== 'string' || !isIsoDate(expires))) {
    problems.push(`${where}.expires ${show(expires)} must be a calendar date written YYYY-MM-DD (the exemption stops applying after that day).`);
  }
  if (problems.length > before || rule === undefined) return undefined;
  return {
    ruleId: rule,
    ...(findingKey !== undefined && { findingKey: findingKey as string }),
    ...(resource !== undefined && { resource: resource as string }),
    reason: reason as string,
    ...(expires !== undefined && { expires: expires as string }),
  };
}

/**
 * Validates a trust-guard config (an object, or JSON text) and fills defaults: rules not named keep
 * {@link DEFAULT_ENFORCEMENT}, maxSessionDurationSeconds 3600, empty lists. Unknown keys are errors,
 * because a typo must not silently disable a rule. Throws one {@link ConfigError} listing every problem.
 */
export function parseConfig(input: unknown, source = 'trust-guard.json'): TrustGuardConfig {
  let value = input;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (e) {
      throw new ConfigError(source, [`the config is not valid JSON (${(e as Error).message}).`]);
    }
  }
  if (!isObj(value)) {
    throw new ConfigError(source, [`the config ${show(value)} must be a JSON object with "trustedAccounts", "organizationId", "externalAccounts", "rules", "maxSessionDurationSeconds" and "exemptions".`]);
  }
  const problems: string[] = [];
  unknownKeys(value, CONFIG_KEYS, '', problems);

  if (value.$schema !== undefined && typeof value.$schema !== 'string') problems.push(`$schema ${show(value.$schema)} must be a string (a path or URL of the schema).`);

  const trustedAccounts: string[] = [];
  // A set for the duplicate check: the components parse the whole organization's list once per role, so
  // a list scan here made the access program cubic in the number of accounts.
  const seenTrusted = new Set<string>();
  const rawTrusted = value.trustedAccounts ?? [];
  if (!Array.isArray(rawTrusted)) {
    problems.push(`trustedAccounts ${show(rawTrusted)} must be a list of 12-digit account ids as strings, e.g. ["111111111111"].`);
  } else {
    rawTrusted.forEach((a: unknown, i) => {
      if (!accountId(a, `trustedAccounts[${i}]`, problems)) return;
      if (seenTrusted.has(a)) problems.push(`trustedAccounts[${i}] "${a}" is listed twice; list each account once.`);
      else {
        seenTrusted.add(a);
        trustedAccounts.push(a);
      }
    });
  }

  const org = value.organizationId;
  if (org !== undefined && (typeof org !== 'string' || !ORGANIZATION_ID.test(org))) {
    problems.push(`organizationId ${show(org)} is not an AWS Organizations id ("o-" then 10 to 32 lower-case letters or digits).`);
  }

  const externalAccounts: ExternalAccountConfig[] = [];
  const rawExternal = value.externalAccounts ?? [];
  if (!Array.isArray(rawExternal)) {
    problems.push(`externalAccounts ${show(rawExternal)} must be a list of objects such as {"accountId": "999999999999", "name": "vendor"}.`);
  } else {
    rawExternal.forEach((e: unknown, i) => {
      const where = `externalAccounts[${i}]`;
      if (!isObj(e)) {
        problems.push(`${where} ${show(e)} must be an object such as {"accountId": "999999999999", "name": "vendor"}.`);
        return;
      }
      unknownKeys(e, EXTERNAL_ACCOUNT_KEYS, where, problems);
      if (e.name !== undefined && (typeof e.name !== 'string' || e.name.trim() === '')) problems.push(`${where}.name ${show(e.name)} must be a non-empty string.`);
      const patterns = parseExternalIdPatterns(e.externalIdPatterns, `${where}.externalIdPatterns`, problems);
      if (!accountId(e.accountId, `${where}.accountId`, problems)) return;
      if (seenTrusted.has(e.accountId)) {
        problems.push(`${where}.accountId "${e.accountId}" is also in trustedAccounts; an account is either ours or external, not both.`);
      } else if (externalAccounts.some((x) => x.accountId === e.accountId)) {
        problems.push(`${where}.accountId "${e.accountId}" is listed twice; list each external account once.`);
      } else {
        externalAccounts.push({
          accountId: e.accountId,
          ...(typeof e.name === 'string' && { name: e.name }),
          ...(patterns !== undefined && { externalIdPatterns: patterns }),
        });
      }
    });
  }

  const rules: Partial<Record<RuleId, EnforcementLevel>> = {};
  const rawRules = value.rules ?? {};
  if (!isObj(rawRules)) {
    problems.push(`rules ${show(rawRules)} must be an object mapping rule ids to "mandatory", "advisory" or "disabled".`);
  } else {
    for (const [id, level] of Object.entries(rawRules)) {
      if (!(RULE_IDS as readonly string[]).includes(id)) {
        problems.push(`rules.${id} is not a rule id (a typo would leave the real rule at its default); allowed are ${list(RULE_IDS)}.`);
      } else if (typeof level !== 'string' || !(ENFORCEMENT_LEVELS as readonly string[]).includes(level)) {
        problems.push(`rules.${id} ${show(level)} must be "mandatory", "advisory" or "disabled".`);
      } else if (level !== 'mandatory' && LOCKED_RULES.includes(id as RuleId)) {
        problems.push(
          `rules.${id} ${show(level)} would lower a rule that is always "mandatory": ${lockedRuleReason(id as RuleId)}, and no setting or exemption may let that through; remove rules.${id} and fix the policy instead.`,
        );
      } else {
        rules[id as RuleId] = level as EnforcementLevel;
      }
    }
  }

  const max = value.maxSessionDurationSeconds ?? DEFAULT_MAX_SESSION_SECONDS;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < MIN_SESSION_SECONDS || max > MAX_SESSION_SECONDS) {
    problems.push(`maxSessionDurationSeconds ${show(max)} must be a whole number of seconds from ${MIN_SESSION_SECONDS} to ${MAX_SESSION_SECONDS}.`);
  }

  const exemptions: Exemption[] = [];
  const rawExemptions = value.exemptions ?? [];
  if (!Array.isArray(rawExemptions)) {
    problems.push(`exemptions ${show(rawExemptions)} must be a list of objects with "ruleId", "reason" and a "findingKey" or "resource".`);
  } else {
    rawExemptions.forEach((e: unknown, i) => {
      const x = exemption(e, `exemptions[${i}]`, problems);
      if (x !== undefined) exemptions.push(x);
    });
  }

  if (problems.length > 0) throw new ConfigError(source, problems);
  return {
    trustedAccounts,
    ...(typeof org === 'string' && { organizationId: org }),
    externalAccounts,
    rules: { ...DEFAULT_ENFORCEMENT, ...rules },
    maxSessionDurationSeconds: max as number,
    exemptions,
  };
}

const ruleProperties = Object.fromEntries(
  RULE_IDS.map((id) => [
    id,
    {
      type: 'string',
      enum: LOCKED_RULES.includes(id) ? ['mandatory'] : [...ENFORCEMENT_LEVELS],
      default: DEFAULT_ENFORCEMENT[id],
      description: LOCKED_RULES.includes(id) ? `${RULES[id].description} Always "mandatory": it cannot be lowered or disabled.` : RULES[id].description,
    },
  ]),
);

/**
 * JSON Schema (draft-07) of the trust-guard config, for the policy pack's `configSchema` and editors.
 * It describes exactly what {@link parseConfig} accepts; parseConfig adds checks a schema cannot
 * express (duplicates, an account both trusted and external, exemptions of non-exemptable findings).
 */
export const trustGuardConfigSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'trust-guard configuration',
  description: 'Which accounts and organization are trusted, how each rule is enforced, and which findings are exempted.',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string', description: 'Path or URL of this schema, for editors. Ignored by trust-guard.' },
    trustedAccounts: {
      type: 'array',
      description: "12-digit ids (as strings) of the organization's own accounts. Principals in other accounts are reported.",
      items: { type: 'string', pattern: ACCOUNT_ID.source, description: 'A 12-digit AWS account id, as a string.' },
      uniqueItems: true,
      default: [],
    },
    organizationId: {
      type: 'string',
      pattern: ORGANIZATION_ID.source,
      description: 'The AWS Organizations id; aws:PrincipalOrgID conditions with this value bound a wildcard principal.',
    },
    externalAccounts: {
      type: 'array',
      description: 'Third-party (vendor) accounts, allowed only with an exact sts:ExternalId condition.',
      default: [],
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['accountId'],
        properties: {
          accountId: { type: 'string', pattern: ACCOUNT_ID.source, description: "The vendor's 12-digit AWS account id, as a string." },
          name: { type: 'string', minLength: 1, description: 'Who the account belongs to, shown in findings.' },
          externalIdPatterns: {
            type: 'array',
            minItems: 1,
            uniqueItems: true,
            description:
              'sts:ExternalId patterns this vendor documents and fills in itself, with a fixed tenant part and a separator before the wildcard (Spacelift: "<account-name>@*"). A StringLike sts:ExternalId condition within one of them bounds this vendor.',
            items: { type: 'string', pattern: EXTERNAL_ID_PATTERN.source, description: 'A fixed tenant part, a separator (@ : / #), then a wildcard, e.g. "acme@*".' },
          },
        },
      },
    },
    rules: {
      type: 'object',
      description: 'Enforcement per rule id: "mandatory" fails the preview, "advisory" warns, "disabled" drops the rule. Rules not named keep their default.',
      additionalProperties: false,
      properties: ruleProperties,
      default: {},
    },
    maxSessionDurationSeconds: {
      type: 'integer',
      minimum: MIN_SESSION_SECONDS,
      maximum: MAX_SESSION_SECONDS,
      default: DEFAULT_MAX_SESSION_SECONDS,
      description: 'Roles whose MaxSessionDuration exceeds this many seconds are reported (advisory).',
    },
    exemptions: {
      type: 'array',
      description: 'Accepted findings. Findings of "*" principals and NotPrincipal can never be exempted.',
      default: [],
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['ruleId', 'reason'],
        anyOf: [{ required: ['findingKey'] }, { required: ['resource'] }],
        properties: {
          ruleId: { type: 'string', enum: RULE_IDS.filter((id) => RULES[id].exemptable), description: 'The rule whose finding is exempted.' },
          findingKey: { type: 'string', pattern: '^[a-z-]+\\[.+\\]$', description: 'Exactly one finding key, e.g. "trust-account-root[Principal::AWS::arn:aws:iam::111111111111:root]".' },
          resource: { type: 'string', minLength: 1, description: 'The resource the exemption applies to: its Pulumi URN or its logical name.' },
          reason: { type: 'string', minLength: MIN_REASON_LENGTH, description: 'Why the finding is acceptable (at least 10 characters).' },
          expires: { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Last day (YYYY-MM-DD, UTC) the exemption applies.' },
        },
      },
    },
  },
} as const;
