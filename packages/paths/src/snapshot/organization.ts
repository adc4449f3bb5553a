import { defineContract, explain, formatPath, quoteList, show } from '@trustline/contract';
import { JsonError, readJson, type JsonDocument, type PathSegment } from '@trustline/json';
import { ACCOUNT_ID, ORGANIZATION_ID, accountIdField, isObj } from '@trustline/trust';
import type { OrgAccount, OrgPolicy, OrgPolicyType, Organization, OrganizationalUnit } from '../types';
import { readEmbeddedDocument } from './document';
import { jsonErrorProblem, problemAt, type SnapshotProblem } from './problems';

/** The file name a snapshot folder holds its organization in. */
export const ORGANIZATION_FILE = 'organization.json';

/** The policy types a snapshot carries; any other type is a fault (the engine would not know how it caps a request). */
export const ORG_POLICY_TYPES: readonly OrgPolicyType[] = ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'];

/** Organizations' id shapes (https://docs.aws.amazon.com/organizations/latest/APIReference/API_Root.html, API_OrganizationalUnit.html, API_Policy.html). */
const ROOT_ID = /^r-[0-9a-z]{4,32}$/;
const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
const POLICY_ID = /^p-[0-9a-zA-Z_]{8,128}$/;
const PARENT_ID = new RegExp(`${ROOT_ID.source}|${OU_ID.source}`);
const TARGET_ID = new RegExp(`${ROOT_ID.source}|${OU_ID.source}|${ACCOUNT_ID.source}`);
const NOT_BLANK = '\\S';

const nonBlank = (description: string) =>
  explain({ type: 'string', pattern: NOT_BLANK, description }, ({ where, value }) => `${where} ${show(value)} must be a non-empty string.`);

const parentField = (description: string) =>
  explain({ type: 'string', pattern: PARENT_ID.source, description }, ({ where, value }) => `${where} ${show(value)} is not a root id ("r-" then 4 to 32 letters or digits) or an OU id ("ou-…-…").`);

const ouSchema = explain(
  {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'parentId', 'name'],
    properties: {
      id: explain({ type: 'string', pattern: OU_ID.source, description: 'The OU id, e.g. "ou-ab12-cd34ef56".' }, ({ where, value }) => `${where} ${show(value)} is not an OU id ("ou-", 4 to 32 letters or digits, "-", 8 to 32 letters or digits).`),
      parentId: parentField('The root or OU this OU sits in.'),
      name: nonBlank('The OU name, shown in reports.'),
    },
  },
  ({ where, value }) => `${where} ${show(value)} must be an object such as {"id": "ou-ab12-cd34ef56", "parentId": "r-ab12", "name": "workloads"}.`,
);

const accountSchema = explain(
  {
    type: 'object',
    additionalProperties: false,
    required: ['accountId', 'parentId'],
    properties: {
      accountId: accountIdField('The 12-digit account id, as a string; its IAM is in <accountId>.json next to this file.'),
      name: nonBlank('The account name, shown in reports.'),
      parentId: parentField('The root or OU the account sits in: its SCPs and RCPs are those of every level from the root down.'),
    },
  },
  ({ where, value }) => `${where} ${show(value)} must be an object such as {"accountId": "111111111111", "name": "dev", "parentId": "ou-ab12-cd34ef56"}.`,
);

