import { isObj, policyDocumentKind } from '@trustline/trust';
import { resourceSubjects, SERVICE_ROLE_PATH, type Subject } from '@trustline/trust-guard';
import { parseUrn } from '@trustline/registry';

/** The input formats `trust-guard check` recognises. */
export type InputFormat = 'policy-document' | 'pulumi-preview' | 'pulumi-stack-export' | 'account-authorization-details';

/** What a file turned out to be, and the subjects in it; or why it is none of the formats. */
export type Detection = { readonly ok: true; readonly format: InputFormat; readonly subjects: Subject[] } | { readonly ok: false; readonly problem: string };

type Obj = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The names of the formats, for the "not recognised" message. */
export const FORMAT_NAMES = 'a policy document, pulumi preview --json, pulumi stack export or get-account-authorization-details output';

/**
 * Recognises parsed JSON from `file` and extracts its subjects. Pure: the caller reads and parses.
 * Order matters only for odd files; each format has a distinctive top-level key.
 */
export function detectInput(json: unknown, file: string): Detection {
  if (!isObj(json)) {
    return { ok: false, problem: `it is JSON but not ${FORMAT_NAMES} (the top level is ${Array.isArray(json) ? 'a list' : JSON.stringify(json)}, not an object)` };
  }
  if ('Statement' in json) return { ok: true, format: 'policy-document', subjects: [policyDocumentSubject(json, file)] };
  if (Array.isArray(json.steps)) return { ok: true, format: 'pulumi-preview', subjects: previewSubjects(json.steps, file) };
  if (isObj(json.deployment) && Array.isArray(json.deployment.resources)) {
    return { ok: true, format: 'pulumi-stack-export', subjects: stackExportSubjects(json.deployment.resources, file) };
  }
  if (['RoleDetailList', 'UserDetailList', 'GroupDetailList', 'Policies'].some((k) => Array.isArray(json[k]))) {
    return { ok: true, format: 'account-authorization-details', subjects: authorizationDetailsSubjects(json, file) };
  }
  const keys = Object.keys(json).slice(0, 5).map((k) => JSON.stringify(k)).join(', ');
  return { ok: false, problem: `it is JSON but not ${FORMAT_NAMES} (top-level keys: ${keys || 'none'})` };
}

/**
 * A lone IAM policy document, judged as a trust or an identity policy as the analyzer's
 * `policyDocumentKind` decides: a `Principal`/`NotPrincipal` anywhere, or a trust action without a
 * `Resource`, makes it a trust policy. Malformed shapes are reported by whichever analyzer judges it.
 */
export function policyDocumentSubject(doc: Obj, file: string): Subject {
  const name = file.replace(/^.*[\\/]/, '');
  return { source: file, name, type: 'IAM policy document', kind: policyDocumentKind(doc), location: 'document', document: doc };
}

/** A place in a parsed file: keys and list indexes from the top. */
export type JsonPlace = readonly (string | number)[];

/**
 * One resource as a Pulumi file records it: a `pulumi preview --json` step's new state, or a
 * `pulumi stack export` resource. Fields as Pulumi names them (pulumi/pulumi v3.248.0,
 * sdk/go/common/apitype/core.go `ResourceV3`, which `PreviewStep.newState` of pkg/display/json.go is).
 */
export interface PulumiState {
  readonly type: string;
  readonly urn: string;
  /** The logical name, from the URN. */
  readonly name: string;
  /** What the program asked for (`inputs`); for a stack export without inputs, what the provider returned (`outputs`). As found: not yet checked to be an object. */
  readonly inputs: unknown;
  /** The field `inputs` came from, for messages. */
  readonly inputsField: 'inputs' | 'outputs';
  /** The provider reference, `<provider URN>::<provider id>`, as found. */
  readonly provider?: unknown;
  readonly propertyDependencies?: unknown;
  /** Where the state sits in the file: `["steps", 3, "newState"]`, `["deployment", "resources", 2]`. */
  readonly at: JsonPlace;
}

/** Something in a Pulumi file that is not a resource state as Pulumi writes one. */
export interface PulumiStateProblem {
  readonly at: JsonPlace;
  readonly message: string;
}

