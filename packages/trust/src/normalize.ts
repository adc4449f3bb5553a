import { ALL_TRUST_ACTIONS, actionBits, sharedActionNames } from './actions';
import { parseOperator } from './conditions';
import type { Effect, NormalizedCondition, NormalizedPolicy, NormalizedPrincipal, NormalizedStatement, PolicyProblem } from './model';
import { classifyPrincipal } from './principals';
import { isObj } from './values';

type Obj = Record<string, unknown>;
const EMPTY: readonly never[] = Object.freeze([]);
const STATEMENT_FIELDS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const DOCUMENT_FIELDS = new Set(['Version', 'Id', 'Statement']);
const WILDCARD = /[*?]/;
/** Object keys the normaliser has visited in the current document (for {@link mayRepeatKeys}). */
let keysVisited = 0;

/** Shortens a quoted value so that a huge input cannot blow up a message. */
export function quote(v: unknown): string {
  let s: string | undefined;
  try {
    s = v === undefined ? 'undefined' : JSON.stringify(v);
  } catch {
    s = undefined;
  }
  if (s === undefined) {
    // Cyclic or too deeply nested for JSON.stringify (String() of a deep array overflows the stack too).
    try {
      s = typeof v === 'object' && v !== null ? (Array.isArray(v) ? '[...]' : '{...}') : String(v);
    } catch {
      s = typeof v;
    }
  }
  return s.length > 120 ? s.slice(0, 117) + '...' : s;
}

const isWhitespace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;

/**
 * Cheap exact pre-check for {@link repeatedKey}: false only when the text cannot repeat a key. Every key
 * ends with an unescaped quote, optional whitespace and a colon, so counting the colons preceded that way
 * gives at least the number of keys written (a colon inside a string counts only right after the string's
 * opening quote, which errs toward the full scan). `distinctKeys` is at most the number of distinct keys
 * of the parsed value: the normaliser counts the keys it visits, so objects it never looks into only make
 * the counts differ. Equal counts mean no key collapsed.
 */
export function mayRepeatKeys(text: string, distinctKeys: number): boolean {
  let written = 0;
  for (let i = text.indexOf(':'); i >= 0; i = text.indexOf(':', i + 1)) {
    let q = i - 1;
    while (q >= 0 && isWhitespace(text.charCodeAt(q))) q--;
    if (q < 0 || text.charCodeAt(q) !== 34 /* " */) continue;
    let b = q - 1;
    while (b >= 0 && text.charCodeAt(b) === 92 /* \ */) b--;
    if (((q - 1 - b) & 1) === 0) written++;
  }
  return written !== distinctKeys;
}

/**
 * The first key that some object of `text` (already known to be valid JSON) repeats, or undefined.
 * JSON.parse keeps the last value of a repeated key; other parsers keep the first or refuse the text,
 * so `{"Principal": {"AWS": "*"}, "Principal": {"AWS": "<role>"}}` would be judged on a value IAM may
 * not use. One linear pass over the text; keys with escapes are decoded before they are compared.
 */
export function repeatedKey(text: string): string | undefined {
  const escapes = text.includes('\\');
  const stack: (string[] | Set<string> | null)[] = [];
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      let j: number;
      if (!escapes) j = text.indexOf('"', i + 1);
      else {
        j = i + 1;
        while (text.charCodeAt(j) !== 34) j += text.charCodeAt(j) === 92 ? 2 : 1;
      }
      let k = j + 1;
      while (k < n && isWhitespace(text.charCodeAt(k))) k++;
      const top = stack.length === 0 ? null : stack[stack.length - 1];
      if (text.charCodeAt(k) === 58 /* : */ && top !== null) {
        const raw = text.slice(i + 1, j);
        const key = escapes && raw.includes('\\') ? (JSON.parse(text.slice(i, j + 1)) as string) : raw;
        if (Array.isArray(top)) {
          if (top.includes(key)) return key;
          top.push(key);
          if (top.length > 16) stack[stack.length - 1] = new Set(top);
        } else {
          if (top.has(key)) return key;
          top.add(key);
        }
        i = k;
      } else i = j;
    } else if (c === 123 /* { */) stack.push([]);
    else if (c === 91 /* [ */) stack.push(null);
    else if (c === 125 /* } */ || c === 93 /* ] */) stack.pop();
  }
  return undefined;
}

