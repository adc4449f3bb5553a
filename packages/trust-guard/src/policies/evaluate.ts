import type { PolicyConfigSchema, ResourceValidationArgs } from '@pulumi/policy';
import type { AccountRegistry } from '@trustline/registry';
import { LOCKED_RULES, RULE_IDS, trustGuardConfigSchema, type RuleId } from '@trustline/trust';
import { analyzeResource, type ResourceReport } from '../analyze';
import { namedAccountKeys, resolveConfigKept } from '../config';
import { loadRegistryFor } from '../registry';
import { IDENTITY_POLICY_TYPES, resourceSubjects, ROLE_TYPES } from '../subjects';
import { unwrapProxy } from '../unknown';

/** Resource types the rule policies look at. */
export const JUDGED_TYPES: readonly string[] = [...ROLE_TYPES, ...IDENTITY_POLICY_TYPES];

/** The analysis of one resource as the pack sees it, or why it could not be made. */
export type Evaluation = { readonly ok: true; readonly report: ResourceReport } | { readonly ok: false; readonly error: string };

// One analyzer run per resource, shared by the thirteen rule policies: the engine calls every policy
// with the same resource in turn, so the first call analyzes and the others reuse the result. Keyed by
// the registry object (replaced when the file changes) and by the resource and policy config as JSON,
// so a different config never sees a cached result; bounded so a long-running pack does not grow.
const MEMO_LIMIT = 256;
const memo = new WeakMap<object, Map<string, Evaluation>>();
const noRegistry = {};

/**
 * Judges the resource in `args` (all of its trust and identity documents) with the configuration from
 * the registry and `args.getConfig()`, with exemptions applied. Memoised per resource.
 */
export function evaluateResource(args: Pick<ResourceValidationArgs, 'type' | 'urn' | 'name' | 'props' | 'getConfig'>, now?: Date): Evaluation {
  const overrides = unwrapProxy(args.getConfig<Record<string, unknown>>());
  const registry = loadRegistryFor();
  const key = JSON.stringify([args.type, args.urn, args.name, unwrapProxy(args.props), overrides, now?.toISOString() ?? null]);
  const scope = registry instanceof Error ? noRegistry : registry;
  const cache = memo.get(scope) ?? new Map<string, Evaluation>();
  memo.set(scope, cache);
  const hit = cache.get(key);
  if (hit) return hit;

  const result = evaluateUncached(args, registry, overrides, now);
  if (cache.size >= MEMO_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, result);
  return result;
}

function evaluateUncached(
  args: Pick<ResourceValidationArgs, 'type' | 'urn' | 'name' | 'props'>,
  registry: AccountRegistry | Error,
  overrides: unknown,
  now: Date | undefined,
): Evaluation {
  const config = resolveConfigKept(overrides, registry, 'trust-guard policy configuration');
  if (!config.ok) return { ok: false, error: config.error };
  const accountsProblem = registry instanceof Error ? undefined : packAccountKeysProblem(overrides);
  if (accountsProblem) return { ok: false, error: accountsProblem };
  const given = typeof overrides === 'object' && overrides !== null ? (overrides as { rules?: unknown }).rules : undefined;
  const levelProblem = typeof given === 'object' && given !== null ? packRuleLevelProblem(given as Record<string, string | undefined>) : undefined;
  if (levelProblem) return { ok: false, error: levelProblem };
  const resource = { source: 'pulumi', type: args.type, name: args.name, urn: args.urn };
  const subjects = resourceSubjects(resource, args.props);
  return { ok: true, report: analyzeResource(resource, subjects, config.config, now) };
}

/**
 * Each policy's configSchema: the analyzer's configuration schema, without defaults. Pulumi fills schema
 * defaults into the config it hands over, which would override the registry's accounts with empty lists.
 */
export function packConfigSchema(): PolicyConfigSchema {
  const schema = trustGuardConfigSchema as unknown as { properties: Record<string, Record<string, unknown>> };
  const properties: PolicyConfigSchema['properties'] = {};
  for (const [name, prop] of Object.entries(schema.properties)) {
    const { default: _default, ...rest } = prop;
    properties[name] = rest as PolicyConfigSchema['properties'][string];
  }
  return { properties };
}

/**
 * In the pack a policy's level is Pulumi's own per-policy `enforcementLevel`; the config's `rules` can
 * only switch a rule off there. Any other level is refused rather than silently ignored, so the same
 * file never means "mandatory" to the CLI and "advisory" to `pulumi preview` without anyone noticing.
 */
export function packRuleLevelProblem(rules: Readonly<Record<string, string | undefined>>): string | undefined {
  const levelled = Object.entries(rules).filter(([, level]) => level !== undefined && level !== 'disabled');
  if (levelled.length === 0) return undefined;
  const [id, level] = levelled[0];
  return (
    `rules.${id} ${JSON.stringify(level)} sets a level, which only the trust-guard CLI reads; in the policy pack set it with ` +
    `Pulumi's per-policy enforcement level instead (--policy-pack-config file: {"${id}": {"enforcementLevel": ${JSON.stringify(level)}}}). ` +
    `In the pack, rules may only say "disabled".`
  );
}

/**
 * Pulumi hands each policy its own configuration section (the config's ACCOUNT_KEYS), so accounts set in one section would make
 * that policy judge with other accounts than its siblings (one calls an account trusted, the next calls
 * it untrusted, and neither reports it). With a registry, accounts come from accounts.json only; the keys
 * stay available for a pack run outside the repository, where there is no registry.
 */
export function packAccountKeysProblem(overrides: unknown): string | undefined {
  const named = namedAccountKeys(overrides);
  if (named.length === 0) return undefined;
  return (
    `${named.join(', ')} ${named.length === 1 ? 'is' : 'are'} set in the policy configuration, but the pack takes accounts, the organization ` +
    'and vendors from accounts.json, so every policy judges with the same ones: onboard accounts with npm run account:add, list vendors ' +
    'under externalAccounts in accounts.json, and remove these keys from the policy configuration.'
  );
}

// Which rule policies the engine ran on a resource in its current pass. The engine runs a pack's resource
// policies on each resource in list order (@pulumi/policy server.js makeAnalyzeRpcFun; offline-preview's
// runPolicies does the same), skipping those whose enforcementLevel is "disabled". A pass begins when a
// policy runs that does not come after the last one that ran. Bounded like the memo above.
const PASS_LIMIT = 1024;
const passes = new Map<string, { last: number; ran: Set<RuleId>; covered: Set<RuleId> }>();

/**
 * Records that rule policy `ruleId` runs on the resource `urn`, and returns the locked rules
 * ({@link LOCKED_RULES}: always mandatory) whose own policy the engine skipped in this pass because the
 * policy pack configuration says `"disabled"`. The caller reports their findings in their place, once per
 * pass, so `{"trust-any-principal": "disabled"}` cannot switch off the check of an unbounded `*`.
 */
export function skippedLockedRules(urn: string, ruleId: RuleId): RuleId[] {
  const k = RULE_IDS.indexOf(ruleId);
  let pass = passes.get(urn);
  if (pass === undefined || pass.last >= k) {
    pass = { last: k, ran: new Set(), covered: new Set() };
    passes.delete(urn);
    if (passes.size >= PASS_LIMIT) passes.delete(passes.keys().next().value as string);
    passes.set(urn, pass);
  }
  pass.last = k;
  pass.ran.add(ruleId);
  const skipped = LOCKED_RULES.filter((id) => RULE_IDS.indexOf(id) < k && !pass.ran.has(id) && !pass.covered.has(id));
  for (const id of skipped) pass.covered.add(id);
  return skipped;
}
