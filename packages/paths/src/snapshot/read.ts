import { JsonError, parseJson } from '@trustline/json';
import { ACCOUNT_ID, isObj, policyDocumentKind } from '@trustline/trust';
import type { OrgSnapshot, Organization, SnapshotAccount } from '../types';
import { parseCollectReport } from './collect';
import { isAuthorizationDetails, parseAuthorizationDetails, type SnapshotLocation } from './gaad';
import { ORGANIZATION_FILE, parseOrganization } from './organization';
import { jsonErrorProblem, type SnapshotProblem } from './problems';

/** One input file: its name as the user wrote it (for messages) and its bytes or text. */
export interface SnapshotFile {
  readonly name: string;
  readonly bytes: Uint8Array | string;
}

/** An account's GAAD output given with its account id, so `name` may be any label (a live scan's `account dev (111111111111)`). */
export interface SnapshotAccountFile extends SnapshotFile {
  /** The account the output is about; without it, the id is taken from a name `<accountId>.json`. */
  readonly accountId?: string;
}

/** An account the caller could not read (no file to give), and why. */
export interface SnapshotUnreadable {
  readonly accountId: string;
  readonly reason: string;
}

export interface SnapshotInput {
  /** `organization.json`, when there is one. Without it there are no SCPs or RCPs and no organization id. */
  readonly organization?: SnapshotFile;
  /** `<accountId>.json` files: each one account's GAAD output, the id taken from the file name (or given as `accountId`). */
  readonly accounts?: readonly SnapshotAccountFile[];
  /** Other files: GAAD output (the account is the one its ARNs name) or a single trust policy document. */
  readonly loose?: readonly SnapshotFile[];
  /** `collect.json`, written by `trust-guard collect`: why an account is unreadable, and the problems collection met. */
  readonly collect?: SnapshotFile;
  /**
   * Accounts known to be unreadable without an `organization.json` to list them (a live scan that could not
   * assume into an account): each is `status: "unreadable"` with its reason, so paths through it are `unknown`.
   */
  readonly unreadable?: readonly SnapshotUnreadable[];
}

export interface SnapshotRead {
  readonly snapshot: OrgSnapshot;
  /** Every fault, in file order; an empty list means every input was read whole. */
  readonly problems: readonly SnapshotProblem[];
  /** Where each role and user read from a GAAD file starts, by ARN (SARIF results point there). */
  readonly locations: ReadonlyMap<string, SnapshotLocation>;
}

/** The account id a file named `<accountId>.json` (any folder) is about, else undefined. */
export function accountFileId(name: string): string | undefined {
  const base = name.replace(/^.*[\\/]/, '');
  const m = /^(\d{12})\.json$/.exec(base);
  return m !== null && ACCOUNT_ID.test(m[1]) ? m[1] : undefined;
}

/**
 * The account a loose trust policy document is put in: a role needs an account, and a document alone names
 * none. This id is no AWS account (AWS issues none that is all zeros), so no registry or organization
 * account is ever taken for it; every report shows it.
 */
export const LOOSE_DOCUMENTS_ACCOUNT = '000000000000';

/**
 * Builds an organization snapshot from its files. Pure: the caller reads the folder and hands in names and
 * bytes. Faults never throw and are never dropped; one problem each, with file, line and column:
 * - an account of `organization.json` without its `<accountId>.json` becomes `status: "unreadable"` with the
 *   reason, so the engine marks paths through it `unknown` instead of dropping them;
 * - an account file that cannot be read at all makes its account unreadable the same way, and so does an
 *   account given in `unreadable` (no problem: the caller reports why it could not read it);
 * - an account file for an account the organization does not list is still read (and reported);
 * - whatever {@link parseOrganization} and {@link parseAuthorizationDetails} report.
 * A loose file may be GAAD output or a single trust policy document (judged as the trust policy of a role
 * named after the file, in {@link LOOSE_DOCUMENTS_ACCOUNT}); anything else is a problem.
 */
