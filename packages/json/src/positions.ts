import type { Position } from './errors';
import { lineStarts, positionAt } from './lines';

/** Where one array or object and its members start in the text (offsets). */
export interface ContainerInfo {
  readonly start: number;
  /** Offset of each member's value: by key for objects, by index for arrays. */
  readonly members: Map<string, number> | number[];
  /** Offset of each key's opening quote (objects only). */
  readonly keys?: Map<string, number>;
}

/** One step of a path: an object key or an array index. */
export type PathSegment = string | number;

/**
 * Positions of the values of one parsed document. Arrays and objects are looked up by identity
 * (`of(doc.Statement)`), any value by its container and key (`member(statement, 'Principal')`), or from
 * the root by a JSON Pointer (RFC 6901, `/Statement/0/Principal`) or a path (`['Statement', 0]`).
 */
export class JsonPositions {
  private starts: number[] | undefined;

  constructor(
    private readonly text: string,
    private readonly root: unknown,
    private readonly info: WeakMap<object, ContainerInfo>,
  ) {}

  /** Line and column of an offset into the text. */
  position(offset: number): Position {
    this.starts ??= lineStarts(this.text);
    return positionAt(this.starts, offset);
  }

  /** Where an array or object of this document starts; undefined for values not from this document. */
  of(container: unknown): Position | undefined {
    const ci = typeof container === 'object' && container !== null ? this.info.get(container) : undefined;
    return ci ? this.position(ci.start) : undefined;
  }

  /** Where the value at `key` (object) or index (array) of `container` starts. */
  member(container: unknown, key: PathSegment): Position | undefined {
    const offset = this.memberOffset(container, key);
    return offset === undefined ? undefined : this.position(offset);
  }

  /** Where the key itself (its opening quote) sits in `container`, an object of this document. */
  key(container: unknown, key: string): Position | undefined {
    const ci = typeof container === 'object' && container !== null ? this.info.get(container) : undefined;
    const offset = ci?.keys?.get(key);
    return offset === undefined ? undefined : this.position(offset);
  }

  /** Where the value at a JSON Pointer (`""` is the root) or a path of keys and indexes starts. */
  at(pointer: string | readonly PathSegment[]): Position | undefined {
    const path = typeof pointer === 'string' ? parsePointer(pointer) : pointer;
    if (path === undefined) return undefined;
    if (path.length === 0) return this.of(this.root) ?? (this.root === undefined ? undefined : this.position(firstNonSpace(this.text)));
    let container: unknown = this.root;
    for (let k = 0; k < path.length - 1; k++) {
      container = step(container, path[k]);
      if (container === undefined) return undefined;
    }
    return this.member(container, path[path.length - 1]);
  }

  private memberOffset(container: unknown, key: PathSegment): number | undefined {
    const ci = typeof container === 'object' && container !== null ? this.info.get(container) : undefined;
    if (!ci) return undefined;
    if (Array.isArray(ci.members)) {
      const index = typeof key === 'number' ? key : /^(0|[1-9]\d*)$/.test(key) ? Number(key) : -1;
      return ci.members[index];
    }
    return ci.members.get(String(key));
  }
}

function step(container: unknown, key: PathSegment): unknown {
  if (Array.isArray(container)) return container[typeof key === 'number' ? key : Number(key)];
  if (typeof container === 'object' && container !== null && Object.prototype.hasOwnProperty.call(container, key)) return (container as Record<string, unknown>)[key];
  return undefined;
}

/** RFC 6901: `/a~1b/0` is `["a/b", "0"]`; undefined when it does not start with `/` (and is not empty). */
export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function firstNonSpace(text: string): number {
  const m = /\S/.exec(text);
  return m ? m.index : 0;
}

/**
 * The offset in `text` of the character at `index` of the decoded value of the string literal whose opening
 * quote is at `quote`. JSON documents are often embedded as strings (a Pulumi `assumeRolePolicy` input);
 * this maps a position inside the embedded document back into the file, escapes included.
 */
export function offsetInStringLiteral(text: string, quote: number, index: number): number {
  let j = quote + 1;
  for (let k = 0; k < index && j < text.length; k++) {
    if (text.charCodeAt(j) === 34) break;
    j += text.charCodeAt(j) === 92 ? (text.charCodeAt(j + 1) === 117 ? 6 : 2) : 1;
  }
  return j;
}
