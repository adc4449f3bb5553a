/** Lines longer than this are broken, as Prettier's default `printWidth` does. */
export const PRINT_WIDTH = 80;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isContainer = (v: unknown): boolean => typeof v === 'object' && v !== null;

/**
 * Serialises JSON the way the registry file is written by hand (and by Prettier): 2-space indent,
 * objects always expanded, arrays of scalars on one line when that line fits in {@link PRINT_WIDTH},
 * and a trailing newline. Re-serialising an unchanged registry therefore reproduces it byte for byte,
 * so adding an account shows up in review as the added lines only.
 */
export function formatJson(value: unknown): string {
  return `${print(value as Json, 0, '', '')}\n`;
}

/** `prefix` is what precedes the value on its line (`"key": `), `suffix` what follows it (`,`). */
function print(value: Json, indent: number, prefix: string, suffix: string): string {
  const pad = ' '.repeat(indent);
  const inner = ' '.repeat(indent + 2);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (!value.some(isContainer)) {
      const flat = `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
      if (pad.length + prefix.length + flat.length + suffix.length <= PRINT_WIDTH) return flat;
    }
    const items = value.map((v, i) => inner + print(v, indent + 2, '', i < value.length - 1 ? ',' : ''));
    return `[\n${items.join(',\n')}\n${pad}]`;
  }
  if (isContainer(value)) {
    const entries = Object.entries(value as Record<string, Json>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const lines = entries.map(([k, v], i) => {
      const key = `${JSON.stringify(k)}: `;
      return inner + key + print(v, indent + 2, key, i < entries.length - 1 ? ',' : '');
    });
    return `{\n${lines.join(',\n')}\n${pad}}`;
  }
  return JSON.stringify(value);
}