export function readSnapshot(input: SnapshotInput): SnapshotRead {
  const problems: SnapshotProblem[] = [];
  let organization: Organization | undefined;
  if (input.organization !== undefined) {
    const read = parseOrganization(input.organization.name, input.organization.bytes);
    problems.push(...read.problems);
    organization = read.organization;
  }
  const accounts = new Map<string, SnapshotAccount>();
  const fileOf = new Map<string, string>();
  const locations = new Map<string, SnapshotLocation>();
  const unreadable = (accountId: string, reason: string): SnapshotAccount => ({ accountId, status: 'unreadable', reason, roles: [], users: [], groups: [], managedPolicies: new Map() });
  const add = (account: SnapshotAccount, file: string) => {
    const earlier = accounts.get(account.accountId);
    if (earlier !== undefined) {
      problems.push({ file, accountId: account.accountId, message: `account ${account.accountId} is given by more than one file; ${file} is not read (keep one file per account).` });
      return;
    }
    accounts.set(account.accountId, account);
    fileOf.set(account.accountId, file);
  };
  for (const f of input.accounts ?? []) {
    const id = f.accountId ?? accountFileId(f.name);
    if (id === undefined) {
      problems.push({ file: f.name, message: `${f.name} is not named <accountId>.json (12 digits), so its account is unknown; name it after the account, or pass it as a loose file.` });
      continue;
    }
    const read = parseAuthorizationDetails(f.name, f.bytes, id);
    problems.push(...read.problems);
    for (const [arn, at] of read.locations ?? []) locations.set(arn, at);
    add(read.account ?? unreadable(id, `${f.name} could not be read: ${read.problems[0]?.message ?? 'unknown fault'}`), f.name);
  }
  const looseRoles: SnapshotAccount['roles'][number][] = [];
  for (const f of input.loose ?? []) {
    let value: unknown;
    try {
      value = parseJson(f.bytes, { file: f.name });
    } catch (e) {
      if (!(e instanceof JsonError)) throw e;
      problems.push(jsonErrorProblem(e, f.name, f.name));
      continue;
    }
    if (isAuthorizationDetails(value)) {
      const read = parseAuthorizationDetails(f.name, f.bytes);
      problems.push(...read.problems);
      for (const [arn, at] of read.locations ?? []) locations.set(arn, at);
      if (read.account !== undefined) add(read.account, f.name);
    } else if (isObj(value) && 'Statement' in value && policyDocumentKind(value) === 'trust') {
      const name = f.name.replace(/^.*[\\/]/, '').replace(/\.json$/i, '');
      looseRoles.push({ arn: `arn:aws:iam::${LOOSE_DOCUMENTS_ACCOUNT}:role/${name}`, name, path: '/', trustPolicy: value, inlinePolicies: [], managedPolicyArns: [], tags: {} });
    } else if (isObj(value) && 'Statement' in value) {
      problems.push({ file: f.name, line: 1, column: 1, message: `${f.name} is an identity policy document: alone it belongs to no principal, so no path starts or ends in it. Pass the account's get-account-authorization-details output instead, or check the document with trust-guard check.` });
    } else {
      problems.push({ file: f.name, line: 1, column: 1, message: `${f.name} is JSON but no snapshot input (organization.json, get-account-authorization-details output, or a trust policy document).` });
    }
  }
  for (const u of input.unreadable ?? []) {
    if (accounts.has(u.accountId)) {
      problems.push({ file: fileOf.get(u.accountId) ?? `${u.accountId}.json`, accountId: u.accountId, message: `account ${u.accountId} is given as unreadable (${u.reason}) and with its IAM; the IAM is read.` });
    } else accounts.set(u.accountId, unreadable(u.accountId, u.reason));
  }
  if (looseRoles.length > 0) add({ accountId: LOOSE_DOCUMENTS_ACCOUNT, status: 'read', roles: looseRoles, users: [], groups: [], managedPolicies: new Map() }, 'loose policy documents');

  // collect.json: the reason collection gives for each account it could not read, and its other problems.
  const collected = new Map<string, string>();
  if (input.collect !== undefined) {
    const read = parseCollectReport(input.collect.name, input.collect.bytes);
    problems.push(...read.problems);
    for (const a of read.report?.accounts ?? []) if (a.status === 'unreadable') collected.set(a.accountId, `${a.code !== undefined ? `${a.code}: ` : ''}${a.reason ?? 'no reason given'}`);
    for (const p of read.report?.problems ?? []) problems.push({ file: input.collect.name, ...(p.accountId !== undefined && { accountId: p.accountId }), message: `trust-guard collect: ${p.code} [${p.where}]: ${p.message}` });
  }
  if (organization !== undefined) {
    const listed = new Set(organization.accounts.map((a) => a.accountId));
    for (const a of organization.accounts) {
      if (accounts.has(a.accountId)) continue;
      const why = collected.get(a.accountId);
      const reason = why !== undefined ? `collect could not read it (${why})` : `no ${a.accountId}.json in the snapshot`;
      problems.push({
        file: why !== undefined ? (input.collect?.name ?? 'collect.json') : (input.organization?.name ?? ORGANIZATION_FILE),
        accountId: a.accountId,
        message:
          `account ${a.accountId}${a.name !== undefined ? ` (${a.name})` : ''} is in the organization but its IAM is missing (${reason}); it is unreadable, and every path through it is reported as "unknown". ` +
          (why !== undefined ? 'Fix what the reason says and collect again.' : `Add its get-account-authorization-details output as ${a.accountId}.json.`),
      });
      accounts.set(a.accountId, unreadable(a.accountId, reason));
    }
    for (const a of accounts.values()) {
      if (!listed.has(a.accountId) && a.accountId !== LOOSE_DOCUMENTS_ACCOUNT) {
        problems.push({ file: fileOf.get(a.accountId) ?? `${a.accountId}.json`, accountId: a.accountId, message: `account ${a.accountId} has an IAM file but is not in ${input.organization?.name ?? ORGANIZATION_FILE}; it is read with no OU, so no SCP or RCP applies to it. Add it to "accounts" with its parentId.` });
      }
    }
  }
  const ordered = [...accounts.values()].sort((a, b) => a.accountId.localeCompare(b.accountId));
  return { snapshot: { ...(organization !== undefined && { organization }), accounts: ordered }, problems, locations };
}
