import { type JsonError, type JsonDocument, type PathSegment } from '@trustline/json';

/**
 * One fault in a snapshot's input: the file, where in it (1-based line and column, when the file could be
 * read as JSON), and a sentence that names the field and value and says what is allowed. A snapshot reader
 * never throws on bad input and never drops a fault: every one comes back as one of these.
 */
export interface SnapshotProblem {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  /** The account the fault is about, when there is one (a missing or truncated account file). */
  readonly accountId?: string;
  /** For a policy document that could not be read: its id (the role's ARN for a trust policy, the managed policy ARN, `<principal ARN>#inline/<name>`). */
  readonly document?: string;
  readonly message: string;
}

/** `organization.json:12:7: message`, or `file: message` when there is no position. */
export function formatProblem(p: SnapshotProblem): string {
  return `${p.file}${p.line !== undefined ? `:${p.line}:${p.column ?? 1}` : ''}: ${p.message}`;
}

/** A problem at a place in a parsed document: the value at `path`, else the nearest enclosing value that exists. */
export function problemAt(doc: JsonDocument, file: string, path: readonly PathSegment[], message: string, accountId?: string): SnapshotProblem {
  for (let n = path.length; n >= 0; n--) {
    const at = doc.positions.at(path.slice(0, n));
    if (at !== undefined) return { file, line: at.line, column: at.column, message, ...(accountId !== undefined && { accountId }) };
  }
  return { file, message, ...(accountId !== undefined && { accountId }) };
}

/** The problem for JSON the strict reader refused (syntax, a key given twice, encoding, nesting). */
export function jsonErrorProblem(e: JsonError, file: string, what: string, accountId?: string): SnapshotProblem {
  const reason = e.reason.replace(/\.$/, '');
  const message =
    e.kind === 'duplicate-key'
      ? `${what} repeats a key in one object (${reason}); JSON readers disagree on which value counts, so nothing in it is judged. Write each key once.`
      : e.kind === 'encoding'
        ? `${what} cannot be decoded (${reason}); write it as UTF-8 or UTF-16.`
        : `${what} is not valid JSON (${reason}); nothing in it is judged.`;
  return { file, ...(e.kind === 'encoding' ? {} : { line: e.line, column: e.column }), message, ...(accountId !== undefined && { accountId }) };
}
