import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_DEPTH, JsonError, jsonProblem, offsetInStringLiteral, parseJson, readJson } from '../src';

const opts = { file: 'in.json' };
const error = (input: Uint8Array | string, options: { file: string; maxDepth?: number } = opts): JsonError => {
  try {
    parseJson(input, options);
  } catch (e) {
    expect(e).toBeInstanceOf(JsonError);
    return e as JsonError;
  }
  throw new Error(`expected ${JSON.stringify(String(input)).slice(0, 60)} to be refused`);
};

describe('agrees with JSON.parse on valid JSON', () => {
  it('on arbitrary JSON values, compact and indented', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2, '\t'), (v, indent) => {
        const text = JSON.stringify(v, null, indent);
        expect(parseJson(text, opts)).toStrictEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it('on unicode strings with every escape JSON.stringify writes (lone surrogates included)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' })), (v) => {
        const text = JSON.stringify(v);
        expect(parseJson(text, opts)).toStrictEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('on numbers in every grammar form', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.nat(), fc.option(fc.nat()), fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.nat(400))), (neg, int, frac, exp) => {
        const text = `${neg ? '-' : ''}${int}${frac === null ? '' : `.${frac}`}${exp === null ? '' : exp.join('')}`;
        expect(parseJson(text, opts)).toBe(JSON.parse(text));
      }),
    );
  });

  it('refuses what JSON.parse refuses (random text built from JSON characters)', () => {
    const alphabet = fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', 'a', '1', '0', '-', '.', 'e', ' ', '\n', 'true', 'null', 'u00');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 14 }).map((xs) => xs.join('')), (text) => {
        let native: unknown;
        try {
          native = { ok: JSON.parse(text) };
        } catch {
          native = 'refused';
        }
        let ours: unknown;
        try {
          ours = { ok: parseJson(text, opts) };
        } catch (e) {
          // Repeated keys are the one thing we refuse on purpose where JSON.parse keeps the last.
          ours = (e as JsonError).key !== undefined ? native : 'refused';
        }
        expect(ours).toStrictEqual(native);
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps "__proto__" as an own key, as JSON.parse does', () => {
    const v = parseJson('{"__proto__": {"polluted": true}}', opts) as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
  });
});

describe('refuses repeated keys at any depth, with file, line, column and key', () => {
  it('the silent pass of issue 10: a second Statement hides the first', () => {
    const text = '{"Version":"2012-10-17",\n "Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}],\n "Statement":[]}';
    expect(JSON.parse(text).Statement).toEqual([]);
    const e = error(text);
    expect(e.key).toBe('Statement');
    expect([e.line, e.column]).toEqual([3, 2]);
    expect(e.message).toBe(
      'in.json:3:2: the key "Statement" appears twice in one object (first at line 2, column 2); JSON readers disagree on which value counts (JavaScript keeps the last, others the first), so the file is refused. Write each key once.',
    );
  });

  it('deep inside, and when the two spellings differ only by escapes', () => {
    expect(error('{"a":[{"b":{"c":1,"c":2}}]}').key).toBe('c');
    const e = error('{"x":{"Principal":1,"Princip\\u0061l":2}}');
    expect(e.key).toBe('Principal');
    expect(e.column).toBe(21);
  });

  it('keys equal in different objects are fine', () => {
    expect(parseJson('[{"a":1},{"a":2},{"b":{"a":3}}]', opts)).toEqual([{ a: 1 }, { a: 2 }, { b: { a: 3 } }]);
  });
});

describe('syntax errors name the file, line and column', () => {
  it.each([
    ['{"a":1,}', 1, 8, 'expected a key in double quotes, found "}".'],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, 'expected "," or "}" after the value of "a", found "\\"".'],
    ['[1,\r\n 2,\r\n x]', 3, 2, 'expected a value (an object, list, string, number, true, false or null), found "x".'],
    ['{"id": 012345678901}', 1, 8, 'a number may not start with 0 followed by more digits (write 7, not 07; quote ids such as "012345678901").'],
    ['["a\nb"]', 1, 4, 'a string may not contain a line break; write it as an escape (\\n, \\t, \\u00XX) or close the string with ".'],
    ['["\\x"]', 1, 3, '"\\\\x" is not a JSON escape; use \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX.'],
    ['{"a": tru}', 1, 7, 'expected a value (an object, list, string, number, true, false or null), found "t".'],
    ['{} {}', 1, 4, 'expected the end of the file after the JSON value, found "{".'],
    ['  ', 1, 3, 'the input is empty; expected a JSON value.'],
    ['[1', 1, 3, 'expected "," or "]" after an item of the list, found the end of the file.'],
  ])('%j', (text, line, column, reason) => {
    const e = error(text);
    expect(e.reason).toBe(reason);
    expect([e.line, e.column]).toEqual([line, column]);
    expect(e.message).toBe(`in.json:${line}:${column}: ${reason}`);
  });
});

describe('nesting: no recursion, and a documented limit', () => {
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  it(`refuses more than ${DEFAULT_MAX_DEPTH} levels by default, saying where`, () => {
    expect(() => parseJson(deep(DEFAULT_MAX_DEPTH), opts)).not.toThrow();
    const e = error(deep(5000));
    expect(e.reason).toMatch(/^arrays and objects nest more than 512 levels deep here/);
    expect([e.line, e.column]).toEqual([1, DEFAULT_MAX_DEPTH + 1]);
  });

  it('reads 200,000 levels without a RangeError when the limit is lifted', () => {
    let v = parseJson(`${'{"a":['.repeat(100_000)}1${']}'.repeat(100_000)}`, { file: 'deep.json', maxDepth: Infinity });
    let depth = 0;
    while (typeof v === 'object' && v !== null) {
      v = Array.isArray(v) ? v[0] : (v as { a: unknown }).a;
      depth++;
    }
    expect([depth, v]).toEqual([200_000, 1]);
  });
});

