import { describe, expect, it } from 'vitest';
import { PRINT_WIDTH, formatJson } from '../src';
import { SAMPLE_REGISTRY } from './helpers';

describe('formatJson', () => {
  it('reproduces the hand-written sample registry byte for byte', () => {
    expect(formatJson(JSON.parse(SAMPLE_REGISTRY))).toBe(SAMPLE_REGISTRY);
  });

  it.each([
    ['scalars', { a: 1, b: 'x', c: true, d: null }, '{\n  "a": 1,\n  "b": "x",\n  "c": true,\n  "d": null\n}\n'],
    ['empty containers', { a: [], b: {} }, '{\n  "a": [],\n  "b": {}\n}\n'],
    ['a short array of strings stays on one line', { env: ['dev', 'test'] }, '{\n  "env": ["dev", "test"]\n}\n'],
    ['an array of objects is expanded', { a: [{ k: 1 }] }, '{\n  "a": [\n    {\n      "k": 1\n    }\n  ]\n}\n'],
  ])('%s', (_title, value, expected) => {
    expect(formatJson(value)).toBe(expected);
  });

  it(`breaks an array of strings whose line would pass ${PRINT_WIDTH} columns, counting the trailing comma`, () => {
    // `  "k": [` + item + `],` : 2 + 5 + 1 + (len + 2) + 2 = len + 12 columns.
    const fits = 'x'.repeat(PRINT_WIDTH - 12);
    const tooLong = 'x'.repeat(PRINT_WIDTH - 11);
    expect(formatJson({ k: [fits], z: 0 })).toBe(`{\n  "k": ["${fits}"],\n  "z": 0\n}\n`);
    expect(formatJson({ k: [tooLong], z: 0 })).toBe(`{\n  "k": [\n    "${tooLong}"\n  ],\n  "z": 0\n}\n`);
    // without the comma (last field) one more character fits
    expect(formatJson({ k: [tooLong] })).toBe(`{\n  "k": ["${tooLong}"]\n}\n`);
  });
});
