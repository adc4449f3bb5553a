/**
 * Pulumi resource URNs, read and minted as the engine does (sdk/go/common/resource/urn/urn.go at v3.248.0):
 *
 *   urn:pulumi:<stack>::<project>::<qualified type>::<name>
 *
 * The qualified type is the resource's type prefixed by its parents' types joined with `$`
 * (`trustline:x:Baseline$aws:iam/role:Role`), except directly under the root stack. The name is
 * everything after the third `::` and may itself contain `::`. The one owner of URN reading: the
 * components' mock harness, the policies, the CLI, the offline preview and the engine conformance suite
 * call it. Lives in the registry, the lowest layer all of them import (Pulumi project names are registry keys).
 */

/** `urn.Prefix`. */
export const URN_PREFIX = 'urn:pulumi:';
const NAME_DELIMITER = '::';
const TYPE_DELIMITER = '$';
/** `tokens.RootStackType`: children of the root stack are not qualified by it. */
const ROOT_STACK_TYPE = 'pulumi:pulumi:Stack';

/** The parts of a URN. */
export interface Urn {
  readonly stack: string;
  readonly project: string;
  /** The type with its parents' types: `a:b:Outer$x:y:Inner$aws:s3/bucket:Bucket`. */
  readonly qualifiedType: string;
  /** The resource's own type: the last `$`-separated part of the qualified type. */
  readonly type: string;
  /** The parents' types, outermost first (empty directly under the stack). */
  readonly parentTypes: readonly string[];
  readonly name: string;
}

/**
 * The parts of `urn`, or undefined when it is not a URN: `urn.IsValid` requires the `urn:pulumi:` prefix
 * and at least three `::` delimiters.
 */
export function parseUrn(urn: string): Urn | undefined {
  if (!urn.startsWith(URN_PREFIX)) return undefined;
  const parts = urn.slice(URN_PREFIX.length).split(NAME_DELIMITER);
  if (parts.length < 4) return undefined;
  const [stack, project, qualifiedType] = parts;
  const types = qualifiedType.split(TYPE_DELIMITER);
  return { stack, project, qualifiedType, type: types[types.length - 1], parentTypes: types.slice(0, -1), name: parts.slice(3).join(NAME_DELIMITER) };
}

/**
 * The URN the engine mints for a resource (`urn.New`): the type is qualified by the parent's qualified
 * type unless there is no parent or the parent is the root stack.
 */
export function newUrn(stack: string, project: string, parentType: string | undefined, type: string, name: string): string {
  const qualified = parentType && parentType !== ROOT_STACK_TYPE ? `${parentType}${TYPE_DELIMITER}${type}` : type;
  return `${URN_PREFIX}${stack}${NAME_DELIMITER}${project}${NAME_DELIMITER}${qualified}${NAME_DELIMITER}${name}`;
}

/** The URN of a provider reference `<urn>::<id>` (sdk/go/common/resource/providers/reference.go ParseReference). */
export function providerRefUrn(ref: string): string {
  const i = ref.lastIndexOf(NAME_DELIMITER);
  return i < 0 ? ref : ref.slice(0, i);
}
