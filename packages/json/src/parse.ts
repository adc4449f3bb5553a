import { decodeJsonText, type JsonEncoding } from './decode';
import { JsonError, type JsonErrorKind } from './errors';
import { lineStarts, positionAt } from './lines';
import { JsonPositions, type ContainerInfo } from './positions';

/**
 * How deep arrays and objects may nest by default. The reader itself has no limit (it keeps its own
 * stack, never recursing), but code that walks the value afterwards usually recurses and would crash
 * with a RangeError thousands of levels down. No IAM policy, registry or Pulumi file comes near 512
 * (serde_json stops at 128); pass `maxDepth: Infinity` to lift it.
 */
export const DEFAULT_MAX_DEPTH = 512;

export interface ReadJsonOptions {
  /** The file name used in error messages (the reader does no I/O). */
  readonly file: string;
  /** Deepest nesting of arrays and objects accepted; default {@link DEFAULT_MAX_DEPTH}. */
  readonly maxDepth?: number;
}

/** A parsed input with where every value sits in its text. */
export interface JsonDocument {
  readonly value: unknown;
  /** The decoded text (positions are offsets into it). */
  readonly text: string;
  readonly encoding: JsonEncoding;
  readonly positions: JsonPositions;
}

/**
 * Parses JSON bytes or text strictly, as `JSON.parse` would, and also refuses a key repeated in one object
 * (at any depth: JSON.parse silently keeps the last, so `{"Statement":[…"*"…],"Statement":[]}` would pass
 * for an empty policy) and nesting beyond `maxDepth`. Throws a {@link JsonError} with file, line and column.
 */
export function parseJson(input: Uint8Array | string, options: ReadJsonOptions): unknown {
  const { text } = decodeJsonText(input, options.file);
  try {
    return parseText(text, options, undefined);
  } catch (e) {
    // The fast pass keeps no key positions; read again with them to say where the key first appeared.
    if (e instanceof JsonError && e.key !== undefined) parseText(text, options, new WeakMap());
    throw e;
  }
}

/** {@link parseJson}, also returning the position of every value (for SARIF locations and messages). */
export function readJson(input: Uint8Array | string, options: ReadJsonOptions): JsonDocument {
  const { text, encoding } = decodeJsonText(input, options.file);
  const info = new WeakMap<object, ContainerInfo>();
  const value = parseText(text, options, info);
  return { value, text, encoding, positions: new JsonPositions(text, value, info) };
}

const enum C {
  TAB = 9,
  LF = 10,
  CR = 13,
  SPACE = 32,
  QUOTE = 34,
  PLUS = 43,
  COMMA = 44,
  MINUS = 45,
  DOT = 46,
  ZERO = 48,
  NINE = 57,
  COLON = 58,
  UPPER_E = 69,
  LBRACKET = 91,
  BACKSLASH = 92,
  RBRACKET = 93,
  LOWER_E = 101,
  LBRACE = 123,
  RBRACE = 125,
}

const ESCAPES: Record<number, string> = { 34: '"', 92: '\\', 47: '/', 98: '\b', 102: '\f', 110: '\n', 114: '\r', 116: '\t' };

