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

/** `pulumi preview --json`: each step's new state (`newState`, or `new` in older CLIs). Deletions have none. */
export function previewSubjects(steps: readonly unknown[], file: string): Subject[] {
  return steps.flatMap((step) => {
    if (!isObj(step)) return [];
    const state = isObj(step.newState) ? step.newState : isObj(step.new) ? step.new : undefined;
    if (!state) return [];
    const urn = str(state.urn) ?? str(step.urn);
    const type = str(state.type) ?? (urn ? parseUrn(urn)?.type : undefined);
    if (!type || !urn) return [];
    return resourceSubjects({ source: file, type, urn, name: parseUrn(urn)?.name ?? urn }, state.inputs);
  });
}

/** `pulumi stack export`: `deployment.resources[]`, judged on inputs (what the program asked for), else outputs. */
export function stackExportSubjects(resources: readonly unknown[], file: string): Subject[] {
  return resources.flatMap((r) => {
    if (!isObj(r)) return [];
    const urn = str(r.urn);
    const type = str(r.type);
    if (!urn || !type) return [];
    const props = isObj(r.inputs) && Object.keys(r.inputs).length > 0 ? r.inputs : r.outputs;
    return resourceSubjects({ source: file, type, urn, name: parseUrn(urn)?.name ?? urn }, props);
  });
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
