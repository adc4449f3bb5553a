/**
 * Pulumi's sentinels for values that are not known until `pulumi up` (an input computed from another
 * resource's output). The engine sends them as these strings; @pulumi/policy wraps props in a proxy that
 * throws `UnknownValueError` when one is read. The values are copied from @pulumi/policy's proxy.js
 * (they are `@internal` there, so not importable with types); `04da6b54-...` is also
 * `pulumi.runtime.unknownValue`, the one the engine actually sends over gRPC.
 */
/** The unknown the engine sends over gRPC for any computed value (`pulumi.runtime.unknownValue`). */
export const ENGINE_UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  ENGINE_UNKNOWN, // string (and the engine's generic unknown)
  '1c4a061d-8072-4f0a-a4cb-0ff528b18fe7', // boolean
  '3eeb2bf0-c639-47a8-9e75-3b44932eb421', // number
  '6a19a0b0-7e62-4c92-b797-7f8e31da9cc2', // array
  '030794c1-ac77-496b-92df-f27374a8bd58', // asset
  'e48ece36-62e2-4504-bad9-02848725956a', // archive
  'dd056dcd-154b-4c76-9bd3-c8f88648b5ff', // object
]);

/** The key @pulumi/policy's unknown-checking proxy answers with the object it wraps. */
const PROXY_TARGET = '__getSpecialProxyTarget';

/**
 * The plain object behind @pulumi/policy's unknown-checking proxy (or the value itself when it is not
 * proxied). Reading through the proxy throws on the first unknown; reading the target lets us say
 * precisely which value is unknown instead.
 */
export function unwrapProxy<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    const target = (value as Record<string, unknown>)[PROXY_TARGET];
    if (typeof target === 'object' && target !== null) return target as T;
  }
  return value;
}

/** True when `value` is, or contains anywhere inside it, a value Pulumi does not know yet. */
export function containsUnknown(value: unknown): boolean {
  const v = unwrapProxy(value);
  if (typeof v === 'string') return UNKNOWN_SENTINELS.has(v);
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (typeof v === 'object' && v !== null) return Object.values(v).some(containsUnknown);
  return false;
}