const policySchema = explain(
  {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'type', 'name', 'content', 'targets'],
    properties: {
      id: explain({ type: 'string', pattern: POLICY_ID.source, description: 'The policy id, e.g. "p-FullAWSAccess" or "p-ab12cd34".' }, ({ where, value }) => `${where} ${show(value)} is not a policy id ("p-" then 8 to 128 letters, digits or underscores).`),
      type: explain({ type: 'string', enum: [...ORG_POLICY_TYPES], description: 'SERVICE_CONTROL_POLICY caps the principals of the accounts below its targets; RESOURCE_CONTROL_POLICY caps their resources (role assumption included).' }, ({ where, value }) =>
        `${where} ${show(value)} is not a policy type the path engine reads; allowed are ${quoteList(ORG_POLICY_TYPES)} (leave other policy types out of the snapshot).`,
      ),
      name: nonBlank('The policy name, shown in guards and reports.'),
      content: explain({ anyOf: [{ type: 'object' }, { type: 'string' }], description: 'The policy document: an object, or its JSON text as Organizations returns it.' }, ({ where, value }) => `${where} ${show(value)} must be the policy document, as an object or as JSON text.`),
      targets: explain(
        {
          type: 'array',
          uniqueItems: true,
          items: explain({ type: 'string', pattern: TARGET_ID.source, description: 'A root, OU or account id the policy is attached to.' }, ({ where, value }) => `${where} ${show(value)} is not a root, OU or account id.`),
          description: 'The roots, OUs and accounts the policy is attached to (an empty list: attached nowhere).',
        },
        ({ where, value }) => `${where} ${show(value)} must be a list of root, OU or account ids, each once.`,
      ),
    },
  },
  ({ where, value }) => `${where} ${show(value)} must be an object with "id", "type", "name", "content" and "targets".`,
);

const list = (items: object, what: string, description: string) =>
  explain({ type: 'array', items, description }, ({ where, value }) => (value === undefined ? `${where} is missing; write a list of ${what} (it may be empty: []).` : `${where} ${show(value)} must be a list of ${what}.`));

const OrganizationSchema = explain(
  {
    type: 'object',
    additionalProperties: false,
    title: 'organization snapshot',
    description:
      "An AWS organization as the access-path engine reads it: its OU tree, its accounts and the SCPs and RCPs attached to it. Each account's IAM is in <accountId>.json (aws iam get-account-authorization-details output) next to this file.",
    required: ['organizationId', 'managementAccountId', 'rootId', 'organizationalUnits', 'accounts', 'policies'],
    properties: {
      $schema: explain({ type: 'string', description: 'Path or URL of this schema, for editors. Ignored by the reader.' }, ({ where, value }) => `${where} ${show(value)} must be a string (a path or URL of the schema).`),
      organizationId: explain(
        { type: 'string', pattern: ORGANIZATION_ID.source, description: 'The AWS Organizations id: aws:PrincipalOrgID of every principal of its accounts.' },
        ({ where, value }) => `${where} ${show(value)} is not an AWS Organizations id ("o-" then 10 to 32 lower-case letters or digits).`,
      ),
      managementAccountId: accountIdField('The management account: no SCP caps its principals.'),
      rootId: explain({ type: 'string', pattern: ROOT_ID.source, description: 'The root id, e.g. "r-ab12": policies attached to it cap every account.' }, ({ where, value }) => `${where} ${show(value)} is not a root id ("r-" then 4 to 32 lower-case letters or digits).`),
      organizationalUnits: list(ouSchema, 'OUs such as {"id", "parentId", "name"}', 'Every OU, each with the root or OU it sits in.'),
      accounts: list(accountSchema, 'accounts such as {"accountId", "name", "parentId"}', 'Every account of the organization, each with the root or OU it sits in.'),
      policies: list(policySchema, 'policies such as {"id", "type", "name", "content", "targets"}', 'The SCPs and RCPs. No policy of a type means that type is off: it caps nothing.'),
    },
  },
  ({ value }) => `the organization ${show(value).slice(0, 80)} must be a JSON object with "organizationId", "managementAccountId", "rootId", "organizationalUnits", "accounts" and "policies".`,
);

/** The organization.json contract: the published JSON Schema (`organization.schema.json`) and the validator {@link parseOrganization} runs. */
export const organizationContract = defineContract(OrganizationSchema, {
  $id: 'https://trustline.dev/schemas/organization.schema.json',
  unknownField: ({ at, field, allowed }) => `${at === '' ? '' : `${at}.`}${field} is not a known field (a typo would drop what it says); allowed are ${quoteList(allowed)}.`,
});

