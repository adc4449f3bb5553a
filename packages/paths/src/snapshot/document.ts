import { JsonError, parseJson, type JsonDocument, type PathSegment } from '@trustline/json';
import { isObj } from '@trustline/trust';
import { problemAt, type SnapshotProblem } from './problems';

/** A policy document embedded in an input file, read: the object, or the value as found with the fault. */
export interface EmbeddedDocument {
  /** The document as an object when it could be read; otherwise the value as found (the engine reports it again, never passes it). */
  readonly document: unknown;
  readonly problem?: SnapshotProblem;
}

/**
 * Reads a policy document as the APIs hand it out: an object, JSON text, or URL-encoded JSON text
 * (`get-account-authorization-details` returns `%7B%22Version%22...`). Text is read with the strict JSON
 * reader, so a key repeated inside the document is a fault too, with its line and column in the decoded
 * text; the problem itself sits at the document's place in `file`.
 */
export function readEmbeddedDocument(value: unknown, doc: JsonDocument, file: string, path: readonly PathSegment[], what: string, accountId?: string, owner?: string): EmbeddedDocument {
  const fault = (message: string): EmbeddedDocument => ({ document: value, problem: { ...problemAt(doc, file, path, message, accountId), ...(owner !== undefined && { document: owner }) } });
  if (isObj(value)) return { document: value };
  if (typeof value !== 'string') return fault(`${what} ${JSON.stringify(value) ?? String(value)} is not a policy document; write a JSON object with "Version" and "Statement", or its JSON text (URL-encoded as the API returns it).`);
  let text = value;
  const encoded = text.trimStart().startsWith('%');
  if (encoded) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return fault(`${what} is URL-encoded but does not decode (a malformed %-escape); nothing in it is judged.`);
    }
  }
  try {
    const parsed = parseJson(text, { file });
    if (!isObj(parsed)) return fault(`${what} is JSON text but not an object (${JSON.stringify(parsed).slice(0, 60)}); write a policy document with "Version" and "Statement".`);
    return { document: parsed };
  } catch (e) {
    if (!(e instanceof JsonError)) throw e;
    const inner = `line ${e.line}, column ${e.column} of the ${encoded ? 'URL-decoded ' : ''}document`;
    const reason = e.reason.replace(/\.$/, '');
    return fault(
      e.kind === 'duplicate-key'
        ? `${what} repeats a key in one object at ${inner} (${reason}); JSON readers disagree on which value counts, so it is not judged. Write each key once.`
        : `${what} does not parse at ${inner} (${reason}); nothing in it is judged.`,
    );
  }
}