/** `steps[3].newState`, as the messages name a place. */
export function placeText(at: JsonPlace): string {
  return at.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

function stateOf(state: Obj, at: JsonPlace, fallbackUrn: string | undefined, inputsField: 'inputs' | 'outputs', problems: PulumiStateProblem[]): PulumiState | undefined {
  const urn = str(state.urn) ?? fallbackUrn;
  const parsed = urn !== undefined ? parseUrn(urn) : undefined;
  const type = str(state.type) ?? parsed?.type;
  if (urn === undefined) {
    problems.push({ at: [...at, 'urn'], message: `${placeText([...at, 'urn'])} ${state.urn === undefined ? 'is missing' : JSON.stringify(state.urn)}: a resource state names its Pulumi URN (urn:pulumi:<stack>::<project>::<type>::<name>); the resource is not read.` });
    return undefined;
  }
  if (type === undefined || (state.type !== undefined && typeof state.type !== 'string')) {
    problems.push({ at: [...at, 'type'], message: `${placeText([...at, 'type'])} ${JSON.stringify(state.type) ?? 'is missing and'} is not a resource type token such as "aws:iam/role:Role"; the resource is not read.` });
    return undefined;
  }
  return { type, urn, name: parsed?.name ?? urn, inputs: state[inputsField], inputsField, provider: state.provider, propertyDependencies: state.propertyDependencies, at };
}

/**
 * The resources a `pulumi preview --json` digest (pkg/display/json.go `PreviewDigest.steps`, each a
 * `PreviewStep`) says will exist: each step's `newState` (`new` in older CLIs). A deletion has none and is
 * left out. Unchanged resources are in `steps` only with `--show-sames`.
 */
export function previewStates(steps: readonly unknown[]): { states: PulumiState[]; problems: PulumiStateProblem[] } {
  const states: PulumiState[] = [];
  const problems: PulumiStateProblem[] = [];
  steps.forEach((step, i) => {
    if (!isObj(step)) {
      problems.push({ at: ['steps', i], message: `steps[${i}] ${JSON.stringify(step)} is not a step object such as {"op": "create", "urn": ..., "newState": {...}}; it is not read.` });
      return;
    }
    const field = isObj(step.newState) ? 'newState' : isObj(step.new) ? 'new' : undefined;
    if (field === undefined) {
      if (step.newState !== undefined && step.newState !== null) problems.push({ at: ['steps', i, 'newState'], message: `steps[${i}].newState ${JSON.stringify(step.newState)} is not a resource state object; it is not read.` });
      return;
    }
    const state = stateOf(step[field] as Obj, ['steps', i, field], str(step.urn), 'inputs', problems);
    if (state !== undefined) states.push(state);
  });
  return { states, problems };
}

/** The resources of a `pulumi stack export` (`deployment.resources[]`, each a `ResourceV3`), on inputs, else outputs. */
export function stackExportStates(resources: readonly unknown[]): { states: PulumiState[]; problems: PulumiStateProblem[] } {
  const states: PulumiState[] = [];
  const problems: PulumiStateProblem[] = [];
  resources.forEach((r, i) => {
    const at: JsonPlace = ['deployment', 'resources', i];
    if (!isObj(r)) {
      problems.push({ at, message: `${placeText(at)} ${JSON.stringify(r)} is not a resource object; it is not read.` });
      return;
    }
    const field = isObj(r.inputs) && Object.keys(r.inputs).length > 0 ? 'inputs' : 'outputs';
    const state = stateOf(r, at, undefined, field, problems);
    if (state !== undefined) states.push(state);
  });
  return { states, problems };
}

/** `pulumi preview --json`: each step's new state (`newState`, or `new` in older CLIs). Deletions have none. */
export function previewSubjects(steps: readonly unknown[], file: string): Subject[] {
  return previewStates(steps).states.flatMap((s) => resourceSubjects({ source: file, type: s.type, urn: s.urn, name: s.name }, s.inputs));
}

/** `pulumi stack export`: `deployment.resources[]`, judged on inputs (what the program asked for), else outputs. */
export function stackExportSubjects(resources: readonly unknown[], file: string): Subject[] {
  return stackExportStates(resources).states.flatMap((s) => resourceSubjects({ source: file, type: s.type, urn: s.urn, name: s.name }, s.inputs));
}

/**
 * `aws iam get-account-authorization-details`: role trust policies (object, or URL-encoded JSON as the
 * API returns it; the analyzer decodes both), inline role/user/group policies, and the default version
 * of each managed policy.
 */
export function authorizationDetailsSubjects(details: Obj, file: string): Subject[] {
  const out: Subject[] = [];
  const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
  for (const role of list(details.RoleDetailList)) {
    const name = str(role.RoleName) ?? '(unnamed role)';
    const base = { source: file, name, type: 'AWS::IAM::Role', ...(str(role.Arn) ? { urn: str(role.Arn) } : {}) };
    const max = role.MaxSessionDuration;
    out.push({
      ...base,
      kind: 'trust',
      location: 'AssumeRolePolicyDocument',
      document: role.AssumeRolePolicyDocument,
      ...(typeof max === 'number' ? { maxSessionDuration: max } : {}),
      ...(typeof role.Path === 'string' && role.Path.startsWith(SERVICE_ROLE_PATH) ? { serviceLinked: true } : {}),
    });
    for (const p of list(role.RolePolicyList)) {
      out.push({ ...base, kind: 'identity', location: `RolePolicyList[${JSON.stringify(str(p.PolicyName) ?? '?')}]`, document: p.PolicyDocument });
    }
  }
  for (const [listKey, policyKey, nameKey, type] of [
    ['UserDetailList', 'UserPolicyList', 'UserName', 'AWS::IAM::User'],
    ['GroupDetailList', 'GroupPolicyList', 'GroupName', 'AWS::IAM::Group'],
  ] as const) {
    for (const entity of list(details[listKey])) {
      const base = { source: file, name: str(entity[nameKey]) ?? `(unnamed ${type})`, type, ...(str(entity.Arn) ? { urn: str(entity.Arn) } : {}) };
      for (const p of list(entity[policyKey])) {
        out.push({ ...base, kind: 'identity', location: `${policyKey}[${JSON.stringify(str(p.PolicyName) ?? '?')}]`, document: p.PolicyDocument });
      }
    }
  }
  for (const policy of list(details.Policies)) {
    const versions = list(policy.PolicyVersionList);
    const version = versions.find((v) => v.IsDefaultVersion === true) ?? versions.find((v) => v.VersionId === policy.DefaultVersionId);
    if (!version) continue;
    out.push({
      source: file,
      name: str(policy.PolicyName) ?? '(unnamed policy)',
      ...(str(policy.Arn) ? { urn: str(policy.Arn) } : {}),
      type: 'AWS::IAM::ManagedPolicy',
      kind: 'identity',
      location: `PolicyVersionList[${JSON.stringify(str(version.VersionId) ?? '?')}]`,
      document: version.Document,
    });
  }
  return out;
}