/** The JSON Schema (draft-07) published as `packages/paths/organization.schema.json`. */
export function organizationJsonSchema(): Record<string, unknown> {
  return organizationContract.jsonSchema();
}

export interface OrganizationRead {
  /** Absent when the file could not be read as JSON or does not keep the contract. */
  readonly organization?: Organization;
  readonly problems: readonly SnapshotProblem[];
}

type Obj = Record<string, unknown>;
const objects = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);

/**
 * Reads `organization.json` (bytes or text) with the strict JSON reader and its contract: one problem per
 * fault, each at its line and column. The schema's problems first; then what a schema cannot say: a
 * parent, or a policy target, that names no root, OU or account of the file; ids given twice; a policy's
 * JSON text that does not parse. Any problem leaves the organization out: SCPs and RCPs read from half a
 * file would cap the wrong accounts.
 */
export function parseOrganization(file: string, input: Uint8Array | string): OrganizationRead {
  let doc: JsonDocument;
  try {
    doc = readJson(input, { file });
  } catch (e) {
    if (!(e instanceof JsonError)) throw e;
    return { problems: [jsonErrorProblem(e, file, 'the organization')] };
  }
  const value = doc.value;
  const problems: SnapshotProblem[] = [];
  // The contract's sentences start with the place (`accounts[2].parentId ...`): mapped back to a position.
  const places = new Map<string, PathSegment[]>();
  const placeOf = (sentence: string): PathSegment[] => {
    let best: PathSegment[] = [];
    let bestLength = -1;
    for (const [text, path] of places) {
      if (text.length > bestLength && (sentence.startsWith(`${text} `) || sentence.startsWith(`${text}.`) || sentence.startsWith(`${text}[`))) {
        best = path;
        bestLength = text.length;
      }
    }
    return best;
  };
  for (const [text, path] of pathsOf(value)) places.set(text, path);
  for (const sentence of organizationContract.problems(value)) problems.push(problemAt(doc, file, placeOf(sentence), sentence));
  if (!isObj(value)) return { problems };
  problems.push(...crossFieldProblems(value, doc, file));
  const policies: OrgPolicy[] = [];
  objects(value.policies).forEach((p, i) => {
    const content = readEmbeddedDocument(p.content, doc, file, ['policies', i, 'content'], `policies[${i}].content of ${show(p.name)}`);
    if (content.problem !== undefined && typeof p.content === 'string') problems.push(content.problem);
    policies.push({ id: p.id as string, type: p.type as OrgPolicyType, name: p.name as string, content: content.document, targets: [...(p.targets as string[])] });
  });
  if (problems.length > 0) return { problems };
  return {
    organization: {
      organizationId: value.organizationId as string,
      managementAccountId: value.managementAccountId as string,
      rootId: value.rootId as string,
      organizationalUnits: objects(value.organizationalUnits).map((u): OrganizationalUnit => ({ id: u.id as string, parentId: u.parentId as string, name: u.name as string })),
      accounts: objects(value.accounts).map((a): OrgAccount => ({ accountId: a.accountId as string, ...(typeof a.name === 'string' && { name: a.name }), parentId: a.parentId as string })),
      policies,
    },
    problems,
  };
}

/** Every place in the value, written as the contract writes it, with its path. */
function pathsOf(value: unknown, path: PathSegment[] = [], out = new Map<string, PathSegment[]>()): Map<string, PathSegment[]> {
  out.set(formatPath(path), path);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...path, i], out));
  else if (isObj(value) && path.length < 3) for (const [k, v] of Object.entries(value)) pathsOf(v, [...path, k], out);
  // Deeper places (inside a policy's content) are never where the contract reports; their container is.
  return out;
}

