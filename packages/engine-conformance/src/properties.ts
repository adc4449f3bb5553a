import * as pulumi from '@pulumi/pulumi';
import { structOf } from './sdk';

/**
 * Property values as the engine hands them to an analyzer: `MarshalProperties` with KeepUnknowns and
 * KeepSecrets, no output values, no resource references (sdk/go/common/resource/plugin/rpc.go,
 * `MarshalPropertyValue`; options set in sdk/go/common/resource/plugin/analyzer_plugin.go, v3.248.0).
 * The special values come from the SDK's own exports; test/protocol.e2e.test.ts checks them against the
 * Go sources' literals.
 */
export const UNKNOWN = pulumi.runtime.unknownValue;
const SIG = pulumi.runtime.specialSigKey;

/** A secret as the engine marshals it: `{"4dabf…": "1b47…", "value": v}`. */
export function secret(value: unknown): Record<string, unknown> {
  return { [SIG]: pulumi.runtime.specialSecretSig, value };
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * What the engine's analyzer marshalling makes of a value the SDK registered: output values become their
 * value, the unknown sentinel or a secret wrapper; resource references become the resource's id (its URN
 * for components); secrets, assets and archives keep their wrappers; `__`-prefixed keys are dropped
 * (SkipInternalKeys).
 */
export function engineValue(value: unknown): Json {
  if (Array.isArray(value)) return value.map(engineValue);
  if (value === null || typeof value !== 'object') return value as Json;
  const obj = value as Record<string, unknown>;
  const sig = obj[SIG];
  if (sig === pulumi.runtime.specialOutputValueSig) {
    const inner: Json = 'value' in obj ? engineValue(obj.value) : UNKNOWN;
    return obj.secret === true ? (secret(inner) as Json) : inner;
  }
  if (sig === pulumi.runtime.specialResourceSig) {
    const id = obj.id;
    return typeof id === 'string' && id !== '' ? id : (obj.urn as string);
  }
  if (sig === pulumi.runtime.specialSecretSig) return secret(engineValue(obj.value)) as Json;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k.startsWith('__')) continue;
    out[k] = engineValue(v);
  }
  return out;
}

/** An engine-shaped property map as the protobuf Struct the Analyzer service receives. */
export function toStruct(props: Readonly<Record<string, unknown>>): ReturnType<typeof structOf> {
  return structOf(props);
}
