/** A place in JSON text: 1-based line and column (UTF-16 code units, as SARIF's default `columnKind`), and the 0-based offset. */
export interface Position {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/**
 * JSON that cannot be read: not decodable, not valid JSON, a repeated key, or nested too deep.
 * The message is `<file>:<line>:<column>: <reason>`; the parts are fields, so callers can phrase their own.
 */
export class JsonError extends Error {
  override readonly name = 'JsonError';
  /** The file name the caller gave (used only in messages). */
  readonly file: string;
  /** What is wrong, as a sentence without the file and position. */
  readonly reason: string;
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  /** For a repeated key: the key. */
  readonly key?: string;

  constructor(file: string, reason: string, at: Position, key?: string) {
    super(`${file}:${at.line}:${at.column}: ${reason}`);
    this.file = file;
    this.reason = reason;
    this.line = at.line;
    this.column = at.column;
    this.offset = at.offset;
    if (key !== undefined) this.key = key;
  }
}
