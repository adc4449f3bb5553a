import { ProblemsError, defineContract, explain, quoteList, repeatedIndexes, show } from '@trustline/contract';
import { ACCOUNT_ID, ORGANIZATION_ID, accountIdProblem } from './account-id';
import { DEFAULT_ENFORCEMENT, RULE_IDS, RULE_LIST, RULES, UNEXEMPTABLE_KEYS } from './rules';
import { DEFAULT_SESSION_SECONDS, MAX_SESSION_SECONDS, MIN_SESSION_SECONDS } from './session';
import type { EnforcementLevel, Exemption, ExternalAccountConfig, RuleId, TrustGuardConfig } from './types';
import { isObj } from './values';

/** Thrown by {@link parseConfig}: one sentence per problem, each prefixed with the source. */
export class ConfigError extends ProblemsError {
  constructor(source: string, problems: readonly string[]) {
    super(source, problems, problems.map((p) => `${source}: ${p}`).join('\n'));
    this.name = 'ConfigError';
  }
}

export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ['mandatory', 'advisory', 'disabled'];
/** The threshold of `trust-max-session-duration` when the config names none: IAM's own default. */
export const DEFAULT_MAX_SESSION_SECONDS = DEFAULT_SESSION_SECONDS;
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
const EXTERNAL_ID_PATTERN = /^[^*?]+[@:/#][^*?]*[*?]/;
/** A finding key: a rule id, then what the finding is about in brackets. */
const FINDING_KEY = /^[a-z-]+\[.+\]$/;
/** A string with something other than white space in it. */
const NOT_BLANK = '\\S';

/** True for a real calendar day written YYYY-MM-DD: the `date` format of every contract with {@link exemptionFields}. */
export function isIsoDate(v: string): boolean {
  const m = ISO_DATE.exec(v);
  if (m === null) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/** A 12-digit account id field, reported in the words every contract uses ({@link accountIdProblem}). */
export const accountIdField = (description: string) =>
  explain({ type: 'string', pattern: ACCOUNT_ID.source, description }, ({ where, value }) => accountIdProblem(where, value));

/**
 * A vendor's `externalIdPatterns`: the one definition both the trust config and the registry's
 * `externalAccounts[]` use, so both files accept and refuse the same patterns in the same words.
 */
export const externalIdPatternsField = (description: string) =>
  explain(
    {
      type: 'array',
      items: explain(
        { type: 'string', pattern: EXTERNAL_ID_PATTERN.source, description: 'A fixed tenant part, a separator (@ : / #), then a wildcard, e.g. "acme@*".' },
        ({ where, value }) =>
          `${where} ${show(value)} must be a StringLike pattern with a fixed tenant part, a separator (@ : / #) and then a wildcard, e.g. "acme@*" (a pattern without that separator, such as "acme*", also matches the vendor's other tenants like "acme-evil").`,
      ),
      minItems: 1,
      uniqueItems: true,
      description,
    },
    ({ where, value, keyword }) =>
      keyword === 'uniqueItems' && Array.isArray(value)
        ? repeatedIndexes(value).map((i) => `${where}[${i}] ${show(value[i])} is listed twice; list each pattern once.`)
        : `${where} ${show(value)} must be a non-empty list of ExternalId patterns the vendor documents, e.g. ["acme@*"].`,
  );

const ruleLevel = (id: RuleId) =>
  explain(
    {
      type: 'string',
      enum: LOCKED_RULES.includes(id) ? ['mandatory'] : [...ENFORCEMENT_LEVELS],
      default: DEFAULT_ENFORCEMENT[id],
      description: LOCKED_RULES.includes(id) ? `${RULES[id].description} Always "mandatory": it cannot be lowered or disabled.` : RULES[id].description,
    },
    ({ where, value }) =>
      typeof value === 'string' && (ENFORCEMENT_LEVELS as readonly string[]).includes(value)
        ? `${where} ${show(value)} would lower a rule that is always "mandatory": ${lockedRuleReason(id)}, and no setting or exemption may let that through; remove ${where} and fix the policy instead.`
        : `${where} ${show(value)} must be "mandatory", "advisory" or "disabled".`,
  );

/**
 * The fields of an exemption other than its rule id (finding key, resource, reason of at least
 * {@link MIN_REASON_LENGTH} characters, expiry date), with their sentences: the one definition every rule
 * set's exemptions use (this config's, and the access-path rules' `paths.exemptions`).
 */
export const exemptionFields = {
  findingKey: explain(
    {
      type: 'string',
      pattern: FINDING_KEY.source,
      description: 'Exactly one finding key, e.g. "trust-account-root[Principal::AWS::arn:aws:iam::111111111111:root]".',
    },
    ({ where, value }) => `${where} ${show(value)} must be a finding key such as "trust-account-root[Principal::AWS::arn:aws:iam::111111111111:root]".`,
  ),
  resource: explain(
    { type: 'string', pattern: NOT_BLANK, description: 'The resource the exemption applies to: its Pulumi URN or its logical name.' },
    ({ where, value }) => `${where} ${show(value)} must be a resource URN or logical name (a non-empty string).`,
  ),
  reason: explain(
    // At least MIN_REASON_LENGTH characters once the white space around them is trimmed.
    {
      type: 'string',
      minLength: MIN_REASON_LENGTH,
      pattern: `^\\s*\\S[\\s\\S]{${MIN_REASON_LENGTH - 2},}\\S\\s*$`,
      description: `Why the finding is acceptable (at least ${MIN_REASON_LENGTH} characters).`,
    },
    ({ where, value }) => `${where} ${show(value)} must be at least ${MIN_REASON_LENGTH} characters saying why the finding is acceptable.`,
  ),
  expires: explain(
    { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Last day (YYYY-MM-DD, UTC) the exemption applies.' },
    ({ where, value }) => `${where} ${show(value)} must be a calendar date written YYYY-MM-DD (the exemption stops applying after that day).`,
  ),
};

const EXEMPTABLE_RULE_IDS = RULE_IDS.filter((id) => RULES[id].exemptable);

const exemptionSchema = explain(
  {
    type: 'object',
    additionalProperties: false,
    anyOf: [{ required: ['findingKey'] }, { required: ['resource'] }],
    required: ['ruleId', 'reason'],
    properties: {
      ruleId: explain({ type: 'string', enum: EXEMPTABLE_RULE_IDS, description: 'The rule whose finding is exempted.' }, ({ where, value }) =>
        typeof value === 'string' && (RULE_IDS as readonly string[]).includes(value)
          ? `${where} "${value}" can never be exempted: ${value === 'trust-not-principal' ? 'NotPrincipal with Allow admits everyone except the listed principals' : 'this rule guards the whole account'}; fix the policy instead.`
          : `${where} ${show(value)} is not a rule id; allowed are ${quoteList(RULE_IDS)}.`,
      ),
      ...exemptionFields,
    },
  },
  ({ where, value, keyword }) =>
    keyword === 'anyOf'
      ? `${where} has neither "findingKey" nor "resource"; name the finding key, the resource (URN or logical name), or both.`
      : `${where} ${show(value)} must be an object with "ruleId", "reason" and a "findingKey" or "resource".`,
);

/**
 * The trust-guard config contract, written once: the JSON Schema the pack publishes as its `configSchema`
 * and editors read, and the validator {@link parseConfig} runs, with these sentences. What a schema cannot
 * say (an account both trusted and external, a finding key of another rule) is checked after it.
 */
const ConfigSchema = explain(
  {
    type: 'object',
    additionalProperties: false,
    title: 'trust-guard configuration',
    description: 'Which accounts and organization are trusted, how each rule is enforced, and which findings are exempted.',
    properties: {
      $schema: explain(
        { type: 'string', description: 'Path or URL of this schema, for editors. Ignored by trust-guard.' },
        ({ where, value }) => `${where} ${show(value)} must be a string (a path or URL of the schema).`,
      ),
      trustedAccounts: explain(
        {
          type: 'array',
          items: accountIdField('A 12-digit AWS account id, as a string.'),
          uniqueItems: true,
          default: [],
          description: "12-digit ids (as strings) of the organization's own accounts. Principals in other accounts are reported.",
        },
        ({ where, value, keyword }) =>
          keyword === 'uniqueItems' && Array.isArray(value)
            ? // A repeat of a value that is no account id is already reported as that: one sentence per item.
              repeatedIndexes(value)
                .filter((i) => typeof value[i] === 'string' && ACCOUNT_ID.test(value[i] as string))
                .map((i) => `${where}[${i}] ${show(value[i])} is listed twice; list each account once.`)
            : `${where} ${show(value)} must be a list of 12-digit account ids as strings, e.g. ["111111111111"].`,
      ),
      organizationId: explain(
        {
          type: 'string',
          pattern: ORGANIZATION_ID.source,
          description: 'The AWS Organizations id; aws:PrincipalOrgID conditions with this value bound a wildcard principal.',
        },
        ({ where, value }) => `${where} ${show(value)} is not an AWS Organizations id ("o-" then 10 to 32 lower-case letters or digits).`,
      ),
      externalAccounts: explain(
        {
          type: 'array',
          items: explain(
            {
              type: 'object',
              additionalProperties: false,
              required: ['accountId'],
              properties: {
                accountId: accountIdField("The vendor's 12-digit AWS account id, as a string."),
                name: explain(
                  { type: 'string', pattern: NOT_BLANK, description: 'Who the account belongs to, shown in findings.' },
                  ({ where, value }) => `${where} ${show(value)} must be a non-empty string.`,
                ),
                externalIdPatterns: externalIdPatternsField(
                  'sts:ExternalId patterns this vendor documents and fills in itself, with a fixed tenant part and a separator before the wildcard (Spacelift: "<account-name>@*"). A StringLike sts:ExternalId condition within one of them bounds this vendor.',
                ),
              },
            },
            ({ where, value }) => `${where} ${show(value)} must be an object such as {"accountId": "999999999999", "name": "vendor"}.`,
          ),
          default: [],
          description: 'Third-party (vendor) accounts, allowed only with an exact sts:ExternalId condition.',
        },
        ({ where, value }) => `${where} ${show(value)} must be a list of objects such as {"accountId": "999999999999", "name": "vendor"}.`,
      ),
      rules: explain(
        {
          type: 'object',
          additionalProperties: false,
          default: {},
          description:
            'Enforcement per rule id: "mandatory" fails the preview, "advisory" warns, "disabled" drops the rule. Rules not named keep their default.',
          properties: Object.fromEntries(RULE_IDS.map((id) => [id, ruleLevel(id)])),
        },
        ({ where, value }) => `${where} ${show(value)} must be an object mapping rule ids to "mandatory", "advisory" or "disabled".`,
        ({ at, field }) => `${at}.${field} is not a rule id (a typo would leave the real rule at its default); allowed are ${quoteList(RULE_IDS)}.`,
      ),
      maxSessionDurationSeconds: explain(
        {
          type: 'integer',
          minimum: MIN_SESSION_SECONDS,
          maximum: MAX_SESSION_SECONDS,
          default: DEFAULT_MAX_SESSION_SECONDS,
          description: 'Roles whose MaxSessionDuration exceeds this many seconds are reported (advisory).',
        },
        ({ where, value }) => `${where} ${show(value)} must be a whole number of seconds from ${MIN_SESSION_SECONDS} to ${MAX_SESSION_SECONDS}.`,
      ),
      exemptions: explain(
        {
          type: 'array',
          items: exemptionSchema,
          default: [],
          description: 'Accepted findings. Findings of "*" principals and NotPrincipal can never be exempted.',
        },
        ({ where, value }) => `${where} ${show(value)} must be a list of objects with "ruleId", "reason" and a "findingKey" or "resource".`,
      ),
      paths: explain(
        {
          type: 'object',
          description:
            'Settings of `trust-guard paths` (the access-path rules): "rules" (enforcement per path rule id) and "exemptions" (accepted path findings, each with a reason and an optional expiry). Validated by @trustline/paths when trust-guard paths runs; trust-guard check ignores it.',
        },
        ({ where, value }) => `${where} ${show(value)} must be an object with "rules" and "exemptions" of the access-path rules.`,
      ),
    },
  },
  ({ value }) =>
    `the config ${show(value)} must be a JSON object with "trustedAccounts", "organizationId", "externalAccounts", "rules", "maxSessionDurationSeconds", "exemptions" and "paths".`,
);

export const trustGuardConfigContract = defineContract(ConfigSchema, {
  formats: { date: isIsoDate },
  unknownField: ({ at, field, allowed }) =>
    `${at === '' ? '' : `${at}.`}${field} is not a known setting (a typo would silently change what is checked); allowed are ${quoteList(allowed)}.`,
});

/** What a trust-guard config file holds, as written (before defaults are filled in): what the schema above accepts. */
interface TrustGuardConfigInput {
  readonly $schema?: string;
  readonly trustedAccounts?: readonly string[];
  readonly organizationId?: string;
  readonly externalAccounts?: readonly { readonly accountId: string; readonly name?: string; readonly externalIdPatterns?: readonly string[] }[];
  readonly rules?: Partial<Record<RuleId, EnforcementLevel>>;
  readonly maxSessionDurationSeconds?: number;
  readonly exemptions?: readonly { readonly ruleId: RuleId; readonly findingKey?: string; readonly resource?: string; readonly reason: string; readonly expires?: string }[];
  readonly paths?: Readonly<Record<string, unknown>>;
}

/**
 * JSON Schema (draft-07) of the trust-guard config, for the policy pack's `configSchema` and editors,
 * published from the same definition {@link parseConfig} validates with.
 */
export const trustGuardConfigSchema = trustGuardConfigContract.jsonSchema() as unknown as typeof ConfigSchema & { readonly $schema: string };

const strings = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * What the schema cannot say: an account both trusted and external, a repeated vendor, a key of another
 * rule. Read from the raw value, so these are reported together with the schema's problems.
 */
function crossFieldProblems(value: Record<string, unknown>): string[] {
  const problems: string[] = [];
  // Few vendors against many accounts: a scan per vendor, not a set of every account per call.
  const trusted = strings(value.trustedAccounts);
  const external = new Set<unknown>();
  strings(value.externalAccounts).forEach((e, i) => {
    if (!isObj(e) || typeof e.accountId !== 'string' || !ACCOUNT_ID.test(e.accountId)) return;
    const at = `externalAccounts[${i}].accountId`;
    if (trusted.includes(e.accountId)) problems.push(`${at} "${e.accountId}" is also in trustedAccounts; an account is either ours or external, not both.`);
    else if (external.has(e.accountId)) problems.push(`${at} "${e.accountId}" is listed twice; list each external account once.`);
    external.add(e.accountId);
  });
  strings(value.exemptions).forEach((x, i) => {
    if (
      !isObj(x) ||
      typeof x.findingKey !== 'string' ||
      !FINDING_KEY.test(x.findingKey) ||
      typeof x.ruleId !== 'string' ||
      !EXEMPTABLE_RULE_IDS.includes(x.ruleId as RuleId)
    )
      return;
    const at = `exemptions[${i}].findingKey`;
    if (!x.findingKey.startsWith(x.ruleId + '[')) problems.push(`${at} ${show(x.findingKey)} belongs to another rule; it must start with "${x.ruleId}[".`);
    else if (UNEXEMPTABLE_KEYS.has(x.findingKey)) {
      problems.push(
        `${at} ${show(x.findingKey)} can never be exempted: an unbounded "*" principal lets anyone assume the role; name the principals or bound it with aws:PrincipalOrgID.`,
      );
    }
  });
  return problems;
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
  const problems = [...trustGuardConfigContract.problems(value), ...(isObj(value) ? crossFieldProblems(value) : [])];
  if (problems.length > 0) throw new ConfigError(source, problems);
  const config = value as TrustGuardConfigInput;
  return {
    trustedAccounts: [...(config.trustedAccounts ?? [])],
    ...(config.organizationId !== undefined && { organizationId: config.organizationId }),
    externalAccounts: (config.externalAccounts ?? []).map((e): ExternalAccountConfig => ({
      accountId: e.accountId,
      ...(e.name !== undefined && { name: e.name }),
      ...(e.externalIdPatterns !== undefined && { externalIdPatterns: [...e.externalIdPatterns] }),
    })),
    rules: { ...DEFAULT_ENFORCEMENT, ...(config.rules as Partial<Record<RuleId, EnforcementLevel>>) },
    maxSessionDurationSeconds: config.maxSessionDurationSeconds ?? DEFAULT_MAX_SESSION_SECONDS,
    exemptions: (config.exemptions ?? []).map((x): Exemption => ({
      ruleId: x.ruleId,
      ...(x.findingKey !== undefined && { findingKey: x.findingKey }),
      ...(x.resource !== undefined && { resource: x.resource }),
      reason: x.reason,
      ...(x.expires !== undefined && { expires: x.expires }),
    })),
    ...(config.paths !== undefined && { paths: config.paths }),
  };
}