/**
 * Turns the input into a plain value: objects pass through; strings are JSON, or URL-encoded JSON the
 * way IAM's GetRole returns `AssumeRolePolicyDocument` (`%7B%22Version%22...`).
 */
function decode(doc: unknown, problems: PolicyProblem[], source: { text: string | undefined }): unknown {
  if (typeof doc !== 'string') return doc;
  let text = doc;
  let i = 0;
  while (i < text.length && (text.charCodeAt(i) <= 32)) i++;
  if (text.charCodeAt(i) === 37 /* % */) {
    try {
      text = decodeURIComponent(text);
    } catch {
      problems.push({ statementIndex: null, field: 'Document', message: `The policy document ${quote(doc)} is URL-encoded but does not decode (malformed %-escape).` });
      return undefined;
    }
  }
  try {
    const parsed: unknown = JSON.parse(text);
    // A JSON string holding the JSON document (double-encoded, as some tools store it).
    if (typeof parsed === 'string' && parsed !== doc) return decode(parsed, problems, source);
    source.text = text;
    return parsed;
  } catch (e) {
    problems.push({
      statementIndex: null,
      field: 'Document',
      message: `The policy document is not valid JSON (${(e as Error).message}); it starts with ${quote(text.slice(0, 40))}.`,
    });
    return undefined;
  }
}

function toStringList(v: unknown): string[] | undefined {
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v)) return undefined;
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') return undefined;
  return v as string[];
}

function conditionValues(v: unknown): string[] | undefined {
  const t = typeof v;
  if (t === 'string') return [v as string];
  if (t === 'number' || t === 'boolean') return [String(v)];
  if (!Array.isArray(v)) return undefined;
  const out: string[] = new Array<string>(v.length);
  for (let i = 0; i < v.length; i++) {
    const e: unknown = v[i];
    const et = typeof e;
    if (et === 'string') out[i] = e as string;
    else if (et === 'number' || et === 'boolean') out[i] = String(e);
    else return undefined;
  }
  return out;
}

function principals(raw: unknown, field: string, index: number, problems: PolicyProblem[]): NormalizedPrincipal[] {
  if (raw === '*') return [classifyPrincipal('*', '*')];
  if (typeof raw === 'string') {
    problems.push({ statementIndex: index, field, message: `Statement ${index}: ${field} ${quote(raw)} must be "*" or an object such as {"AWS": "arn:aws:iam::111111111111:role/name"}.` });
    return [classifyPrincipal('AWS', raw)];
  }
  if (!isObj(raw)) {
    problems.push({ statementIndex: index, field, message: `Statement ${index}: ${field} ${quote(raw)} must be "*" or an object with AWS, Federated, Service or CanonicalUser keys.` });
    return [];
  }
  const out: NormalizedPrincipal[] = [];
  for (const type in raw) {
    keysVisited++;
    const v = raw[type];
    if (typeof v === 'string') out.push(classifyPrincipal(type, v));
    else if (typeof v === 'number') out.push(classifyPrincipal(type, String(v)));
    else if (Array.isArray(v)) {
      if (v.length === 0) problems.push({ statementIndex: index, field, message: `Statement ${index}: ${field}.${type} is an empty list; name at least one principal.` });
      for (const e of v) {
        if (typeof e === 'string') out.push(classifyPrincipal(type, e));
        else if (typeof e === 'number') out.push(classifyPrincipal(type, String(e)));
        else problems.push({ statementIndex: index, field, message: `Statement ${index}: ${field}.${type} value ${quote(e)} is not a string; write principals as strings.` });
      }
    } else {
      problems.push({ statementIndex: index, field, message: `Statement ${index}: ${field}.${type} ${quote(v)} must be a string or a list of strings.` });
    }
  }
  if (out.length === 0 && Object.keys(raw).length === 0) {
    problems.push({ statementIndex: index, field, message: `Statement ${index}: ${field} {} names no principal.` });
  }
  return out;
}