function parseText(text: string, options: ReadJsonOptions, info: WeakMap<object, ContainerInfo> | undefined): unknown {
  const file = options.file;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const n = text.length;
  let i = 0;
  let starts: number[] | undefined;
  const fail = (reason: string, at = i, kind: JsonErrorKind = 'syntax', key?: string): never => {
    starts ??= lineStarts(text);
    throw new JsonError(file, reason, positionAt(starts, at), kind, key);
  };
  const found = (at: number): string => {
    if (at >= n) return 'the end of the file';
    const c = text.charCodeAt(at);
    if (c === C.LF || c === C.CR) return 'a line break';
    if (c < 0x20) return `the control character U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
    const cp = text.codePointAt(at) as number;
    return JSON.stringify(String.fromCodePoint(cp));
  };
  const skip = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === C.SPACE || c === C.LF || c === C.CR || c === C.TAB) i++;
      else break;
    }
  };

  /** Reads the string whose opening quote is at `i`; leaves `i` after the closing quote. */
  const readString = (): string => {
    const open = i;
    let j = i + 1;
    // Fast path: no escapes, one slice.
    for (; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c === C.QUOTE) {
        i = j + 1;
        return text.slice(open + 1, j);
      }
      if (c === C.BACKSLASH || c < 0x20) break;
    }
    let out = text.slice(open + 1, j);
    let from = j;
    while (true) {
      if (j >= n) fail('this string is not closed: it runs to the end of the file; add the closing ".', open);
      const c = text.charCodeAt(j);
      if (c === C.QUOTE) {
        i = j + 1;
        return out + text.slice(from, j);
      }
      if (c < 0x20) fail(`a string may not contain ${found(j)}; write it as an escape (\\n, \\t, \\u00XX) or close the string with ".`, j);
      if (c !== C.BACKSLASH) {
        j++;
        continue;
      }
      out += text.slice(from, j);
      const e = text.charCodeAt(j + 1);
      if (e === 117 /* u */) {
        const hex = text.slice(j + 2, j + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail(`"\\u" must be followed by four hex digits, found ${JSON.stringify(hex)}.`, j);
        out += String.fromCharCode(parseInt(hex, 16));
        j += 6;
      } else {
        const s = ESCAPES[e];
        if (s === undefined) fail(`${j + 1 < n ? JSON.stringify(`\\${text[j + 1]}`) : '"\\" at the end'} is not a JSON escape; use \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX.`, j);
        out += s;
        j += 2;
      }
      from = j;
    }
  };

  const readNumber = (): number => {
    const start = i;
    let j = i;
    if (text.charCodeAt(j) === C.MINUS) j++;
    let c = text.charCodeAt(j);
    if (c === C.ZERO) {
      j++;
      c = text.charCodeAt(j);
      if (c >= C.ZERO && c <= C.NINE) fail('a number may not start with 0 followed by more digits (write 7, not 07; quote ids such as "012345678901").', start);
    } else if (c >= C.ZERO + 1 && c <= C.NINE) {
      do c = text.charCodeAt(++j);
      while (c >= C.ZERO && c <= C.NINE);
    } else fail(`expected a digit after "-", found ${found(j)}.`, j);
    if (c === C.DOT) {
      c = text.charCodeAt(++j);
      if (!(c >= C.ZERO && c <= C.NINE)) fail(`expected a digit after the decimal point, found ${found(j)}.`, j);
      do c = text.charCodeAt(++j);
      while (c >= C.ZERO && c <= C.NINE);
    }
    if (c === C.LOWER_E || c === C.UPPER_E) {
      c = text.charCodeAt(++j);
      if (c === C.PLUS || c === C.MINUS) c = text.charCodeAt(++j);
      if (!(c >= C.ZERO && c <= C.NINE)) fail(`expected a digit in the exponent, found ${found(j)}.`, j);
      do c = text.charCodeAt(++j);
      while (c >= C.ZERO && c <= C.NINE);
    }
    i = j;
    return Number(text.slice(start, j));
  };

  const literal = (word: string, value: unknown): unknown => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return value;
    }
    return fail(`expected a value (an object, list, string, number, true, false or null), found ${found(i)}.`);
  };

  // The explicit stack: the open containers, and for objects the key being filled.
  const stack: (Record<string, unknown> | unknown[])[] = [];
  const keys: string[] = [];
  const infos: (ContainerInfo | undefined)[] = [];

  /** Reads `"key"` and `:` inside an object; `i` is at the quote. */
  const readKey = (obj: Record<string, unknown>, depth: number, ci: ContainerInfo | undefined): void => {
    if (text.charCodeAt(i) !== C.QUOTE) fail(`expected a key in double quotes, found ${found(i)}.`);
    const at = i;
    const key = readString();
    if (Object.prototype.hasOwnProperty.call(obj, key)) {
      const first = ci?.keys?.get(key);
      starts ??= lineStarts(text);
      const where = first === undefined ? '' : ` (first at line ${positionAt(starts, first).line}, column ${positionAt(starts, first).column})`;
      fail(
        `the key ${JSON.stringify(key)} appears twice in one object${where}; JSON readers disagree on which value counts (JavaScript keeps the last, others the first), so the file is refused. Write each key once.`,
        at,
        'duplicate-key',
        key,
      );
    }
    ci?.keys?.set(key, at);
    keys[depth] = key;
    skip();
    if (text.charCodeAt(i) !== C.COLON) fail(`expected ":" after the key ${JSON.stringify(key)}, found ${found(i)}.`);
    i++;
  };

  let value: unknown;
  skip();
  if (i >= n) fail('the input is empty; expected a JSON value.');
  // Each turn reads one value at `i`, then closes every container that this value completes.
  for (;;) {
    skip();
    const start = i;
    const c = text.charCodeAt(i);
    let opened = false;
    if (c === C.LBRACE || c === C.LBRACKET) {
      if (stack.length >= maxDepth) {
        fail(`arrays and objects nest more than ${maxDepth} levels deep here; no policy, registry or Pulumi file needs that, so the input is refused. Flatten the document.`, i, 'too-deep');
      }
      const container: Record<string, unknown> | unknown[] = c === C.LBRACE ? {} : [];
      const ci: ContainerInfo | undefined = info ? (c === C.LBRACE ? { start, members: new Map(), keys: new Map() } : { start, members: [] }) : undefined;
      if (ci) info?.set(container, ci);
      i++;
      skip();
      const close = c === C.LBRACE ? C.RBRACE : C.RBRACKET;
      if (text.charCodeAt(i) === close) {
        i++;
        value = container;
      } else {
        stack.push(container);
        infos.push(ci);
        if (c === C.LBRACE) readKey(container as Record<string, unknown>, stack.length - 1, ci);
        opened = true;
      }
    } else if (c === C.QUOTE) value = readString();
    else if (c === C.MINUS || (c >= C.ZERO && c <= C.NINE)) value = readNumber();
    else if (c === 116 /* t */) value = literal('true', true);
    else if (c === 102 /* f */) value = literal('false', false);
    else if (c === 110 /* n */) value = literal('null', null);
    else fail(`expected a value (an object, list, string, number, true, false or null), found ${found(i)}.`);
    if (opened) continue;

    // Store `value` in its container; close containers while their closing bracket follows.
    let valueStart = start;
    for (;;) {
      const depth = stack.length - 1;
      if (depth < 0) {
        skip();
        if (i < n) fail(`expected the end of the file after the JSON value, found ${found(i)}.`);
        return value;
      }
      const top = stack[depth];
      const ci = infos[depth];
      skip();
      const d = text.charCodeAt(i);
      if (Array.isArray(top)) {
        top.push(value);
        if (ci) (ci.members as number[]).push(valueStart);
        if (d === C.COMMA) {
          i++;
          break;
        }
        if (d !== C.RBRACKET) fail(`expected "," or "]" after an item of the list, found ${found(i)}.`);
      } else {
        const key = keys[depth];
        if (key === '__proto__') Object.defineProperty(top, key, { value, enumerable: true, writable: true, configurable: true });
        else top[key] = value;
        if (ci) (ci.members as Map<string, number>).set(key, valueStart);
        if (d === C.COMMA) {
          i++;
          skip();
          readKey(top, depth, ci);
          break;
        }
        if (d !== C.RBRACE) fail(`expected "," or "}" after the value of ${JSON.stringify(key)}, found ${found(i)}.`);
      }
      i++;
      value = top;
      valueStart = ci ? ci.start : 0;
      stack.pop();
      infos.pop();
    }
  }
}
