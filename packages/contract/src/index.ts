import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';

/**
 * Where a node's sentences live: a symbol key on the schema node itself. JSON has no symbols, so the
 * published schema (`JSON.stringify`) never carries them, and ajv never reads them.
 */
const PROBLEM = Symbol('trustline.contract.problem');
/** An object node's own sentence for an unknown field, in place of the contract's. */
const UNKNOWN_FIELD = Symbol('trustline.contract.unknown-field');

/** What a sentence is written from: one failed keyword of one node, at one place in the document. */
export interface ProblemContext {
  /** The place, written as the file's readers write it: `accounts[2] ("dev").region`, `exemptions[0].reason`. */
  readonly where: string;
  /** The value found there; `undefined` when it is missing. */
  readonly value: unknown;
  /** The JSON Schema keyword that failed: `type`, `pattern`, `required`, `enum`, `uniqueItems`, `anyOf`, ... */
  readonly keyword: string;
  /** ajv's parameters of that keyword (`{ i, j }` for uniqueItems, `{ additionalProperty }`, ...). */
  readonly params: Readonly<Record<string, unknown>>;
  /** The whole document, for sentences that name what another field allows (the registry's environments). */
  readonly root: unknown;
}

/** The sentences for a failure of a node (one, several, or none to stay silent). */
export type Problem = (ctx: ProblemContext) => string | readonly string[] | undefined;

/** A failure of `additionalProperties`: a field the contract does not know, in `object` at `at`. */
export interface UnknownField {
  /** Where the object is (`""` for the document itself). */
  readonly at: string;
  readonly field: string;
  readonly object: Readonly<Record<string, unknown>>;
  /** The fields the object may have, in the schema's order. */
  readonly allowed: readonly string[];
}

/**
 * How an unknown field is reported: a sentence, or a sentence and the allowed field it was meant to be
 * (a near miss such as `externalID`), whose own "missing" problem is then not reported a second time.
 */
export type UnknownFieldProblem = (u: UnknownField) => string | { readonly problem: string; readonly meant: string };

export interface ContractOptions {
  /** JSON Schema `$id` of the published schema. */
  readonly $id?: string;
  /** How a place in the document is written; default `a.b[0].c`. `root` is the whole document. */
  readonly where?: (path: readonly (string | number)[], root: unknown) => string;
  /** How unknown fields are reported where a node has no sentence of its own for `additionalProperties`. */
  readonly unknownField?: UnknownFieldProblem;
  /** String formats the schema names (`format: "date"`), each with the check ajv applies. */
  readonly formats?: Readonly<Record<string, (value: string) => boolean>>;
}

/** A config contract: its definition, the JSON Schema published from it, and its validator. */
export interface Contract {
  /** The definition: a JSON Schema object with sentences attached. */
  readonly schema: object;
  /** The JSON Schema (draft-07) to publish: the definition as JSON, with `$schema` and `$id`. */
  jsonSchema(): Record<string, unknown>;
  /** One sentence per problem, in document order; empty when `value` keeps the contract. */
  problems(value: unknown): string[];
}

/**
 * A document that does not keep its contract: the source (a file name) and one sentence per problem. Each
 * contract's error (ConfigError, RegistryError) extends it with its own heading.
 */
export class ProblemsError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
    message: string,
  ) {
    super(message);
    this.name = 'ProblemsError';
  }
}

/** `2 problems:` then one indented line each: how every refusal with several problems is printed. */
export function problemLines(problems: readonly string[]): string {
  return `${problems.length} problem${problems.length === 1 ? '' : 's'}:\n` + problems.map((p) => `  - ${p}`).join('\n');
}

/**
 * The problems `run` throws as a {@link ProblemsError}, or none when it returns. Any other error is thrown
 * on: a bug must not pass for a refusal.
 */
export function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (e) {
    if (e instanceof ProblemsError) return e.problems;
    throw e;
  }
  return [];
}

/**
 * Attaches the sentences a node's failures are reported with, and for an object node optionally its own
 * sentence for unknown fields. Returns the node, for use inline. (Symbol keys: JSON never carries them, and
 * ajv never reads them.)
 */