function conditions(raw: unknown, index: number, problems: PolicyProblem[]): NormalizedCondition[] {
  if (!isObj(raw)) {
    problems.push({ statementIndex: index, field: 'Condition', message: `Statement ${index}: Condition ${quote(raw)} must be an object such as {"StringEquals": {"aws:PrincipalOrgID": "o-..."}}.` });
    return [];
  }
  const out: NormalizedCondition[] = [];
  for (const operator in raw) {
    keysVisited++;
    const block = raw[operator];
    if (!isObj(block)) {
      problems.push({ statementIndex: index, field: 'Condition', message: `Statement ${index}: Condition.${operator} ${quote(block)} must be an object mapping condition keys to values.` });
      continue;
    }
    const op = parseOperator(operator);
    if (op.baseOperator === undefined) {
      problems.push({ statementIndex: index, field: 'Condition', message: `Statement ${index}: Condition operator ${quote(operator)} is not an IAM condition operator (for example StringEquals, StringLike, ArnLike, Bool, Null, with optional IfExists and ForAnyValue:/ForAllValues:).` });
    }
    const blockStart = out.length;
    let lowered: Set<string> | undefined;
    for (const key in block) {
      keysVisited++;
      const lower = key.toLowerCase();
      // IAM compares condition keys case-insensitively and refuses a key repeated in another letter case.
      let repeated: string | undefined;
      if (lowered !== undefined) {
        if (lowered.has(lower)) repeated = key;
        lowered.add(lower);
      } else {
        for (let j = blockStart; j < out.length; j++) if (out[j].key === lower) repeated = key;
        if (out.length - blockStart >= 16) lowered = new Set(out.slice(blockStart).map((c) => c.key).concat(lower));
      }
      if (repeated !== undefined) {
        problems.push({ statementIndex: index, field: 'Condition', message: `Statement ${index}: Condition.${operator} names the key ${quote(key)} more than once in different letter case; IAM compares condition keys case-insensitively and refuses the duplicate. Write the key once.` });
      }
      const values = conditionValues(block[key]);
      if (values === undefined) {
        problems.push({ statementIndex: index, field: 'Condition', message: `Statement ${index}: Condition.${operator}.${key} ${quote(block[key])} must be a string, number, boolean or a list of them.` });
        continue;
      }
      out.push({
        operator,
        baseOperator: op.baseOperator,
        ifExists: op.ifExists,
        qualifier: op.qualifier,
        negated: op.negated,
        key: lower,
        values,
      });
    }
  }
  return out;
}

/**
 * Element names are case-sensitive, so `"principal"` is an unknown field (reported as malformed). The
 * elements that grant (Principal, NotPrincipal, Action, NotAction) are still judged from such a
 * variant, so that exempting the malformed finding cannot hide a broad grant behind a letter case.
 * Elements that narrow (Condition) or decide the effect are never taken from a variant: that could only
 * hide findings.
 */
const GRANTING_FIELDS: Readonly<Record<string, string>> = { principal: 'Principal', notprincipal: 'NotPrincipal', action: 'Action', notaction: 'NotAction' };

function adoptCaseVariants(raw: Obj, unknownFields: readonly string[]): Obj {
  let out: Obj | undefined;
  for (const k of unknownFields) {
    const canonical = GRANTING_FIELDS[k.toLowerCase()];
    if (canonical === undefined || Object.hasOwn(raw, canonical) || (out !== undefined && Object.hasOwn(out, canonical))) continue;
    out ??= { ...raw };
    out[canonical] = raw[k];
  }
  return out ?? raw;
}

