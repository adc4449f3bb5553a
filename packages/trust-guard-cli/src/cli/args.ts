import { parseArgs as parseNodeArgs, type ParseArgsConfig } from 'node:util';

/** Options and positional arguments of one subcommand. */
export interface ParsedArgs {
  /** Each option's value (the last one given), or `true` for a flag. */
  readonly options: Readonly<Record<string, string | true>>;
  /** Every value of each repeatable option, in the order given. */
  readonly lists: Readonly<Record<string, readonly string[]>>;
  readonly positionals: readonly string[];
}

/** What a subcommand accepts: options taking a value, boolean flags, and which value options may repeat. */
export interface ArgSpec {
  readonly values: readonly string[];
  readonly flags: readonly string[];
  /** Value options that may be given more than once (`--account dev --account prod`); all values are kept. */
  readonly repeatable?: readonly string[];
}

type NodeOptions = NonNullable<ParseArgsConfig['options']>;

/**
 * Strict argument parsing with `node:util` `parseArgs`: `--name value`, `--name=value` and boolean `--flag`
 * (`-h` for `--help`); `--` ends options. A repeatable option collects every value in `lists` (like
 * `npm start --project a --project b`); `options` holds the last value of each.
 * Throws a sentence naming the option on anything unknown or missing its value (parseArgs' own errors are
 * reworded: they name the option but not what the subcommand allows).
 */
export function parseArgs(argv: readonly string[], spec: ArgSpec): ParsedArgs {
  const config: NodeOptions = {};
  for (const name of spec.values) config[name] = { type: 'string', multiple: spec.repeatable?.includes(name) ?? false };
  for (const name of spec.flags) config[name] = name === 'help' ? { type: 'boolean', short: 'h' } : { type: 'boolean' };
  let parsed;
  try {
    parsed = parseNodeArgs({ args: [...argv], options: config, strict: true, allowPositionals: true, tokens: true });
  } catch (error) {
    throw new Error(reword(error, argv, config, spec));
  }
  const options: Record<string, string | true> = {};
  const lists: Record<string, string[]> = {};
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') continue;
    if (token.value === undefined) {
      options[token.name] = true;
      continue;
    }
    // parseArgs accepts an empty value (`--config=`, `--config ""`); no option here means anything by it.
    if (token.value === '') throw new Error(`option --${token.name} needs a value.`);
    options[token.name] = token.value;
    if (spec.repeatable?.includes(token.name)) (lists[token.name] ??= []).push(token.value);
  }
  return { options, lists, positionals: parsed.positionals };
}

/** The sentence for a `parseArgs` error: found again from the lenient parse's tokens, so it names the argument as typed. */
function reword(error: unknown, argv: readonly string[], config: NodeOptions, spec: ArgSpec): string {
  const { tokens } = parseNodeArgs({ args: [...argv], options: config, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const typed = token.rawName.startsWith('--') ? argv[token.index] : token.rawName;
    const option = config[token.name];
    if (option === undefined) {
      const known = [...spec.values, ...spec.flags].map((o) => `--${o}`).join(', ');
      return `unknown option ${JSON.stringify(typed)}; known options: ${known}.`;
    }
    if (option.type === 'boolean' && token.value !== undefined) return `option --${token.name} takes no value (got ${JSON.stringify(typed)}).`;
    // A value option at the end, or followed by another option (parseArgs calls that ambiguous).
    if (option.type === 'string' && (token.value === undefined || (!token.inlineValue && token.value.startsWith('-')))) return `option --${token.name} needs a value.`;
  }
  return (error as Error).message;
}
