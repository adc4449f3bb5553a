import { ACCOUNT_ID, AWS_PROVIDER_TYPE, parseUrn } from '@trustline/registry';
import { UNKNOWN_SENTINELS, unwrapProxy } from '../unknown';
import { isObj, principalAccount } from '@trustline/trust';

/**
 * Pure helpers for the stack policies: reading `pulumi:providers:aws` properties, which the engine hands
 * over either as objects or as JSON text (provider config is often JSON-encoded: `assumeRoles: "[{...}]"`).
 */

/** Type token of an explicit or default AWS provider (owned by the registry). */
export { AWS_PROVIDER_TYPE };

/** A value read from provider properties: its parsed form, or why it cannot be used. */
export type Read<T> = { readonly kind: 'ok'; readonly value: T } | { readonly kind: 'absent' } | { readonly kind: 'unknown' } | { readonly kind: 'invalid'; readonly problem: string };

/** One `assumeRoles` entry as the provider receives it. */
export interface AssumeRoleHop {
  readonly roleArn?: string;
  readonly sessionName?: string;
  readonly externalId?: string;
  /** Go duration text such as `1h`, `3600s`, `15m`. */
  readonly duration?: string;
}

const isUnknown = (v: unknown) => typeof v === 'string' && UNKNOWN_SENTINELS.has(v);
const show = (v: unknown) => JSON.stringify(v);

/** The value of a read, or null when it is absent, unknown or invalid (for reports that show what they can). */
export function valueOrNull<T>(read: Read<T>): T | null {
  return read.kind === 'ok' ? read.value : null;
}

/** Parses `value` when it is JSON text; objects and arrays pass through. */
export function parseJsonish(field: string, value: unknown): Read<unknown> {
  const v = unwrapProxy(value);
  if (v === undefined || v === null || v === '') return { kind: 'absent' };
  if (isUnknown(v)) return { kind: 'unknown' };
  if (typeof v !== 'string') return { kind: 'ok', value: v };
  const text = v.trim();
  if (!text.startsWith('[') && !text.startsWith('{')) return { kind: 'ok', value: v };
  try {
    return { kind: 'ok', value: JSON.parse(text) };
  } catch (e) {
    return { kind: 'invalid', problem: `${field} ${show(v)} is neither a list nor valid JSON text (${(e as Error).message}).` };
  }
}

/**
 * The provider's role chain, first hop first. Reads `assumeRoles` (a list, @pulumi/aws 7) and falls back
 * to `assumeRole` (one object, @pulumi/aws 6 and earlier).
 */
export function providerAssumeRoles(props: unknown): Read<AssumeRoleHop[]> {
  const p = unwrapProxy(props);
  if (!isObj(p)) return { kind: 'absent' };
  const field = p.assumeRoles !== undefined ? 'assumeRoles' : 'assumeRole';
  const read = parseJsonish(field, p[field]);
  if (read.kind !== 'ok') return read;
  const list = Array.isArray(read.value) ? read.value : [read.value];
  const hops: AssumeRoleHop[] = [];
  for (const [i, entry] of list.entries()) {
    if (!isObj(entry)) return { kind: 'invalid', problem: `${field}[${i}] ${show(entry)} is not an object with a roleArn.` };
    if (Object.values(entry).some(isUnknown)) return { kind: 'unknown' };
    const str = (k: string) => (typeof entry[k] === 'string' && entry[k] !== '' ? { [k]: entry[k] as string } : {});
    hops.push({ ...str('roleArn'), ...str('sessionName'), ...str('externalId'), ...str('duration') });
  }
  return list.length === 0 ? { kind: 'absent' } : { kind: 'ok', value: hops };
}

/** The provider's `region`: absent when it does not set one (the provider then reads AWS_REGION). */
export function providerRegion(props: unknown): Read<string> {
  const p = unwrapProxy(props);
  if (!isObj(p)) return { kind: 'absent' };
  const v = unwrapProxy(p.region);
  if (v === undefined || v === null || v === '') return { kind: 'absent' };
  if (isUnknown(v)) return { kind: 'unknown' };
  return typeof v === 'string' ? { kind: 'ok', value: v } : { kind: 'invalid', problem: `region ${show(v)} is not a region name.` };
}

/** The account the chain ends in: the account of the last hop's role. */
export function chainEndAccount(hops: readonly AssumeRoleHop[]): Read<string> {
  if (hops.length === 0) return { kind: 'absent' };
  const last = hops[hops.length - 1];
  if (!last.roleArn) return { kind: 'invalid', problem: `the last assumeRoles entry has no roleArn.` };
  const account = principalAccount(last.roleArn);
  return account ? { kind: 'ok', value: account } : { kind: 'invalid', problem: `roleArn ${show(last.roleArn)} is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>).` };
}

/** The provider's `allowedAccountIds`, as a list of strings (array or JSON text). */
export function allowedAccountIds(props: unknown): Read<string[]> {
  const p = unwrapProxy(props);
  if (!isObj(p)) return { kind: 'absent' };
  const read = parseJsonish('allowedAccountIds', p.allowedAccountIds);
  if (read.kind !== 'ok') return read;
  const v = read.value;
  if (!Array.isArray(v)) return { kind: 'invalid', problem: `allowedAccountIds ${show(v)} is not a list of account ids.` };
  if (v.some(isUnknown)) return { kind: 'unknown' };
  const bad = v.find((id) => typeof id !== 'string' || !ACCOUNT_ID.test(id));
  if (bad !== undefined) return { kind: 'invalid', problem: `allowedAccountIds contains ${show(bad)}, which is not a 12-digit account id string.` };
  return { kind: 'ok', value: v as string[] };
}