function statement(raw: Obj, index: number, problems: PolicyProblem[]): NormalizedStatement {
  let unknownFields: string[] | undefined;
  for (const k in raw) {
    keysVisited++;
    if (!STATEMENT_FIELDS.has(k)) (unknownFields ??= []).push(k);
  }
  if (unknownFields !== undefined) raw = adoptCaseVariants(raw, unknownFields);
  const sidRaw = raw.Sid;
  if (sidRaw !== undefined && typeof sidRaw !== 'string') {
    problems.push({ statementIndex: index, field: 'Sid', message: `Statement ${index}: Sid ${quote(sidRaw)} must be a string.` });
  }
  const effectRaw = raw.Effect;
  let effect: Effect | undefined = effectRaw === 'Allow' || effectRaw === 'Deny' ? effectRaw : undefined;
  let effectMiscased: string | undefined;
  if (effect === undefined && typeof effectRaw === 'string') {
    // "allow": IAM's reference calls Effect case-sensitive, yet AWS's own Account Factory for Terraform
    // deploys a trust policy with "allow", so IAM accepts it. Keep the meaning, report the spelling.
    const lower = effectRaw.toLowerCase();
    if (lower === 'allow' || lower === 'deny') {
      effect = lower === 'allow' ? 'Allow' : 'Deny';
      effectMiscased = effectRaw;
    }
  }

  const hasP = raw.Principal !== undefined;
  const hasNP = raw.NotPrincipal !== undefined;
  if (hasP && hasNP) {
    problems.push({ statementIndex: index, field: 'Principal', message: `Statement ${index}: has both Principal and NotPrincipal; use one of them.` });
  }
  const notPrincipal = !hasP && hasNP;
  const ps: readonly NormalizedPrincipal[] = hasP || hasNP ? principals(hasP ? raw.Principal : raw.NotPrincipal, hasP ? 'Principal' : 'NotPrincipal', index, problems) : EMPTY;

  const hasA = raw.Action !== undefined;
  const hasNA = raw.NotAction !== undefined;
  if (hasA && hasNA) {
    problems.push({ statementIndex: index, field: 'Action', message: `Statement ${index}: has both Action and NotAction; use one of them.` });
  }
  const notAction = !hasA && hasNA;
  let actions: readonly string[] = EMPTY;
  let mask = 0;
  let explicitMask = 0;
  if (hasA || hasNA) {
    const field = hasA ? 'Action' : 'NotAction';
    const list = toStringList(hasA ? raw.Action : raw.NotAction);
    if (list === undefined) {
      problems.push({ statementIndex: index, field: 'Action', message: `Statement ${index}: ${field} ${quote(hasA ? raw.Action : raw.NotAction)} must be a string or a list of strings such as "sts:AssumeRole".` });
    } else {
      const lowered = new Array<string>(list.length);
      actions = lowered;
      for (let i = 0; i < list.length; i++) {
        const lower = list[i].toLowerCase();
        lowered[i] = lower;
        const bits = actionBits(lower);
        mask |= bits;
        if (!WILDCARD.test(lower)) explicitMask |= bits;
      }
      if (notAction) {
        mask = ALL_TRUST_ACTIONS & ~mask;
        explicitMask = 0;
      }
    }
  }

  const hasR = raw.Resource !== undefined;
  const hasNR = raw.NotResource !== undefined;
  let resources: readonly string[] = EMPTY;
  if (hasR || hasNR) {
    const list = toStringList(hasR ? raw.Resource : raw.NotResource);
    if (list === undefined) {
      problems.push({ statementIndex: index, field: 'Resource', message: `Statement ${index}: ${hasR ? 'Resource' : 'NotResource'} ${quote(hasR ? raw.Resource : raw.NotResource)} must be a string or a list of strings.` });
    } else resources = list;
  }

  const conds = raw.Condition === undefined ? EMPTY : conditions(raw.Condition, index, problems);

  return {
    index,
    sid: typeof sidRaw === 'string' ? sidRaw : undefined,
    effect,
    effectMiscased,
    notPrincipal,
    principalMissing: !hasP && !hasNP,
    principals: ps,
    notAction,
    actionMissing: !hasA && !hasNA,
    actions,
    trustActions: sharedActionNames(mask),
    actionMask: mask,
    explicitMask,
    conditions: conds,
    resources,
    notResource: !hasR && hasNR,
    hasResource: hasR || hasNR,
    unknownFields: unknownFields ?? EMPTY,
  };
}

