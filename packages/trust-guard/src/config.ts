import * as fs from 'node:fs';
import * as path from 'node:path';
import { JsonError, jsonProblem, parseJson } from '@trustline/json';
import { registryTrustView, type AccountRegistry, type RegistryTrustView } from '@trustline/registry';
import { parseConfig, type TrustGuardConfig } from '@trustline/trust';

export { loadRegistryFor } from './registry';

/** The parts of the analyzer configuration the account registry supplies. */
export type RegistryDefaults = RegistryTrustView;

/** Trusted accounts = identity + every target account; the organization and vendor accounts as registered. */
export const registryDefaults = (registry: AccountRegistry): RegistryDefaults => registryTrustView(registry);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Either a validated configuration or the sentence saying why there is none. */
export type ConfigResult = { readonly ok: true; readonly config: TrustGuardConfig } | { readonly ok: false; readonly error: string };

/**
 * The configuration trust-guard judges with: registry defaults, overridden key by key by `overrides`
 * (the policy pack's per-policy config, or a `--config` file), validated by the analyzer's parseConfig.
 * When the registry cannot be read, `overrides` must name the trusted accounts itself.
 */
export function resolveConfig(overrides: unknown, registry: AccountRegistry | Error, source: string): ConfigResult {
  if (overrides !== undefined && !isObj(overrides)) {
    return { ok: false, error: `${source}: the trust-guard configuration must be a JSON object, not ${JSON.stringify(overrides)}.` };
  }
  const given: Obj = { ...(overrides ?? {}) };
  // Pulumi hands each policy its own config; enforcementLevel belongs to Pulumi, not to the analyzer.
  delete given.enforcementLevel;
  if (registry instanceof Error && given.trustedAccounts === undefined) {
    return {
      ok: false,
      error: `trust-guard needs the account registry to know the trusted accounts, and it could not be loaded: ${registry.message} Set TRUSTLINE_REGISTRY, run from inside the repository, or set "trustedAccounts" in the configuration.`,
    };
  }
  const defaults = registry instanceof Error ? {} : registryDefaults(registry);
  try {
    return { ok: true, config: parseConfig({ ...defaults, ...given }, source) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

/**
 * The configuration for a CLI run: registry defaults, overridden by the `--config` file when one is given
 * (a JSON object of TrustGuardConfig fields). `check` and `scan --live` both read `--config` through this.
 */
export function loadConfigFile(configFile: string | undefined, registry: AccountRegistry | Error, cwd: string): ConfigResult {
  if (configFile === undefined) return resolveConfig(undefined, registry, 'trust-guard configuration');
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(path.resolve(cwd, configFile));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { ok: false, error: `cannot read the configuration ${configFile}: ${err.code === 'ENOENT' ? 'no such file' : err.message}.` };
  }
  let json: unknown;
  try {
    // The strict reader: UTF-8 or UTF-16, and a key given twice (two "rules" objects) is refused, not last-wins.
    json = parseJson(bytes, { file: configFile });
  } catch (e) {
    if (!(e instanceof JsonError)) throw e;
    return { ok: false, error: `cannot read the configuration ${configFile}: ${jsonProblem(e)}; write a JSON object of trust-guard settings, each key once.` };
  }
  return resolveConfig(json, registry, configFile);
}