/** What the schema cannot say: ids given twice, parents and targets that name nothing in the file, an OU that is its own ancestor. */
function crossFieldProblems(value: Obj, doc: JsonDocument, file: string): SnapshotProblem[] {
  const problems: SnapshotProblem[] = [];
  const at = (path: PathSegment[], message: string) => problems.push(problemAt(doc, file, path, message));
  const rootId = typeof value.rootId === 'string' ? value.rootId : undefined;
  const ous = new Map<string, Obj>();
  objects(value.organizationalUnits).forEach((u, i) => {
    if (typeof u.id !== 'string') return;
    if (ous.has(u.id)) at(['organizationalUnits', i, 'id'], `organizationalUnits[${i}].id "${u.id}" is listed twice; list each OU once.`);
    ous.set(u.id, u);
  });
  const containers = new Set<string>([...(rootId !== undefined ? [rootId] : []), ...ous.keys()]);
  const containerNames = () => (containers.size > 0 ? quoteList([...containers]) : 'none');
  objects(value.organizationalUnits).forEach((u, i) => {
    if (typeof u.parentId !== 'string' || !PARENT_ID.test(u.parentId)) return;
    if (!containers.has(u.parentId)) at(['organizationalUnits', i, 'parentId'], `organizationalUnits[${i}].parentId "${u.parentId}" names no root or OU of this file; known are ${containerNames()}.`);
    else if (typeof u.id === 'string' && ancestorLoop(u.id, ous)) at(['organizationalUnits', i, 'parentId'], `organizationalUnits[${i}] "${u.id}" is its own ancestor (its parentId chain never reaches the root ${show(rootId)}).`);
  });
  const accounts = new Set<string>();
  objects(value.accounts).forEach((a, i) => {
    if (typeof a.accountId === 'string' && ACCOUNT_ID.test(a.accountId)) {
      if (accounts.has(a.accountId)) at(['accounts', i, 'accountId'], `accounts[${i}].accountId "${a.accountId}" is listed twice; list each account once.`);
      accounts.add(a.accountId);
    }
    if (typeof a.parentId === 'string' && PARENT_ID.test(a.parentId) && !containers.has(a.parentId)) {
      at(['accounts', i, 'parentId'], `accounts[${i}].parentId "${a.parentId}" names no root or OU of this file; known are ${containerNames()}.`);
    }
  });
  if (typeof value.managementAccountId === 'string' && ACCOUNT_ID.test(value.managementAccountId) && Array.isArray(value.accounts) && !accounts.has(value.managementAccountId)) {
    at(['managementAccountId'], `managementAccountId "${value.managementAccountId}" is not in "accounts"; list the management account there too.`);
  }
  const policyIds = new Set<string>();
  objects(value.policies).forEach((p, i) => {
    if (typeof p.id === 'string') {
      if (policyIds.has(p.id)) at(['policies', i, 'id'], `policies[${i}].id "${p.id}" is listed twice; list each policy once.`);
      policyIds.add(p.id);
    }
    if (!Array.isArray(p.targets)) return;
    p.targets.forEach((t: unknown, j: number) => {
      if (typeof t !== 'string' || !TARGET_ID.test(t)) return;
      if (!containers.has(t) && !accounts.has(t)) {
        at(['policies', i, 'targets', j], `policies[${i}].targets[${j}] "${t}" of ${show(p.name)} names no root, OU or account of this file; a policy attached to nothing known would cap nothing, so it is not judged. Fix the id or add the ${OU_ID.test(t) ? 'OU' : ROOT_ID.test(t) ? 'root' : 'account'}.`);
      }
    });
  });
  return problems;
}

/** True when `id` is in a loop of parentIds (each OU of the loop is reported once, at its own parentId). */
function ancestorLoop(id: string, ous: ReadonlyMap<string, Obj>): boolean {
  const seen = new Set<string>();
  for (let at = ous.get(id)?.parentId; typeof at === 'string' && ous.has(at) && !seen.has(at); at = ous.get(at)?.parentId) {
    if (at === id) return true;
    seen.add(at);
  }
  return false;
}