/**
 * Reads a policy document in any form IAM accepts (JSON string, object, URL-encoded JSON) into the
 * canonical model. Never throws: anything it cannot read becomes a {@link PolicyProblem}.
 */
export function normalizePolicy(doc: unknown): NormalizedPolicy {
  const problems: PolicyProblem[] = [];
  const source: { text: string | undefined } = { text: undefined };
  let value: unknown;
  keysVisited = 0;
  try {
    value = decode(doc, problems, source);
  } catch (e) {
    problems.push({ statementIndex: null, field: 'Document', message: `The policy document could not be read (${(e as Error).message}).` });
    value = undefined;
  }
  if (!isObj(value)) {
    if (problems.length === 0) {
      problems.push({ statementIndex: null, field: 'Document', message: `The policy document ${quote(value)} is not a JSON object with "Version" and "Statement".` });
    }
    return { parsed: false, version: undefined, versionPresent: false, statements: EMPTY, problems };
  }
  for (const k in value) {
    keysVisited++;
    if (!DOCUMENT_FIELDS.has(k)) {
      problems.push({ statementIndex: null, field: 'Document', message: `The policy document has unknown field ${quote(k)}; allowed are Version, Id and Statement.` });
    }
  }
  const versionRaw = value.Version;
  if (versionRaw !== undefined && typeof versionRaw !== 'string') {
    problems.push({ statementIndex: null, field: 'Version', message: `Version ${quote(versionRaw)} must be the string "2012-10-17".` });
  }
  let raw = value.Statement;
  if (raw === undefined) {
    // `"statement": [...]` is reported as an unknown field above and still judged (see adoptCaseVariants).
    for (const k in value) if (k.toLowerCase() === 'statement') raw = value[k];
  }
  const statements: NormalizedStatement[] = [];
  if (value.Statement === undefined) {
    problems.push({ statementIndex: null, field: 'Statement', message: 'The policy document has no Statement; add at least one statement.' });
  }
  if (isObj(raw)) {
    statements.push(statement(raw, 0, problems));
  } else if (Array.isArray(raw)) {
    if (raw.length === 0) problems.push({ statementIndex: null, field: 'Statement', message: 'Statement is an empty list; add at least one statement.' });
    for (let i = 0; i < raw.length; i++) {
      const s: unknown = raw[i];
      if (isObj(s)) statements.push(statement(s, i, problems));
      else problems.push({ statementIndex: i, field: 'Statement', message: `Statement ${i} ${quote(s)} is not an object.` });
    }
  } else if (raw !== undefined) {
    problems.push({ statementIndex: null, field: 'Statement', message: `Statement ${quote(raw)} must be an object or a list of objects.` });
  }
  const text = source.text;
  if (text !== undefined && mayRepeatKeys(text, keysVisited)) {
    const key = repeatedKey(text);
    if (key !== undefined) {
      problems.push({
        statementIndex: null,
        field: 'Document',
        message: `The policy text repeats the key ${quote(key)} inside one object; JSON parsers disagree on which value counts (JavaScript keeps the last, others the first or refuse the text), so the policy cannot be validated reliably. Write each key once.`,
      });
    }
  }
  return {
    parsed: true,
    version: typeof versionRaw === 'string' ? versionRaw : undefined,
    versionPresent: versionRaw !== undefined,
    statements,
    problems,
  };
}
