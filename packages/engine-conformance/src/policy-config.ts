import * as fs from 'node:fs';
import Ajv from 'ajv';
import { isObj } from '@trustline/trust';

/**
 * `--policy-pack-config` handling as the CLI does it, from pkg/resource/analyzer/config.go (v3.248.0):
 * parsePolicyPackConfig (file -> per-policy level and properties), ReconcilePolicyPackConfig (defaults from
 * GetAnalyzerInfo, then the pack's initial config, then the file; `all` sets every policy's level) and
 * validatePolicyPackConfig (each policy's resulting properties against its config schema, every policy,
 * configured or not). pkg/engine/update.go loadPolicyPlugins calls them in that order, then Configure.
 */

export type EnforcementLevel = 'advisory' | 'mandatory' | 'remediate' | 'disabled';
const LEVELS: readonly string[] = ['advisory', 'mandatory', 'remediate', 'disabled'];

export interface PolicyConfig {
  readonly enforcementLevel: EnforcementLevel | '';
  readonly properties?: Record<string, unknown>;
}

/** What the reconciliation needs to know about a policy (AnalyzerPolicyInfo). */
export interface PolicyInfo {
  readonly name: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly configSchema?: { readonly properties: Record<string, Record<string, unknown>>; readonly required: readonly string[] };
}


/** config.go extractEnforcementLevel: takes `enforcementLevel` out of the map and checks it. */
function extractEnforcementLevel(props: Record<string, unknown>): EnforcementLevel | '' {
  if (!('enforcementLevel' in props)) return '';
  const level = props.enforcementLevel;
  if (typeof level !== 'string') throw new Error(`${JSON.stringify(level)} is not a valid enforcement level; must be a string`);
  if (!LEVELS.includes(level)) throw new Error(`"${level}" is not a valid enforcement level`);
  delete props.enforcementLevel;
  return level as EnforcementLevel;
}

/** config.go parsePolicyPackConfig: the `--policy-pack-config` file's JSON text. */
export function parsePolicyPackConfig(text: string): Record<string, PolicyConfig> {
  const result: Record<string, PolicyConfig> = {};
  if (text.trim() === '') return result;
  const config = JSON.parse(text) as unknown;
  if (!isObj(config)) throw new Error(`policy pack config must be a JSON object, not ${JSON.stringify(config)}`);
  // "environments" names ESC environments; the CLI resolves them separately. None are used here.
  const { environments: _environments, ...rest } = config;
  for (const [k, v] of Object.entries(rest)) {
    let enforcementLevel: EnforcementLevel | '' = '';
    let properties: Record<string, unknown> | undefined;
    if (typeof v === 'string') {
      if (!LEVELS.includes(v)) throw new Error(`parsing enforcement level for "${k}": "${v}" is not a valid enforcement level`);
      enforcementLevel = v as EnforcementLevel;
    } else if (isObj(v)) {
      const props = { ...v };
      try {
        enforcementLevel = extractEnforcementLevel(props);
      } catch (e) {
        throw new Error(`parsing enforcement level for "${k}": ${(e as Error).message}`);
      }
      if (Object.keys(props).length > 0) properties = props;
    } else {
      throw new Error(`parsing "${k}": ${JSON.stringify(v)} is not a valid value; must be a string or object`);
    }
    if (enforcementLevel === '' && properties === undefined) continue;
    result[k] = { enforcementLevel, ...(properties ? { properties } : {}) };
  }
  return result;
}

/** LoadPolicyPackConfigFromFile. */
export function loadPolicyPackConfigFile(file: string): Record<string, PolicyConfig> {
  return parsePolicyPackConfig(fs.readFileSync(file, 'utf8'));
}

/** config.go createConfigWithDefaults: every policy at its own level, with its schema defaults. */
function configWithDefaults(policies: readonly PolicyInfo[]): Record<string, PolicyConfig> {
  const result: Record<string, PolicyConfig> = {};
  for (const policy of policies) {
    let properties: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(policy.configSchema?.properties ?? {})) {
      if ('default' in v) (properties ??= {})[k] = v.default;
    }
    result[policy.name] = { enforcementLevel: policy.enforcementLevel, ...(properties ? { properties } : {}) };
  }
  return result;
}

/** config.go applyConfig: `all` sets every policy's level (keeping properties), then each entry is merged. */
function applyConfig(result: Record<string, PolicyConfig>, toApply: Readonly<Record<string, PolicyConfig>>): Record<string, PolicyConfig> {
  const all = toApply.all;
  if (all && LEVELS.includes(all.enforcementLevel)) {
    for (const [k, v] of Object.entries(result)) result[k] = { enforcementLevel: all.enforcementLevel, ...(v.properties ? { properties: v.properties } : {}) };
  }
  for (const [policy, given] of Object.entries(toApply)) {
    let enforcementLevel = result[policy]?.enforcementLevel ?? '';
    let properties = result[policy]?.properties ? { ...result[policy].properties } : undefined;
    if (LEVELS.includes(given.enforcementLevel)) enforcementLevel = given.enforcementLevel;
    if (given.properties && Object.keys(given.properties).length > 0) properties = { ...(properties ?? {}), ...given.properties };
    result[policy] = { enforcementLevel, ...(properties ? { properties } : {}) };
  }
  return result;
}

/**
 * config.go validatePolicyPackConfig: each policy with a schema is validated (as `{"type":"object",
 * properties, required}`, convertSchema) against its resulting properties, or `{}` if it has none. Messages
 * are `<policy>: <problem>`; the wording of <problem> is ajv's, not gojsonschema's.
 */
function validate(policies: readonly PolicyInfo[], config: Readonly<Record<string, PolicyConfig>>): string[] {
  const ajv = new Ajv({ allErrors: true });
  const errors: string[] = [];
  for (const policy of policies) {
    if (!policy.configSchema) continue;
    const schema: Record<string, unknown> = { type: 'object' };
    if (Object.keys(policy.configSchema.properties).length > 0) schema.properties = policy.configSchema.properties;
    if (policy.configSchema.required.length > 0) schema.required = policy.configSchema.required;
    const check = ajv.compile(schema);
    if (!check(config[policy.name]?.properties ?? {})) {
      for (const e of check.errors ?? []) errors.push(`${policy.name}: ${e.dataPath ? `${e.dataPath.replace(/^\./, '')} ` : ''}${e.message ?? 'is invalid'}`);
    }
  }
  return errors;
}

export interface Reconciled {
  /** What the engine passes to Configure: every policy, plus any other key the file named (e.g. `all`). */
  readonly config: Record<string, PolicyConfig>;
  /** Validation problems; the CLI prints them sorted and stops before Configure ("validating policy config"). */
  readonly errors: readonly string[];
}

/** config.go ReconcilePolicyPackConfig. */
export function reconcilePolicyPackConfig(
  policies: readonly PolicyInfo[],
  initialConfig: Readonly<Record<string, PolicyConfig>> | undefined,
  config: Readonly<Record<string, PolicyConfig>> | undefined,
): Reconciled {
  let result = configWithDefaults(policies);
  if (initialConfig) result = applyConfig(result, initialConfig);
  if (config) result = applyConfig(result, config);
  const errors = validate(policies, result).sort();
  return { config: errors.length > 0 ? {} : result, errors };
}
