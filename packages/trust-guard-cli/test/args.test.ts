import { describe, expect, it } from 'vitest';
import { parseArgs, type ArgSpec } from '../src/cli/args';

const SPEC: ArgSpec = { values: ['account', 'format'], flags: ['help', 'bootstrap'], repeatable: ['account'] };

describe('parseArgs (node:util parseArgs, strict, errors as sentences)', () => {
  it('reads values, flags, -h, repeatable lists and positionals after --', () => {
    expect(parseArgs(['--account', 'dev', '--format=json', '-h', '--account=prod', 'a.json', '--', '--bootstrap'], SPEC)).toEqual({
      options: { account: 'prod', format: 'json', help: true },
      lists: { account: ['dev', 'prod'] },
      positionals: ['a.json', '--bootstrap'],
    });
  });

  it('keeps the last value of an option that does not repeat', () => {
    expect(parseArgs(['--format', 'text', '--format', 'json'], SPEC).options).toEqual({ format: 'json' });
  });

  const bad: Array<[string, string[], string]> = [
    ['an unknown option, as typed', ['--verbose=1'], 'unknown option "--verbose=1"; known options: --account, --format, --help, --bootstrap.'],
    ['an unknown short option', ['-x'], 'unknown option "-x"; known options: --account, --format, --help, --bootstrap.'],
    ['a value option at the end', ['--format'], 'option --format needs a value.'],
    ['a value option followed by another option', ['--format', '--bootstrap'], 'option --format needs a value.'],
    ['an empty value after =', ['--account='], 'option --account needs a value.'],
    ['an empty value', ['--format', ''], 'option --format needs a value.'],
    ['a flag with a value', ['--bootstrap=yes'], 'option --bootstrap takes no value (got "--bootstrap=yes").'],
  ];
  it.each(bad)('rejects %s', (_name, argv, message) => {
    expect(() => parseArgs(argv, SPEC)).toThrow(new Error(message));
  });
});
