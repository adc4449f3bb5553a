import { offsetInStringLiteral, readJson, type JsonDocument, type PathSegment, type Position } from '@trustline/json';
import type { LocatedFinding, Subject } from '@trustline/trust-guard';
import { isObj } from '@trustline/trust';


/**
 * Where in its input file a finding sits: the principal when the finding names one, else its statement,
 * else the document, else the resource. Works for documents held as objects (a policy file, an aws-native
 * role) and as JSON strings (a Pulumi `assumeRolePolicy`), whose inner positions are mapped back through
 * the string's escapes. Undefined when the file has no place for it (never a guess at line 1).
 */
export function locateFinding(json: JsonDocument, subjects: readonly Subject[], finding: LocatedFinding, urn: string | undefined): Position | undefined {
  const subject = subjects.find((s) => s.location === finding.location);
  const resource = resourceObject(json.value, urn);
  if (!subject) {
    // Findings about the resource rather than a document (maxSessionDuration): the field, else the resource.
    const field = resource === undefined ? undefined : findMember(resource, (key) => key.toLowerCase() === finding.location.toLowerCase());
    return field ? json.positions.member(field.parent, field.key) : json.positions.of(resource);
  }
  if (isObj(subject.document) || Array.isArray(subject.document)) {
    const path = pathInDocument(subject.document, finding);
    return resolve(path, (p) => positionInContainer(json, subject.document, p)) ?? json.positions.of(resource);
  }
  if (typeof subject.document !== 'string' || resource === undefined) return json.positions.of(resource);
  const holder = findMember(resource, (_key, value) => value === subject.document);
  if (!holder) return json.positions.of(resource);
  const literal = json.positions.member(holder.parent, holder.key);
  if (!literal || json.text.charCodeAt(literal.offset) !== 34) return literal;
  let inner: JsonDocument;
  try {
    inner = readJson(subject.document, { file: 'document' });
  } catch {
    return literal; // URL-encoded or not JSON: the analyzer reported it; point at the string.
  }
  const at = resolve(pathInDocument(inner.value, finding), (p) => inner.positions.at(p));
  return at ? json.positions.position(offsetInStringLiteral(json.text, literal.offset, at.offset)) : literal;
}

/** Tries the path, then each shorter prefix, so a finding lands on the most specific place that exists. */
function resolve(path: readonly PathSegment[], at: (p: readonly PathSegment[]) => Position | undefined): Position | undefined {
  for (let n = path.length; n >= 0; n--) {
    const p = at(path.slice(0, n));
    if (p) return p;
  }
  return undefined;
}

function positionInContainer(json: JsonDocument, root: unknown, path: readonly PathSegment[]): Position | undefined {
  if (path.length === 0) return json.positions.of(root);
  let container: unknown = root;
  for (const segment of path.slice(0, -1)) {
    container = Array.isArray(container) ? container[segment as number] : isObj(container) ? container[segment] : undefined;
  }
  return json.positions.member(container, path[path.length - 1]);
}

/** The path of the finding's principal (or statement) inside the document, as the analyzer numbered it. */
export function pathInDocument(doc: unknown, finding: Pick<LocatedFinding, 'statementIndex' | 'principal'>): PathSegment[] {
  if (finding.statementIndex === null || !isObj(doc)) return [];
  const raw = doc.Statement;
  const i = finding.statementIndex;
  const base: PathSegment[] = Array.isArray(raw) ? ['Statement', i] : i === 0 ? ['Statement'] : [];
  const statement = Array.isArray(raw) ? raw[i] : raw;
  if (!isObj(statement) || finding.principal === undefined) return base;
  const field = 'Principal' in statement ? 'Principal' : 'NotPrincipal' in statement ? 'NotPrincipal' : undefined;
  if (field === undefined) return base;
  const principal = statement[field];
  const sep = finding.principal.indexOf('::');
  if (sep < 0 || !isObj(principal)) return [...base, field];
  const type = finding.principal.slice(0, sep);
  const value = finding.principal.slice(sep + 2);
  const named = principal[type];
  if (named === undefined) return [...base, field];
  const index = Array.isArray(named) ? named.indexOf(value) : -1;
  return index >= 0 ? [...base, field, type, index] : [...base, field, type];
}

/** The object describing the resource with this URN or ARN (a preview step, an export resource, an IAM role); the root without one. */
function resourceObject(root: unknown, urn: string | undefined): unknown {
  if (urn === undefined) return root;
  const found = findMember(root, (key, value) => (key === 'urn' || key === 'Arn') && value === urn);
  return found ? found.parent : root;
}

/** The first member (breadth-first, no recursion) inside `root` whose key and value satisfy `match`. */
function findMember(root: unknown, match: (key: string, value: unknown) => boolean): { parent: object; key: PathSegment } | undefined {
  const queue: unknown[] = [root];
  for (let q = 0; q < queue.length; q++) {
    const c = queue[q];
    if (Array.isArray(c)) {
      for (let i = 0; i < c.length; i++) {
        if (match(String(i), c[i])) return { parent: c, key: i };
        if (typeof c[i] === 'object' && c[i] !== null) queue.push(c[i]);
      }
    } else if (isObj(c)) {
      for (const key of Object.keys(c)) {
        if (match(key, c[key])) return { parent: c, key };
        if (typeof c[key] === 'object' && c[key] !== null) queue.push(c[key]);
      }
    }
  }
  return undefined;
}