describe('encodings', () => {
  const doc = '{"name":"Zoë ✓","n":[1,2]}';
  const expected = { name: 'Zoë ✓', n: [1, 2] };
  const utf16be = (s: string) => {
    const le = Buffer.from(s, 'utf16le');
    for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
    return le;
  };
  it.each([
    ['UTF-8', Buffer.from(doc, 'utf8'), 'utf-8'],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(doc, 'utf8')]), 'utf-8 with BOM'],
    ['UTF-16 LE with BOM (PowerShell >)', Buffer.from(`\ufeff${doc}`, 'utf16le'), 'utf-16le'],
    ['UTF-16 BE with BOM', utf16be(`\ufeff${doc}`), 'utf-16be'],
    ['UTF-16 LE without BOM', Buffer.from(doc, 'utf16le'), 'utf-16le'],
    ['text with a BOM', `\ufeff${doc}`, 'text'],
  ])('%s', (_name, input, encoding) => {
    const d = readJson(input, opts);
    expect(d.value).toEqual(expected);
    expect(d.encoding).toBe(encoding);
  });

  it('refuses bytes that are not UTF-8, naming the byte and line', () => {
    const e = error(Buffer.from([0x7b, 0x0a, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]));
    expect(e.message).toBe('in.json:2:1: byte 7 (0xe9, line 2) is not valid UTF-8; save the file as UTF-8 (or UTF-16 with a byte-order mark).');
  });

  it('refuses UTF-16 cut short', () => {
    expect(error(Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d])).reason).toMatch(/looks like UTF-16 but has an odd number of bytes \(3\)/);
  });

  it('gives positions in the decoded text of UTF-16 input', () => {
    const d = readJson(Buffer.from('\ufeff{\r\n  "a": [true]\r\n}', 'utf16le'), opts);
    expect(d.positions.at('/a/0')).toEqual({ line: 2, column: 9, offset: 11 });
  });
});

describe('positions', () => {
  const text = ['{', '  "Version": "2012-10-17",', '  "Statement": [', '    {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111111111111:role/a", "*"]}},', '    {"a/b": {"~": 1}}', '  ]', '}'].join('\n');
  const d = readJson(text, opts);
  const doc = d.value as { Statement: [{ Principal: { AWS: string[] } }, unknown] };

  it('of any value by JSON pointer or path', () => {
    expect(d.positions.at('')).toEqual({ line: 1, column: 1, offset: 0 });
    expect(d.positions.at('/Version')).toMatchObject({ line: 2, column: 14 });
    expect(d.positions.at('/Statement/0/Principal/AWS/1')).toMatchObject({ line: 4, column: 83 });
    expect(d.positions.at(['Statement', 0, 'Principal'])).toMatchObject({ line: 4, column: 38 });
    expect(d.positions.at('/Statement/1/a~1b/~0')).toMatchObject({ line: 5, column: 19 });
    expect(d.positions.at('/Statement/7')).toBeUndefined();
    expect(d.positions.at('/Nope/0')).toBeUndefined();
    expect(d.positions.at('Statement')).toBeUndefined();
  });

  it('of containers by identity, members by container and key, keys themselves', () => {
    expect(d.positions.of(doc.Statement)).toMatchObject({ line: 3, column: 16 });
    expect(d.positions.of(doc.Statement[0])).toMatchObject({ line: 4, column: 5 });
    expect(d.positions.member(doc.Statement[0].Principal.AWS, 0)).toMatchObject({ line: 4, column: 47 });
    expect(d.positions.key(doc.Statement[0], 'Principal')).toMatchObject({ line: 4, column: 25 });
    expect(d.positions.of({})).toBeUndefined();
  });

  it('inside a document embedded as a JSON string (a Pulumi assumeRolePolicy)', () => {
    const inner = '{"Statement":[{"Principal":{"AWS":"*"}}]}';
    const outer = `{"inputs": {\n  "assumeRolePolicy": ${JSON.stringify(inner)}}}`;
    const o = readJson(outer, opts);
    const literal = o.positions.at('/inputs/assumeRolePolicy');
    const embedded = readJson(inner, opts).positions.at('/Statement/0/Principal/AWS');
    const offset = offsetInStringLiteral(outer, literal!.offset, embedded!.offset);
    expect(outer.slice(offset, offset + 5)).toBe('\\"*\\"');
    expect(o.positions.position(offset)).toMatchObject({ line: 2, column: 64 });
  });
});

describe('jsonProblem: the clause every reader prints after "cannot read <file>: "', () => {
  it.each([
    ['{"a":1,}', 'syntax', 'not valid JSON: line 1, column 8: expected a key in double quotes, found "}"'],
    ['{"a":1,\n"a":2}', 'duplicate-key', 'line 2, column 1: the key "a" appears twice in one object (first at line 1, column 2); JSON readers disagree on which value counts (JavaScript keeps the last, others the first), so the file is refused. Write each key once'],
    ['[[[]]]', 'too-deep', 'line 1, column 3: arrays and objects nest more than 2 levels deep here; no policy, registry or Pulumi file needs that, so the input is refused. Flatten the document'],
    [Buffer.from([0xff, 0xfe, 0x7b]), 'encoding', 'the file looks like UTF-16 but has an odd number of bytes (1); it is cut short or not UTF-16. Save it as UTF-8'],
  ])('%s', (input, kind, problem) => {
    const e = error(input, { file: 'f.json', maxDepth: 2 });
    expect(e.kind).toBe(kind);
    expect(jsonProblem(e)).toBe(problem);
  });
});