export function explain<const T extends object>(schema: T, problem: Problem, unknownField?: UnknownFieldProblem): T {
  const node = schema as Record<symbol, unknown>;
  node[PROBLEM] = problem;
  if (unknownField !== undefined) node[UNKNOWN_FIELD] = unknownField;
  return schema;
}

/**
 * The places in a definition whose failures would be reported in ajv's words (`must be string`) because no
 * sentence is attached: every node under `properties` and `items` that constrains its value. A contract's
 * test expects none.
 */
export function unexplainedNodes(schema: object, at = '$'): string[] {
  const node = schema as Node & { items?: unknown };
  const out: string[] = [];
  if (node[PROBLEM] === undefined && Object.keys(node).some((k) => k !== 'description' && k !== 'default' && k !== 'title')) out.push(at);
  for (const [k, child] of Object.entries(node.properties ?? {})) out.push(...unexplainedNodes(child, `${at}.${k}`));
  if (node.items !== null && typeof node.items === 'object') out.push(...unexplainedNodes(node.items, `${at}[]`));
  return out;
}

/** A value as sentences quote it: JSON text, or `missing`. */
export const show = (v: unknown): string => (v === undefined ? 'missing' : (JSON.stringify(v) ?? String(v)));

/** What a JSON value is, for "is a string, not a number" sentences. */
export const kindOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : typeof v === 'string' ? 'a string' : typeof v === 'number' ? 'a number' : `a ${typeof v}`;

/** A list of names as sentences write it: `"a", "b", "c"`. */
export const quoteList = (xs: readonly string[]): string => xs.map((x) => `"${x}"`).join(', ');

/** `a.b[0].c`: how a path is written when the contract does not say otherwise. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : out === '' ? p : `${out}.${p}`), '');
}

/** The indexes that repeat an earlier item (by JSON value), for uniqueItems sentences that name each repeat. */
export function repeatedIndexes(items: readonly unknown[]): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  items.forEach((x, i) => {
    const k = JSON.stringify(x);
    if (seen.has(k)) out.push(i);
    else seen.add(k);
  });
  return out;
}

const decodePointer = (p: string): (string | number)[] =>
  p === ''
    ? []
    : p
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
        .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));

const defaultUnknownField: UnknownFieldProblem = ({ at, field, allowed }) => `${at === '' ? '' : `${at}.`}${field} is not a known field; allowed: ${allowed.join(', ')}.`;

/** The uniqueItems keyword by a Set: scalars by type and value, other items by their JSON text. */
function uniqueItems(unique: boolean, data: readonly unknown[], parentSchema?: unknown): boolean {
  if (!unique) return true;
  const key = (x: unknown) => (x !== null && typeof x === 'object' ? `json:${JSON.stringify(x)}` : typeof x === 'string' ? x : `${typeof x}:${String(x)}`);
  const seen = new Set<string>();
  for (let j = 0; j < data.length; j++) {
    const k = key(data[j]);
    if (seen.has(k)) {
      const i = data.findIndex((x) => key(x) === k);
      (uniqueItems as { errors?: Partial<ErrorObject>[] }).errors = [{ keyword: 'uniqueItems', message: `must not have duplicate items (items ## ${j} and ${i} are identical)`, params: { i: j, j: i }, parentSchema: parentSchema as ErrorObject['parentSchema'], data }];
      return false;
    }
    seen.add(k);
  }
  return true;
}

/** ajv reports an object's missing fields before its unknown ones; sentences name the unknown (a typo) first. */
function unknownFieldsFirst(errors: readonly ErrorObject[]): ErrorObject[] {
  const out: ErrorObject[] = [];
  for (const e of errors) {
    const first = e.keyword === 'additionalProperties' ? out.findIndex((x) => x.instancePath === e.instancePath && x.keyword === 'required') : -1;
    if (first === -1) out.push(e);
    else out.splice(first, 0, e);
  }
  return out;
}

type Node = Record<string | symbol, unknown> & { properties?: Record<string, Node> };

/**
 * Defines a contract from a JSON Schema (draft-07) written as a literal. The validator is compiled by ajv on first use (importing a
 * contract costs nothing), with every error collected; each error becomes the sentences of the node that
 * failed (see {@link explain}). A node without sentences falls back to `<where> <value> <ajv's message>`.
 */
