import * as fs from 'node:fs';
import type { Declared } from '@trustline/paths';
import { findRegistryFile, parseRegistry, roleArn, type AccountRegistry } from '@trustline/registry';

/**
 * Loads the registry for trust-guard: an explicit file, else `$TRUSTLINE_REGISTRY` from `env`, else the
 * nearest accounts.json above `cwd`. Returns the error instead of throwing so callers can fall back to
 * explicit configuration.
 */
export function loadRegistryFor(options: { file?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): AccountRegistry | Error {
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.file ?? options.env?.TRUSTLINE_REGISTRY;
  let file: string;
  try {
    file = findRegistryFile(explicit, cwd, options.env ?? process.env);
  } catch (e) {
    return e as Error;
  }
  const cached = registryCache.get(file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    return new Error(`cannot read the account registry ${file}: ${(e as Error).message}.`);
  }
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.registry;
  let registry: AccountRegistry | Error;
  try {
    registry = parseRegistry(fs.readFileSync(file), file);
  } catch (e) {
    registry = e as Error;
  }
  registryCache.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, registry });
  if (!(registry instanceof Error)) registryFiles.set(registry, file);
  return registry;
}

/** The file a registry returned by {@link loadRegistryFor} was read from (for the report's zone of trust). */
export function registryFileOf(registry: AccountRegistry): string | undefined {
  return registryFiles.get(registry);
}

const registryFiles = new WeakMap<AccountRegistry, string>();

// A cache of parsed registry files, keyed by path and invalidated by mtime/size: the policy pack asks
// for the configuration once per resource and policy, and re-reading the file each time is wasted work.
// It holds no configuration of its own: a changed file is read again.
const registryCache = new Map<string, { mtimeMs: number; size: number; registry: AccountRegistry | Error }>();

/**
 * The violation a policy reports when it needs the registry and {@link loadRegistryFor} returned `error`:
 * `what` (the policy, or the policy and the resource) could not be validated, never a silent pass.
 */
export function registryUnavailable(what: string, error: Error): string {
  return `${what} could not be validated: the account registry could not be loaded: ${error.message}`;
}

/** The registry's declared facts as the path rules read them (`trust-guard paths` and the offline preview's code graph). */
export function declaredFrom(registry: AccountRegistry): Declared {
  const id = registry.identity;
  return {
    organizationId: registry.organizationId,
    identity: { key: id.key, accountId: id.accountId, ...(id.hubRoleName !== undefined && { hubRoleArn: roleArn(id.accountId, id.hubRoleName, id.region) }) },
    accounts: registry.accounts.map((a) => ({ key: a.key, accountId: a.accountId, environment: a.environment, deployRoleArn: roleArn(a.accountId, a.deployRoleName, a.region), trustedPrincipals: [...a.trustedPrincipals], ...(a.externalId !== undefined && { externalId: a.externalId }) })),
    externalAccounts: registry.externalAccounts.map((v) => ({ accountId: v.accountId, name: v.name })),
  };
}

/** The names reports show for the registry's accounts: the identity and account keys, and the vendors' names. */
export function registryAccountNames(registry: AccountRegistry): Map<string, string> {
  return new Map<string, string>([
    [registry.identity.accountId, registry.identity.key],
    ...registry.accounts.map((a): [string, string] => [a.accountId, a.key]),
    ...registry.externalAccounts.map((v): [string, string] => [v.accountId, v.name]),
  ]);
}