/**
 * The account an AWS provider deploys into: the account its role chain ends in, else (no `assumeRoles`)
 * its one `allowedAccountIds` entry. Unknown when either is not known yet; invalid with the reader's
 * sentence when the chain cannot be read.
 */
export function providerAccount(props: unknown): Read<string> {
  const hops = providerAssumeRoles(props);
  if (hops.kind === 'ok') return chainEndAccount(hops.value);
  if (hops.kind !== 'absent') return hops;
  const allowed = allowedAccountIds(props);
  if (allowed.kind !== 'ok') return allowed;
  return allowed.value.length === 1 ? { kind: 'ok', value: allowed.value[0] } : allowed.value.length === 0 ? { kind: 'absent' } : { kind: 'invalid', problem: `the provider has no assumeRoles and allowedAccountIds ${show(allowed.value)} names more than one account, so the account it deploys into is not known.` };
}

const GO_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, 'μs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/**
 * Seconds in a Go duration string as Go's time.ParseDuration reads it: an optional sign, then one or
 * more decimal numbers each with a unit (`1h`, `1h30m`, `90m`, `3600s`, `1.5h`, `0`). The provider parses
 * `duration` with Go, so "3600" (no unit) or "1 hour" are errors there too.
 * https://pkg.go.dev/time#ParseDuration
 */
export function parseGoDuration(text: string): number {
  const fail = (why: string) => new Error(`duration ${show(text)} is not a Go duration (${why}); write it like "1h", "45m" or "3600s".`);
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    sign = s.startsWith('-') ? -1 : 1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw fail('it is empty');
  let total = 0;
  const part = /^(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;
  while (s.length > 0) {
    const m = part.exec(s);
    if (!m) {
      const unit = /^(?:\d+\.?\d*|\.\d+)([^\d.]+)/.exec(s);
      if (unit) throw fail(`unknown unit ${show(unit[1])}; units are ns, us, ms, s, m and h`);
      throw fail(/^\.?\d/.test(s) ? `a number without a unit at ${show(s)}; units are ns, us, ms, s, m and h` : `unexpected ${show(s)}`);
    }
    total += Number(m[1]) * GO_UNITS[m[2]];
    s = s.slice(m[0].length);
  }
  return sign * total;
}

/**
 * Seconds a hop asks for, read from its `duration` with {@link parseGoDuration}: absent when the hop sets
 * none (STS then grants one hour), invalid with the parser's sentence when Go would refuse the text.
 */
export function hopDurationSeconds(hop: AssumeRoleHop): Read<number> {
  if (hop.duration === undefined) return { kind: 'absent' };
  try {
    return { kind: 'ok', value: parseGoDuration(hop.duration) };
  } catch (e) {
    return { kind: 'invalid', problem: (e as Error).message };
  }
}

/** The project of a Pulumi URN `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export function projectOfUrn(urn: string): string | undefined {
  return parseUrn(urn)?.project;
}

/** Default providers are named `default` or `default_<version>` (`default_7_48_0`). */
export function isDefaultProvider(provider: { name: string; urn?: string }): boolean {
  return provider.name === 'default' || provider.name.startsWith('default_');
}

/** The config key that stops the engine from creating default providers. */
export const DISABLE_DEFAULT_PROVIDERS = 'pulumi:disable-default-providers';

/** The fix for a stack that does not disable default providers (data for reports; the problem sentence ends with it). */
export const DEFAULT_PROVIDERS_FIX = `Set it for every stack in the project's Pulumi.yaml (config: ${DISABLE_DEFAULT_PROVIDERS}: value: [aws]), so a resource that forgets { provider } fails instead of deploying with the shell's credentials.`;

/**
 * Why a stack's merged configuration (project `Pulumi.yaml` values overridden by `Pulumi.<stack>.yaml`,
 * values as Pulumi hands them over: lists as JSON text) does not stop the engine from creating a default
 * AWS provider, or undefined when it does. Read as the engine reads it
 * (pkg/resource/deploy/default_providers.go at v3.248.0): a JSON list of package names, "*" for all.
 */
export function defaultProvidersProblem(config: Readonly<Record<string, string>>): string | undefined {
  const fix = DEFAULT_PROVIDERS_FIX;
  const raw = config[DISABLE_DEFAULT_PROVIDERS];
  if (raw === undefined) return `The stack does not disable default providers: ${DISABLE_DEFAULT_PROVIDERS} is not set in Pulumi.yaml or the stack file. ${fix}`;
  let list: unknown;
  try {
    list = raw === '' ? [] : JSON.parse(raw);
  } catch {
    list = undefined;
  }
  if (!Array.isArray(list)) return `The stack does not disable default providers: ${DISABLE_DEFAULT_PROVIDERS} is ${show(raw)}, not a list of package names. ${fix}`;
  if (list.some((v) => typeof v === 'string' && (v.trim() === 'aws' || v.trim() === '*'))) return undefined;
  return `The stack does not disable default AWS providers: ${DISABLE_DEFAULT_PROVIDERS} is ${raw === '' ? 'empty' : raw}, which does not name "aws". ${fix}`;
}