export function defineContract(schema: object, options: ContractOptions = {}): Contract {
  let validate: ValidateFunction | undefined;
  const compiled = (): ValidateFunction => {
    if (validate === undefined) {
      const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false });
      // ajv's own uniqueItems keys a plain object by each item's text: 10,000 account ids (numeric strings)
      // took 5.6 ms a list, most of parseConfig at that size. A Set does it in well under one.
      ajv.removeKeyword('uniqueItems');
      ajv.addKeyword({ keyword: 'uniqueItems', type: 'array', schemaType: 'boolean', errors: true, validate: uniqueItems });
      for (const [name, check] of Object.entries(options.formats ?? {})) ajv.addFormat(name, { type: 'string', validate: check });
      validate = ajv.compile(schema);
    }
    return validate;
  };
  const where = options.where ?? formatPath;
  const unknownField = options.unknownField ?? defaultUnknownField;

  const problems = (value: unknown): string[] => {
    const v = compiled();
    if (v(value)) return [];
    const errors = unknownFieldsFirst((v.errors ?? []) as ErrorObject[]);
    // Branches of a failed anyOf are reported once, as the anyOf.
    const failedAnyOf = errors.filter((e) => e.keyword === 'anyOf').map((e) => `${e.instancePath}|${e.schemaPath}/`);
    const inBranch = (e: ErrorObject) => failedAnyOf.some((p) => `${e.instancePath}|${e.schemaPath}`.startsWith(p));
    const out: string[] = [];
    const add = (s: string | readonly string[] | undefined) => {
      for (const x of typeof s === 'string' ? [s] : (s ?? [])) if (!out.includes(x)) out.push(x);
    };
    // Fields reported as near misses of an allowed field: that field's own problems are not repeated.
    const meant: (string | number)[][] = [];
    const isMeant = (at: readonly (string | number)[]) => meant.some((m) => m.length <= at.length && m.every((p, i) => at[i] === p));
    const done = new Set<string>();
    for (const e of errors) {
      if (inBranch(e)) continue;
      const path = decodePointer(e.instancePath);
      const node = e.parentSchema as Node;
      if (e.keyword === 'additionalProperties') {
        const field = String(e.params.additionalProperty);
        const said = ((node[UNKNOWN_FIELD] as UnknownFieldProblem | undefined) ?? unknownField)({ at: where(path, value), field, object: e.data as Record<string, unknown>, allowed: Object.keys(node.properties ?? {}) });
        if (typeof said === 'string') add(said);
        else {
          add(said.problem);
          meant.push([...path, said.meant]);
        }
        continue;
      }
      let at = path;
      let target = node;
      let data: unknown = e.data;
      if (e.keyword === 'required') {
        const field = String(e.params.missingProperty);
        at = [...path, field];
        data = undefined;
        const child = node.properties?.[field];
        if (child !== undefined && child[PROBLEM] !== undefined) target = child;
      }
      if (isMeant(at)) continue;
      // One sentence per node and place: a number that is no integer and below the minimum is one problem.
      const key = `${JSON.stringify(at)}|${e.keyword === 'required' ? 'required' : e.schemaPath.replace(/\/[^/]*$/, '')}`;
      if (done.has(key)) continue;
      done.add(key);
      const ctx: ProblemContext = { where: where(at, value), value: data, keyword: e.keyword, params: e.params, root: value };
      const fn = target[PROBLEM] as Problem | undefined;
      if (fn !== undefined) add(fn(ctx));
      else add(`${ctx.where === '' ? 'the document' : ctx.where} ${e.keyword === 'required' ? 'is missing' : `${show(data)} ${e.message ?? 'is not allowed'}`}.`);
    }
    return out;
  };

  return {
    schema,
    jsonSchema: () => ({
      $schema: 'http://json-schema.org/draft-07/schema#',
      ...(options.$id !== undefined && { $id: options.$id }),
      ...(JSON.parse(JSON.stringify(schema)) as Record<string, unknown>),
    }),
    problems,
  };
}
