import * as fs from 'node:fs';
import * as path from 'node:path';
import { JsonError, jsonProblem, parseJson } from '@trustline/json';
import type { AccountEntry, AccountRegistry } from './types';
import { RegistryError, validateRegistry } from './validate';

export const REGISTRY_FILE = 'accounts.json';

/**
 * Where the registry lives: an explicit path, else `TRUSTLINE_REGISTRY` from `env`, else the nearest
 * `accounts.json` walking up from `cwd` (Pulumi runs programs and policy packs from their own folder).
 * There is no silent fallback: outside a workspace, without the variable, this throws a
 * {@link RegistryError} saying so, rather than judging with some other checkout's accounts.
 */
export function findRegistryFile(explicit?: string, cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return path.resolve(cwd, explicit);
  const fromEnv = env.TRUSTLINE_REGISTRY;
  if (fromEnv) return path.resolve(cwd, fromEnv);
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, REGISTRY_FILE);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  throw new RegistryError(path.join(path.resolve(cwd), REGISTRY_FILE), [
    `no ${REGISTRY_FILE} in ${path.resolve(cwd)} or any folder above it; run inside the repository, or set TRUSTLINE_REGISTRY to the registry file.`,
  ]);
}

/**
 * Parses the registry's bytes (UTF-8 with or without a BOM, or UTF-16) or text with the strict JSON reader.
 * Syntax errors, a key repeated in one object (a leftover merge line must not silently redirect an
 * account) and encoding problems become a {@link RegistryError} naming the file, line and column.
 */
export function parseRegistry(input: string | Uint8Array, source: string): AccountRegistry {
  return validateRegistry(readRegistryJson(input, source), source);
}

/** The registry's JSON value, read by the strict reader; what it refuses is a {@link RegistryError}. */
export function readRegistryJson(input: string | Uint8Array, source: string): unknown {
  try {
    return parseJson(input, { file: source });
  } catch (e) {
    if (!(e instanceof JsonError)) throw e;
    throw new RegistryError(source, [registryJsonProblem(e)]);
  }
}

/** The registry's one sentence for a file the strict JSON reader refused (readers and the writer say the same). */
export function registryJsonProblem(e: JsonError): string {
  return `the file ${e.kind === 'syntax' ? 'is ' : 'cannot be read: '}${jsonProblem(e)}.`;
}

/**
 * Reads and validates the registry (see {@link findRegistryFile} for where it is looked up). The result is
 * frozen, all the way down, and shared: a file whose bytes are exactly those of its last successful load
 * returns that load's registry without parsing or validating again. The offline preview runs every
 * account's program in one thread and each program loads the registry, so validating it each time made
 * the preview quadratic in the number of accounts (12 ms per program at 1,000 accounts). The bytes are
 * compared, not the file's times, which can stay the same across two quick writes.
 */
export function loadRegistry(file?: string): AccountRegistry {
  const resolved = findRegistryFile(file);
  let text: Buffer;
  try {
    text = fs.readFileSync(resolved);
  } catch (e) {
    throw new RegistryError(resolved, [`cannot read the registry file: ${(e as Error).message}`]);
  }
  const last = lastLoads.get(resolved);
  if (last?.bytes.equals(text)) return last.registry;
  const registry = deepFreeze(parseRegistry(text, resolved));
  lastLoads.set(resolved, { bytes: text, registry });
  return registry;
}

/** Each registry file's last successful load, with the bytes it was parsed from. */
const lastLoads = new Map<string, { readonly bytes: Buffer; readonly registry: AccountRegistry }>();

/** Freezes `value` and every object and array in it, so a registry shared between callers cannot be changed by one of them. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The registry entry for `key`, or an error listing the keys that exist. */
export function getAccount(registry: AccountRegistry, key: string): AccountEntry {
  const entry = registry.accounts.find((a) => a.key === key);
  if (!entry) {
    throw new Error(`account "${key}" is not in the registry; known accounts: ${registry.accounts.map((a) => a.key).join(', ') || '(none)'}.`);
  }
  return entry;
}

/** Every account id of the organization: identity plus target accounts. */
export function organizationAccountIds(registry: AccountRegistry): string[] {
  return [registry.identity.accountId, ...registry.accounts.map((a) => a.accountId)];
}

/** What the registry tells a trust judgement: our accounts, our organization, and the declared vendors. */
export interface RegistryTrustView {
  /** Identity account plus every target account. */
  readonly trustedAccounts: readonly string[];
  readonly organizationId: string;
  readonly externalAccounts: readonly { readonly accountId: string; readonly name: string; readonly externalIdPatterns?: readonly string[] }[];
}

/** A built view and the registry fields it was built from, to notice a registry changed in place. */
interface CachedTrustView {
  readonly accounts: readonly AccountEntry[];
  readonly accountCount: number;
  readonly externalAccounts: AccountRegistry['externalAccounts'];
  readonly externalCount: number;
  readonly identityAccountId: string;
  readonly organizationId: string;
  readonly view: RegistryTrustView;
}

const trustViews = new WeakMap<AccountRegistry, CachedTrustView>();

/**
 * The registry's view for trust judgements, shared by the components' builder guard and the trust-guard
 * pack and CLI, so both always judge with the same accounts.
 *
 * One view per registry object, frozen and shared: the components ask for it once per role they build
 * (the access program: once per account), and a fresh list of every account id each time, validated and
 * turned into a set again downstream, made that program quadratic in the accounts (issue 20: at 4,000
 * accounts 3.8 s of CPU went to re-checking the same ids). A registry changed in place (another accounts
 * or externalAccounts list, a different length, identity account or organization) gets a new view.
 */
export function registryTrustView(registry: AccountRegistry): RegistryTrustView {
  const cached = trustViews.get(registry);
  if (
    cached !== undefined &&
    cached.accounts === registry.accounts &&
    cached.accountCount === registry.accounts.length &&
    cached.externalAccounts === registry.externalAccounts &&
    cached.externalCount === registry.externalAccounts.length &&
    cached.identityAccountId === registry.identity.accountId &&
    cached.organizationId === registry.organizationId
  ) {
    return cached.view;
  }
  const view: RegistryTrustView = Object.freeze({
    trustedAccounts: Object.freeze(organizationAccountIds(registry)),
    organizationId: registry.organizationId,
    externalAccounts: Object.freeze(
      registry.externalAccounts.map((e) => Object.freeze({ accountId: e.accountId, name: e.name, ...(e.externalIdPatterns && { externalIdPatterns: e.externalIdPatterns }) })),
    ),
  });
  trustViews.set(registry, {
    accounts: registry.accounts,
    accountCount: registry.accounts.length,
    externalAccounts: registry.externalAccounts,
    externalCount: registry.externalAccounts.length,
    identityAccountId: registry.identity.accountId,
    organizationId: registry.organizationId,
    view,
  });
  return view;
}
