import { ProblemsError, defineContract, explain, formatPath, quoteList, show } from '@trustline/contract';
import { exemptionFields, isIsoDate, isObj } from '@trustline/trust';
import { DEFAULT_LONG_CHAIN_HOPS } from './path-long-chain';
import { PATH_RULE_IDS, PATH_RULES, type PathExemption, type PathRuleId, type PathsConfig } from './index';
import type { PathEnforcement } from './rule';

const LEVELS: readonly PathEnforcement[] = ['mandatory', 'advisory', 'disabled'];

const PathsConfigSchema = explain(
  {
    type: 'object',
    additionalProperties: false,
    description: 'Settings of trust-guard paths.',
    properties: {
      rules: explain(
        {
          type: 'object',
          additionalProperties: false,
          description: 'Enforcement per path rule id: "mandatory" fails the run, "advisory" warns, "disabled" drops the rule.',
          properties: Object.fromEntries(
            PATH_RULE_IDS.map((id) => [
              id,
              explain({ type: 'string', enum: [...LEVELS], default: PATH_RULES[id].defaultEnforcement, description: PATH_RULES[id].description }, ({ where, value }) => `${where} ${show(value)} must be "mandatory", "advisory" or "disabled".`),
            ]),
          ),
        },
        ({ where, value }) => `${where} ${show(value)} must be an object mapping path rule ids to "mandatory", "advisory" or "disabled".`,
        ({ at, field }) => `${at}.${field} is not a path rule id (a typo would leave the real rule at its default); allowed are ${quoteList(PATH_RULE_IDS)}.`,
      ),
      longChainHops: explain(
        { type: 'integer', minimum: 1, maximum: 64, default: DEFAULT_LONG_CHAIN_HOPS, description: 'A path with more hops than this is reported by path-long-chain.' },
        ({ where, value }) => `${where} ${show(value)} must be a whole number of hops from 1 to 64.`,
      ),
      exemptions: explain(
        {
          type: 'array',
          description: 'Accepted path findings, each by its finding key, with a reason and an optional expiry.',
          items: explain(
            {
              type: 'object',
              additionalProperties: false,
              required: ['ruleId', 'findingKey', 'reason'],
              properties: {
                ruleId: explain({ type: 'string', enum: [...PATH_RULE_IDS], description: 'The path rule whose finding is exempted.' }, ({ where, value }) => `${where} ${show(value)} is not a path rule id; allowed are ${quoteList(PATH_RULE_IDS)}.`),
                findingKey: exemptionFields.findingKey,
                reason: exemptionFields.reason,
                expires: exemptionFields.expires,
              },
            },
            ({ where, value }) => `${where} ${show(value)} must be an object with "ruleId", "findingKey" and "reason" (and optionally "expires").`,
          ),
        },
        ({ where, value }) => `${where} ${show(value)} must be a list of objects with "ruleId", "findingKey" and "reason".`,
      ),
    },
  },
  ({ where, value }) => `${where} ${show(value)} must be an object with "rules", "longChainHops" and "exemptions".`,
);

/** The contract of the trust-guard config's `paths` section (rules, long-chain bound, exemptions of the path rules). */
export const pathsConfigContract = defineContract(PathsConfigSchema, {
  formats: { date: isIsoDate },
  where: (path) => formatPath(['paths', ...path]),
  unknownField: ({ at, field, allowed }) => `${at}.${field} is not a known setting of trust-guard paths; allowed are ${quoteList(allowed)}.`,
});

/**
 * Validates the `paths` section of a trust-guard configuration (undefined: defaults). Throws a
 * {@link ProblemsError} with one sentence per problem, each naming `paths.<field>`.
 */
export function parsePathsConfig(value: unknown, source = 'trust-guard configuration'): PathsConfig {
  if (value === undefined) return { rules: {}, exemptions: [] };
  const problems = pathsConfigContract.problems(value);
  if (isObj(value) && Array.isArray(value.exemptions)) {
    value.exemptions.forEach((x: unknown, i: number) => {
      if (isObj(x) && typeof x.ruleId === 'string' && typeof x.findingKey === 'string' && (PATH_RULE_IDS as readonly string[]).includes(x.ruleId) && !x.findingKey.startsWith(`${x.ruleId}[`)) {
        problems.push(`paths.exemptions[${i}].findingKey ${show(x.findingKey)} belongs to another rule; it must start with "${x.ruleId}[".`);
      }
    });
  }
  if (problems.length > 0) throw new ProblemsError(source, problems, problems.map((p) => `${source}: ${p}`).join('\n'));
  const v = value as { rules?: Partial<Record<PathRuleId, PathEnforcement>>; longChainHops?: number; exemptions?: PathExemption[] };
  return { rules: { ...v.rules }, ...(v.longChainHops !== undefined && { longChainHops: v.longChainHops }), exemptions: [...(v.exemptions ?? [])] };
}
