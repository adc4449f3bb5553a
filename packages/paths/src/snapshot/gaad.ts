import { JsonError, readJson, type JsonDocument, type PathSegment } from '@trustline/json';
import { ACCOUNT_ID, isObj, principalAccount } from '@trustline/trust';
import type { SnapshotAccount, SnapshotGroup, SnapshotPolicy, SnapshotRole, SnapshotUser } from '../types';
import { readEmbeddedDocument } from './document';
import { jsonErrorProblem, problemAt, type SnapshotProblem } from './problems';

/** The top-level lists of `aws iam get-account-authorization-details` output (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html). */
export const GAAD_LISTS = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'] as const;

/** True for a parsed value that is GAAD output: one page (an object with one of its lists) or a list of such pages. */
export function isAuthorizationDetails(value: unknown): boolean {
  const page = (v: unknown) => isObj(v) && GAAD_LISTS.some((k) => Array.isArray(v[k]));
  return page(value) || (Array.isArray(value) && value.length > 0 && value.every(page));
}

export interface AccountRead {
  /** Absent when nothing of the file could be read (not JSON, not GAAD output, no account id). */
  readonly account?: SnapshotAccount;
  readonly problems: readonly SnapshotProblem[];
  /** Where each role and user of the file starts (its entry in RoleDetailList / UserDetailList), by ARN: findings point there. */
  readonly locations?: ReadonlyMap<string, SnapshotLocation>;
}

/** A place in an input file. */
export interface SnapshotLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

type Obj = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * Reads one account's `aws iam get-account-authorization-details` output: one page, or a list of pages
 * (merged in order). Documents may be objects or URL-encoded text, as the API returns them; each is read
 * with the strict JSON reader. `accountId` is the account the file is named after (`<accountId>.json`);
 * without it (a loose file), the account is the one its ARNs name. Faults, one problem each at its line and
 * column: not JSON or a key given twice (nothing read), not GAAD output, `IsTruncated: true` on the last
 * page (the account is read, but its IAM is incomplete: the problem says so), a principal of another
 * account, a document that does not parse.
 */
