import * as fs from 'node:fs';
import * as path from 'node:path';
import { JsonError, jsonProblem, parseJson, readJson, type JsonDocument } from '@trustline/json';
import { detectInput, type InputFormat } from './detect';
import type { Subject } from '@trustline/trust-guard';

/** The FILE argument that means standard input. */
export const STDIN = '-';

/** A read and recognised input (with its positions when asked for), or why it is not. */
export type InputRead =
  | { readonly ok: true; readonly format: InputFormat; readonly subjects: Subject[]; readonly json?: JsonDocument }
  | { readonly ok: false; readonly problem: string; readonly position?: { readonly line: number; readonly column: number } };

export interface ReadInputOptions {
  /** Reads all of standard input, for the FILE `-`. */
  readonly stdin?: () => Uint8Array;
  /** Keep where each value sits in the text (SARIF locations); costs about twice the parse time. */
  readonly positions?: boolean;
}

/**
 * Reads `file` (relative to `cwd`; `-` is standard input) with the strict JSON reader (UTF-8 or UTF-16,
 * repeated keys and nesting beyond 512 levels refused) and detects its format. Never throws: a problem
 * comes back as the reason to print after "cannot read <file>: ", so one bad file never hides the others.
 */
export function readInput(file: string, cwd: string, options: ReadInputOptions = {}): InputRead {
  let bytes: Uint8Array;
  try {
    if (file === STDIN) {
      if (!options.stdin) return { ok: false, problem: 'standard input is not available here' };
      bytes = options.stdin();
    } else bytes = fs.readFileSync(path.resolve(cwd, file));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'it is a directory, not a file' : err.message;
    return { ok: false, problem: why };
  }
  let json: JsonDocument | undefined;
  let value: unknown;
  try {
    if (options.positions) value = (json = readJson(bytes, { file })).value;
    else value = parseJson(bytes, { file });
  } catch (e) {
    if (e instanceof JsonError) return { ok: false, problem: jsonProblem(e), ...(e.kind === 'encoding' ? {} : { position: { line: e.line, column: e.column } }) };
    throw e;
  }
  try {
    const detection = detectInput(value, file);
    return detection.ok && json ? { ...detection, json } : detection;
  } catch (e) {
    // Detection walks the value; whatever it trips on stays this file's problem, not the run's.
    return { ok: false, problem: `it could not be judged (${(e as Error).message})` };
  }
}
