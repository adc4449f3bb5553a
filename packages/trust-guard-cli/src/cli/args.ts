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

/**
 * A small, strict argument parser: `--name value`, `--name=value` and boolean `--flag`; `--` ends options.
 * A repeatable option collects every value in `lists` (like `npm start --project a --project b`).
 * Throws a sentence naming the option on anything unknown or missing its value.
 */
export function parseArgs(argv: readonly string[], spec: ArgSpec): ParsedArgs {
  const options: Record<string, string | true> = {};
  const lists: Record<string, string[]> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = (eq === -1 ? arg : arg.slice(0, eq)).replace(/^--?/, '');
    const normalised = name === 'h' ? 'help' : name;
    if (spec.flags.includes(normalised)) {
      if (eq !== -1) throw new Error(`option --${normalised} takes no value (got ${JSON.stringify(arg)}).`);
      options[normalised] = true;
    } else if (spec.values.includes(normalised)) {
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined || value === '') throw new Error(`option --${normalised} needs a value.`);
      if (spec.repeatable?.includes(normalised)) (lists[normalised] ??= []).push(value);
      options[normalised] = value;
    } else {
      const known = [...spec.values, ...spec.flags].map((o) => `--${o}`).join(', ');
      throw new Error(`unknown option ${JSON.stringify(arg)}; known options: ${known}.`);
    }
  }
  return { options, lists, positionals };
}