export function parseAuthorizationDetails(file: string, input: Uint8Array | string, accountId?: string): AccountRead {
  let doc: JsonDocument;
  try {
    doc = readJson(input, { file });
  } catch (e) {
    if (!(e instanceof JsonError)) throw e;
    return { problems: [jsonErrorProblem(e, file, `the IAM of account ${accountId ?? '(unknown)'}`, accountId)] };
  }
  if (!isAuthorizationDetails(doc.value)) {
    return {
      problems: [
        problemAt(
          doc,
          file,
          [],
          `${file} is not aws iam get-account-authorization-details output (one page, an object with ${GAAD_LISTS.join(', ')}, or a list of pages)${accountId !== undefined ? `, so account ${accountId} is not read` : ''}.`,
          accountId,
        ),
      ],
    };
  }
  const pages: [Obj, PathSegment[]][] = Array.isArray(doc.value) ? (doc.value as Obj[]).map((p, i) => [p, [i]]) : [[doc.value as Obj, []]];
  const problems: SnapshotProblem[] = [];
  const account = accountId ?? accountOf(pages);
  if (account === undefined) {
    return { problems: [problemAt(doc, file, [], `${file} names no account: no role, user, group or customer-managed policy ARN in it, and the file is not named <accountId>.json.`)] };
  }
  const at = (path: readonly PathSegment[], message: string) => problems.push(problemAt(doc, file, path, message, account));
  const [lastPage, lastPath] = pages[pages.length - 1];
  if (lastPage.IsTruncated === true) {
    at([...lastPath, 'IsTruncated'], `the IAM of account ${account} is truncated: the last page says "IsTruncated": true (marker ${JSON.stringify(lastPage.Marker ?? null)}), so roles and policies after it are missing and paths into or out of them would be missed. Fetch every page (the AWS CLI does unless --max-items is given) and save them all, as one object or a list of pages.`);
  }
  const document = (value: unknown, path: PathSegment[], what: string, owner: string): unknown => {
    const read = readEmbeddedDocument(value, doc, file, path, what, account, owner);
    if (read.problem !== undefined) problems.push(read.problem);
    return read.document;
  };
  const ownArn = (arn: string | undefined, path: PathSegment[], what: string): boolean => {
    if (arn === undefined) {
      at(path, `${what} has no Arn; it is not read.`);
      return false;
    }
    const owner = arnAccountId(arn);
    if (owner !== account) {
      at([...path, 'Arn'], `${what} Arn "${arn}" is not in account ${account}${accountId !== undefined ? ` (the file is named ${account}.json)` : ''}; it is not read. Put each account's output in its own <accountId>.json.`);
      return false;
    }
    return true;
  };
  const inline = (owner: string, entries: unknown, path: PathSegment[], what: string): SnapshotPolicy[] =>
    (Array.isArray(entries) ? entries : []).flatMap((p: unknown, i: number) => {
      if (!isObj(p)) return [];
      const name = str(p.PolicyName) ?? `#${i}`;
      const id = `${owner}#inline/${name}`;
      return [{ id, document: document(p.PolicyDocument, [...path, i, 'PolicyDocument'], `${what} inline policy "${name}"`, id) }];
    });
  const attached = (v: unknown): string[] => (Array.isArray(v) ? v.filter(isObj).flatMap((m) => (str(m.PolicyArn) ? [m.PolicyArn as string] : [])) : []);
  const boundary = (v: unknown): { permissionsBoundaryArn?: string } => (isObj(v) && str(v.PermissionsBoundaryArn) ? { permissionsBoundaryArn: v.PermissionsBoundaryArn as string } : {});
  const tags = (v: unknown): Record<string, string> =>
    Object.fromEntries((Array.isArray(v) ? v.filter(isObj) : []).flatMap((t) => (typeof t.Key === 'string' && typeof t.Value === 'string' ? [[t.Key, t.Value]] : [])));

  const locations = new Map<string, SnapshotLocation>();
  const locate = (arn: string, path: PathSegment[]) => {
    const at = doc.positions.at(path);
    if (at !== undefined) locations.set(arn, { file, line: at.line, column: at.column });
  };
  const roles: SnapshotRole[] = [];
  const users: SnapshotUser[] = [];
  const groups: SnapshotGroup[] = [];
  const managedPolicies = new Map<string, unknown>();
  for (const [page, base] of pages) {
    entries(page.RoleDetailList, [...base, 'RoleDetailList'], (r, path) => {
      const name = str(r.RoleName) ?? '(unnamed)';
      const arn = str(r.Arn);
      if (!ownArn(arn, path, `role "${name}"`)) return;
      locate(arn as string, path);
      roles.push({
        arn: arn as string,
        name,
        path: str(r.Path) ?? '/',
        trustPolicy: document(r.AssumeRolePolicyDocument, [...path, 'AssumeRolePolicyDocument'], `the trust policy of role "${name}"`, arn as string),
        inlinePolicies: inline(arn as string, r.RolePolicyList, [...path, 'RolePolicyList'], `role "${name}"`),
        managedPolicyArns: attached(r.AttachedManagedPolicies),
        ...boundary(r.PermissionsBoundary),
        tags: tags(r.Tags),
      });
    });
    entries(page.UserDetailList, [...base, 'UserDetailList'], (u, path) => {
      const name = str(u.UserName) ?? '(unnamed)';
      const arn = str(u.Arn);
      if (!ownArn(arn, path, `user "${name}"`)) return;
      locate(arn as string, path);
      users.push({
        arn: arn as string,
        name,
        path: str(u.Path) ?? '/',
        inlinePolicies: inline(arn as string, u.UserPolicyList, [...path, 'UserPolicyList'], `user "${name}"`),
        managedPolicyArns: attached(u.AttachedManagedPolicies),
        groups: Array.isArray(u.GroupList) ? u.GroupList.filter((g): g is string => typeof g === 'string') : [],
        ...boundary(u.PermissionsBoundary),
        tags: tags(u.Tags),
      });
    });
    entries(page.GroupDetailList, [...base, 'GroupDetailList'], (g, path) => {
      const name = str(g.GroupName) ?? '(unnamed)';
      const arn = str(g.Arn);
      if (!ownArn(arn, path, `group "${name}"`)) return;
      groups.push({ arn: arn as string, name, inlinePolicies: inline(arn as string, g.GroupPolicyList, [...path, 'GroupPolicyList'], `group "${name}"`), managedPolicyArns: attached(g.AttachedManagedPolicies) });
    });
    entries(page.Policies, [...base, 'Policies'], (p, path) => {
      const arn = str(p.Arn);
      const name = str(p.PolicyName) ?? arn ?? '(unnamed)';
      if (arn === undefined) return void at(path, `managed policy "${name}" has no Arn; it is not read.`);
      const versions = Array.isArray(p.PolicyVersionList) ? p.PolicyVersionList : [];
      const index = versions.findIndex((v: unknown) => isObj(v) && v.IsDefaultVersion === true);
      const chosen = index >= 0 ? index : versions.findIndex((v: unknown) => isObj(v) && v.VersionId === p.DefaultVersionId);
      if (chosen < 0) return void at(path, `managed policy "${name}" has no default version in PolicyVersionList; its document is unknown, so it is not judged.`);
      managedPolicies.set(arn, document((versions[chosen] as Obj).Document, [...path, 'PolicyVersionList', chosen, 'Document'], `managed policy "${name}"`, arn));
    });
  }
  return { account: { accountId: account, status: 'read', roles, users, groups, managedPolicies }, problems, locations };
}

/**
 * The account of a role or user ARN (the trust library's principal reader), or of a group or customer-managed
 * policy ARN, which are no principals: `arn:<partition>:iam::<account>:group/...`.
 */
function arnAccountId(arn: string): string | undefined {
  return principalAccount(arn) ?? /^arn:aws[\w-]*:iam::(\d{12}):(?:group|policy)\//.exec(arn)?.[1];
}

function entries(v: unknown, path: PathSegment[], each: (entry: Obj, path: PathSegment[]) => void): void {
  if (!Array.isArray(v)) return;
  v.forEach((e, i) => {
    if (isObj(e)) each(e, [...path, i]);
  });
}

/** The account a loose file is about: the one its role, user, group or customer-managed policy ARNs name first. */
function accountOf(pages: readonly (readonly [Obj, PathSegment[]])[]): string | undefined {
  for (const [page] of pages) {
    for (const key of GAAD_LISTS) {
      for (const e of Array.isArray(page[key]) ? (page[key] as unknown[]) : []) {
        const arn = isObj(e) ? str(e.Arn) : undefined;
        const id = arn === undefined ? undefined : arnAccountId(arn);
        if (id !== undefined && ACCOUNT_ID.test(id)) return id;
      }
    }
  }
  return undefined;
}
