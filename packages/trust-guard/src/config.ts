import * as fs from 'node:fs';
import * as path from 'node:path';
import { JsonError, jsonProblem, parseJson } from '@trustline/json';
import { REGISTRY_FILE, registryTrustView, type AccountRegistry, type RegistryTrustView } from '@trustline/registry';
import { type ExternalAccountConfig, isObj, parseConfig, type TrustGuardConfig } from '@trustline/trust';
import { registryFileOf } from './registry';

export { loadRegistryFor } from './registry';

/** The parts of the analyzer configuration the account registry supplies. */
export type RegistryDefaults = RegistryTrustView;

/** Trusted accounts = identity + every target account; the organization and vendor accounts as registered. */
export const registryDefaults = (registry: AccountRegistry): RegistryDefaults => registryTrustView(registry);

type Obj = Record<string, unknown>;

/**
 * The settings that say who is trusted: our accounts, our organization, the declared vendors. They always
 * come from one place, the account registry or the configuration, never merged key by key.
 */
export const ACCOUNT_KEYS = ['trustedAccounts', 'organizationId', 'externalAccounts'] as const;

/** Which accounts, organization and vendors a run judges with, and where they came from. */
export interface TrustZone {
  readonly trustedAccounts: readonly string[];
  readonly organizationId?: string;
  readonly externalAccounts: readonly ExternalAccountConfig[];
  /** All three come from the registry file, or all three from the configuration that named any of them. */
  readonly from: { readonly kind: 'registry' | 'config'; readonly file: string };
}

/** Either a validated configuration with its zone of trust, or the sentence saying why there is none. */
export type ConfigResult = { readonly ok: true; readonly config: TrustGuardConfig; readonly zone: TrustZone } | { readonly ok: false; readonly error: string };

/** The account keys `overrides` names, in {@link ACCOUNT_KEYS} order. */
export function namedAccountKeys(overrides: unknown): (typeof ACCOUNT_KEYS)[number][] {
  if (!isObj(overrides)) return [];
  return ACCOUNT_KEYS.filter((k) => overrides[k] !== undefined);
}

/**
 * The configuration trust-guard judges with, validated by the analyzer's parseConfig. The accounts,
 * organization and vendors come from the registry, unless `overrides` (the policy pack's per-policy config,
 * or a `--config` file) names any of them: then all three come from `overrides` and the registry's are not
 * used at all (a key it leaves out is empty), so a config naming only trustedAccounts is never judged with
 * the registry's organization. Every other setting comes from `overrides` or the analyzer's defaults.
 */
export function resolveConfig(overrides: unknown, registry: AccountRegistry | Error, source: string): ConfigResult {
  if (overrides !== undefined && !isObj(overrides)) {
    return { ok: false, error: `${source}: the trust-guard configuration must be a JSON object, not ${JSON.stringify(overrides)}.` };
  }
  const given: Obj = { ...(overrides ?? {}) };
  // Pulumi hands each policy its own config; enforcementLevel belongs to Pulumi, not to the analyzer.
  delete given.enforcementLevel;
  const fromConfig = namedAccountKeys(given).length > 0;
  if (!fromConfig && registry instanceof Error) {
    return {
      ok: false,
      error: `trust-guard needs the account registry to know the trusted accounts, and it could not be loaded: ${registry.message} Set TRUSTLINE_REGISTRY, run from inside the repository, or set "trustedAccounts" in the configuration.`,
    };
  }
  const defaults = fromConfig || registry instanceof Error ? {} : registryDefaults(registry);
  let config: TrustGuardConfig;
  try {
    config = parseConfig({ ...defaults, ...given }, source);
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
  const from = fromConfig || registry instanceof Error ? { kind: 'config' as const, file: source } : { kind: 'registry' as const, file: registryFileOf(registry) ?? REGISTRY_FILE };
  const zone: TrustZone = {
    trustedAccounts: config.trustedAccounts,
    ...(config.organizationId !== undefined && { organizationId: config.organizationId }),
    externalAccounts: config.externalAccounts,
    from,
  };
  return { ok: true, config, zone };
}

/** Resolved configurations kept per registry (or load error), then per source and overrides. */
const kept = new WeakMap<object, Map<string, ConfigResult>>();
const KEPT_PER_REGISTRY = 256;

/**
 * {@link resolveConfig}, resolved once per registry, source and overrides: the policy pack needs it for every
 * judged resource and the offline preview's trust graph for every stack, and each resolution validates the
 * registry's whole account list (0.5 ms at 1,000 accounts, for each of the 3,000 judged resources of a
 * 1,000-account preview). Kept only for a registry that is never changed in place: a load error, a frozen
 * registry (what `loadRegistry` returns), or one {@link loadRegistryFor} returned (it hands out a new
 * object when the file changes). Any other registry is resolved each time.
 */
export function resolveConfigKept(overrides: unknown, registry: AccountRegistry | Error, source: string): ConfigResult {
  if (!(registry instanceof Error) && !Object.isFrozen(registry) && registryFileOf(registry) === undefined) return resolveConfig(overrides, registry, source);
  const byKey = kept.get(registry) ?? new Map<string, ConfigResult>();
  kept.set(registry, byKey);
  const key = JSON.stringify([source, overrides ?? null]);
  const hit = byKey.get(key);
  if (hit) return hit;
  const result = resolveConfig(overrides, registry, source);
  if (byKey.size >= KEPT_PER_REGISTRY) byKey.delete(byKey.keys().next().value as string);
  byKey.set(key, result);
  return result;
}

/**
 * The configuration for a CLI run: the `--config` file when one is given (a JSON object of TrustGuardConfig
 * fields), accounts as {@link resolveConfig} decides. `check` and `scan --live` both read `--config` through
 * this. `explicitRegistry` is a `--registry` the user gave: a config that names accounts too is refused,
 * since only one of the two can say who is trusted.
 */
export function loadConfigFile(configFile: string | undefined, registry: AccountRegistry | Error, cwd: string, explicitRegistry?: string): ConfigResult {
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
  const named = namedAccountKeys(json);
  if (explicitRegistry !== undefined && named.length > 0) {
    return {
      ok: false,
      error:
        `${configFile} sets ${named.join(', ')}, and --registry ${explicitRegistry} was given too; the accounts, organization and vendors come from one ` +
        `place, never merged: drop --registry to judge with the configuration's, or remove ${named.join(', ')} from ${configFile} to judge with the registry's.`,
    };
  }
  return resolveConfig(json, registry, configFile);
}
