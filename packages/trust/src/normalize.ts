import { ALL_TRUST_ACTIONS, actionBits, sharedActionNames } from './actions';
import { parseOperator } from './conditions';
import type { Effect, NormalizedCondition, NormalizedPolicy, NormalizedPrincipal, NormalizedStatement, PolicyProblem } from './model';
import { classifyPrincipal } from './principals';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const EMPTY: readonly never[] = Object.freeze([]);
const STATEMENT_FIELDS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const DOCUMENT_FIELDS = new Set(['Version', 'Id', 'Statement']);
const WILDCARD = /[*?]/;

/** Shortens a quoted value so that a huge input cannot blow up a message. */
export function quote(v: unknown): string {
  let s: string;
  try {
    s = v === undefined ? 'undefined' : JSON.stringify(v);
  } catch {
    s = String(v);
  }
  if (s === undefined) s = String(v);
  return s.length > 120 ? s.slice(0, 117) + '...' : s;
}

/**
 * Turns the input into a plain value: objects pass through; strings are JSON, or URL-encoded JSON the
 * way IAM's GetRole returns `AssumeRolePolicyDocument` (`%7B%22Version%22...`).
 */
function decode(doc: unknown, problems: PolicyProblem[]): unknown {
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
    if (typeof parsed === 'string' && parsed !== doc) return decode(parsed, problems);
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
    const block = raw[operator];
    if (!isObj(block)) {
      problems.push({ statementIndex: index, field: 'Condition', message: `Statement ${index}: Condition.${operator} ${quote(block)} must be an object mapping condition keys to values.` });
      continue;
    }
    const op = parseOperator(operator);
    if (op.baseOperator === undefined) {
      problems.push({ statementIndex: index, field: 'Condition', message: `Statement ${index}: Condition operator ${quote(operator)} is not an IAM condition operator (for example StringEquals, StringLike, ArnLike, Bool, Null, with optional IfExists and ForAnyValue:/ForAllValues:).` });
    }
    for (const key in block) {
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
        key: key.toLowerCase(),
        values,
      });
    }
  }
  return out;
}

function statement(raw: Obj, index: number, problems: PolicyProblem[]): NormalizedStatement {
  let unknownFields: string[] | undefined;
  for (const k in raw) {
    if (!STATEMENT_FIELDS.has(k)) (unknownFields ??= []).push(k);
  }
  const sidRaw = raw.Sid;
  if (sidRaw !== undefined && typeof sidRaw !== 'string') {
    problems.push({ statementIndex: index, field: 'Sid', message: `Statement ${index}: Sid ${quote(sidRaw)} must be a string.` });
  }
  const effectRaw = raw.Effect;
  const effect: Effect | undefined = effectRaw === 'Allow' || effectRaw === 'Deny' ? effectRaw : undefined;

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
  let value: unknown;
  try {
    value = decode(doc, problems);
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
    if (!DOCUMENT_FIELDS.has(k)) {
      problems.push({ statementIndex: null, field: 'Document', message: `The policy document has unknown field ${quote(k)}; allowed are Version, Id and Statement.` });
    }
  }
  const versionRaw = value.Version;
  if (versionRaw !== undefined && typeof versionRaw !== 'string') {
    problems.push({ statementIndex: null, field: 'Version', message: `Version ${quote(versionRaw)} must be the string "2012-10-17".` });
  }
  const raw = value.Statement;
  const statements: NormalizedStatement[] = [];
  if (raw === undefined) {
    problems.push({ statementIndex: null, field: 'Statement', message: 'The policy document has no Statement; add at least one statement.' });
  } else if (isObj(raw)) {
    statements.push(statement(raw, 0, problems));
  } else if (Array.isArray(raw)) {
    if (raw.length === 0) problems.push({ statementIndex: null, field: 'Statement', message: 'Statement is an empty list; add at least one statement.' });
    for (let i = 0; i < raw.length; i++) {
      const s: unknown = raw[i];
      if (isObj(s)) statements.push(statement(s, i, problems));
      else problems.push({ statementIndex: i, field: 'Statement', message: `Statement ${i} ${quote(s)} is not an object.` });
    }
  } else {
    problems.push({ statementIndex: null, field: 'Statement', message: `Statement ${quote(raw)} must be an object or a list of objects.` });
  }
  return {
    parsed: true,
    version: typeof versionRaw === 'string' ? versionRaw : undefined,
    versionPresent: versionRaw !== undefined,
    statements,
    problems,
  };
}
