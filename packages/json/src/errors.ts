/** A place in JSON text: 1-based line and column (UTF-16 code units, as SARIF's default `columnKind`), and the 0-based offset. */
export interface Position {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/** What kind of problem a {@link JsonError} is, for callers that branch on it (never on the message). */
export type JsonErrorKind = 'encoding' | 'syntax' | 'duplicate-key' | 'too-deep';

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
  readonly kind: JsonErrorKind;
  /** For a repeated key: the key. */
  readonly key?: string;

  constructor(file: string, reason: string, at: Position, kind: JsonErrorKind, key?: string) {
    super(`${file}:${at.line}:${at.column}: ${reason}`);
    this.file = file;
    this.reason = reason;
    this.line = at.line;
    this.column = at.column;
    this.offset = at.offset;
    this.kind = kind;
    if (key !== undefined) this.key = key;
  }
}

/**
 * The problem as the clause callers put after "cannot read <file>: ", without a final period:
 * `not valid JSON: line 3, column 5: expected "," or "}" after the value of "a", found "\""`,
 * `line 3, column 2: the key "Statement" appears twice in one object (...)`, or the encoding problem.
 */
export function jsonProblem(e: JsonError): string {
  const reason = e.reason.replace(/\.$/, '');
  if (e.kind === 'encoding') return reason;
  return `${e.kind === 'syntax' ? 'not valid JSON: ' : ''}line ${e.line}, column ${e.column}: ${reason}`;
}
