import * as path from 'node:path';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { COLLECT_REPORT_FILE, ORGANIZATION_FILE, type CollectedAccount, type CollectProblem, type CollectReport, type OrgAccount, type Organization } from '@trustline/paths';
import { CHAINED_SESSION_MAX_SECONDS, hopSessionName, ROLE_ARN, ROLE_NAME, roleArn, roleChain, sessionName, type AccountRegistry, type RoleHop } from '@trustline/registry';
import { createStaging, outProblem, type Staging } from '@trustline/trust-guard';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CliIO } from '../cli/io';
import { assumeChain, baseCredentials, callerIdentity, ChainError, clientConfig, diagnoseChainError, sdkStsClient, type AwsTarget, type ClientConfig, type Credentials } from './aws';
import { addBoundaryPolicies, readAuthorizationDetails, type AuthorizationDetails } from './details';
import { diagnose, errorCode, errorMessage, type Diagnosis } from './diagnose';
import { readOrganization } from './organization';
import { DEFAULT_COLLECT_CONCURRENCY, DEFAULT_TIMEOUT_SECONDS, forEachAccount, progressLines, type PoolOptions } from './pool';
import { checkUsage, formatOption, liveSetup, poolOptions, UsageError, type LiveDeps, type LiveRunOptions } from './setup';

/** Creates the Organizations client (tests wrap it to inject errors). */
export type OrganizationsClientFactory = (config: ClientConfig) => OrganizationsClient;
/** Creates each account's IAM client (tests wrap it to inject errors). */
export type IamClientFactory = (config: ClientConfig) => IAMClient;

/** What `collect` talks to AWS through; the CLI passes nothing and gets the SDK. */
export interface CollectDeps extends LiveDeps {
  readonly organizations?: OrganizationsClientFactory;
  readonly iam?: IamClientFactory;
}

export interface CollectOptions extends Omit<LiveRunOptions, 'accounts'> {
  /** The snapshot folder to write (replaced atomically). */
  readonly out: string;
  /** Read every account through this role (a read-only audit role) instead of the registry's deploy roles. */
  readonly roleName?: string;
  /** Make the Organizations calls as this role (assumed through the hub), instead of with the caller's own credentials. */
  readonly orgRoleArn?: string;
  readonly organizations?: OrganizationsClientFactory;
  readonly iam?: IamClientFactory;
  /** The time written as `collectedAt`. @default now */
  readonly now?: Date;
}

export interface CollectResult {
  /** True when the folder was replaced by the new snapshot. */
  readonly written: boolean;
  /** What was collected; when nothing was written, its `problems` say why. */
  readonly report: CollectReport;
  readonly organization?: Organization;
  /** Facts that are no fault (a policy type not enabled). */
  readonly notes: readonly string[];
}

/** How one account is read: the role chain ending in the role whose credentials call IAM, or why there is none. */
export interface AccountPlan {
  readonly account: OrgAccount;
  /** Hops to assume; empty: the caller's own credentials. Absent: no role is known (`noRole` says why). */
  readonly hops?: readonly RoleHop[];
  /** The ARN whose credentials read the account (the last hop, or the caller). */
  readonly readAs: string;
  readonly noRole?: string;
}

/**
 * The chain that reads each account: for a registry account its deploy chain (hub, then deploy role with its
 * ExternalId), for the identity account the hub role itself, and with `roleName` the hub then that role in
 * every account. An account the registry does not list has no known role without `roleName`.
 */
export function planAccount(registry: AccountRegistry, account: OrgAccount, callerArn: string, roleName?: string): AccountPlan {
  const identity = registry.identity;
  const entry = registry.accounts.find((a) => a.accountId === account.accountId);
  const key = entry?.key ?? (account.accountId === identity.accountId ? identity.key : account.accountId);
  const hub: RoleHop[] = identity.hubRoleName
    ? [{ roleArn: roleArn(identity.accountId, identity.hubRoleName, identity.region), sessionName: hopSessionName('hub', key), durationSeconds: CHAINED_SESSION_MAX_SECONDS }]
    : [];
  const plan = (hops: RoleHop[]): AccountPlan => ({ account, hops, readAs: hops.length > 0 ? hops[hops.length - 1].roleArn : callerArn });
  if (roleName !== undefined) {
    return plan([...hub, { roleArn: roleArn(account.accountId, roleName, entry?.region ?? identity.region), sessionName: sessionName('trustline', 'collect', key), durationSeconds: CHAINED_SESSION_MAX_SECONDS }]);
  }
  if (entry !== undefined) return plan(roleChain(registry, entry, 'deploy'));
  if (account.accountId === identity.accountId) return plan(hub);
  return {
    account,
    readAs: '',
    noRole: `account ${account.accountId}${account.name ? ` (${account.name})` : ''} is not in the registry, so it has no deploy role to read it through; pass --role-name with a read-only audit role that every account has.`,
  };
}

/** One account's outcome. */
interface AccountOutcome {
  readonly account: CollectedAccount;
  readonly problems: readonly CollectProblem[];
}


const unreadable = (plan: AccountPlan, code: string, reason: string): AccountOutcome => ({
  account: { accountId: plan.account.accountId, status: 'unreadable', ...(plan.readAs ? { readAs: plan.readAs } : {}), code, reason },
  problems: [],
});

/**
 * `trust-guard collect`: reads the organization (Organizations, with the caller's credentials or
 * `orgRoleArn`), then every account's IAM through its role chain, and writes the snapshot folder of issue 18
 * (organization.json, `<accountId>.json` as GetAccountAuthorizationDetails returns it, and collect.json)
 * into a staging folder renamed to `out` at the end. An account that cannot be read gets no file and is
 * `unreadable` in collect.json with the reason; every other fault is a problem there.
 */
export async function runCollect(options: CollectOptions): Promise<CollectResult> {
  const { registry, credentials, endpoint } = options;
  const sts = options.sts ?? sdkStsClient;
  const createOrganizations = options.organizations ?? ((config: ClientConfig) => new OrganizationsClient(config));
  const createIam = options.iam ?? ((config: ClientConfig) => new IAMClient(config));
  const collectedAt = (options.now ?? new Date()).toISOString();
  const base: AwsTarget = { region: registry.identity.region, ...(endpoint ? { endpoint } : {}) };
  const failed = (caller: string, readAs: string, problem: CollectProblem): CollectResult => ({
    written: false,
    report: { schemaVersion: 1, collectedAt, caller, organizationReadAs: readAs, accounts: [], problems: [problem] },
    notes: [],
  });

  let callerArn: string;
  try {
    callerArn = (await callerIdentity(base, credentials, sts)).arn;
  } catch (error) {
    const d = diagnose(error, { step: 'credentials', ...(endpoint ? { endpoint } : {}) });
    return failed('', '', { code: d.code, where: 'GetCallerIdentity', message: `${d.problem} Nothing was collected. Fix: ${d.fix}` });
  }

  // The Organizations calls: the caller's own credentials, or --org-role reached through the hub.
  let orgCredentials: Credentials = credentials;
  let organizationReadAs = callerArn;
  if (options.orgRoleArn !== undefined) {
    const hops: RoleHop[] = [
      ...(registry.identity.hubRoleName
        ? [{ roleArn: roleArn(registry.identity.accountId, registry.identity.hubRoleName, registry.identity.region), sessionName: hopSessionName('hub', 'organizations'), durationSeconds: CHAINED_SESSION_MAX_SECONDS }]
        : []),
      { roleArn: options.orgRoleArn, sessionName: sessionName('trustline', 'collect', 'organizations'), durationSeconds: CHAINED_SESSION_MAX_SECONDS },
    ];
    try {
      const assumed = await assumeChain(base, credentials, hops, callerArn, sts);
      orgCredentials = assumed[assumed.length - 1].credentials;
      organizationReadAs = options.orgRoleArn;
    } catch (error) {
      if (!(error instanceof ChainError)) throw error;
      const d = diagnoseChainError(error, hops.length, {});
      return failed(callerArn, options.orgRoleArn, { code: d.code, where: `sts:AssumeRole ${error.hop.roleArn}`, message: `${d.problem} Nothing was collected. Fix: ${d.fix}` });
    }
  }
  const timeoutMs = options.pool?.timeoutMs ?? DEFAULT_TIMEOUT_SECONDS * 1000;
  const orgClient = createOrganizations(clientConfig(base, orgCredentials));
  let read;
  try {
    read = await readOrganization(orgClient, { timeoutMs });
  } finally {
    orgClient.destroy();
  }
  const organization = read.organization;
  if (organization === undefined) {
    return { written: false, report: { schemaVersion: 1, collectedAt, caller: callerArn, organizationReadAs, accounts: [], problems: [...read.problems] }, notes: read.notes };
  }

  const staging = createStaging(options.out);
  try {
    const plans = organization.accounts.map((a) => planAccount(registry, a, callerArn, options.roleName));
    const hub = await hubSession(registry, plans, base, credentials, callerArn, sts);
    const outcomes = await forEachAccount<AccountPlan, AccountOutcome>(
      plans,
      options.pool ?? {},
      async (plan, signal) => readAccount(plan, { staging, base, credentials, callerArn, sts, createIam, signal, ...(hub ? { hub } : {}) }),
      (plan, error) => {
        const d = diagnose(error, { step: 'verify', accountKey: plan.account.accountId, ...(endpoint ? { endpoint } : {}) });
        return unreadable(plan, d.code, `${d.problem} Fix: ${d.fix}`);
      },
    );
    const report: CollectReport = {
      schemaVersion: 1,
      collectedAt,
      caller: callerArn,
      organizationReadAs,
      accounts: outcomes.map((o) => o.account),
      problems: [...read.problems, ...outcomes.flatMap((o) => o.problems)],
    };
    staging.write(ORGANIZATION_FILE, organization);
    staging.write(COLLECT_REPORT_FILE, report);
    staging.commit();
    return { written: true, report, organization, notes: read.notes };
  } catch (error) {
    staging.abandon();
    throw error;
  }
}

/** The hub role's session, shared by every account's chain, or why it could not be had. */
type HubSession = { readonly roleArn: string; readonly credentials: Credentials; readonly assumedArn: string } | { readonly roleArn: string; readonly failure: Diagnosis };

/**
 * Assumes the hub role once for the whole run (when any account's chain starts with it): one
 * sts:AssumeRole instead of one per account halves the STS calls and their throttling, and a hub that
 * cannot be assumed is one diagnosis for every account it blocks.
 */
async function hubSession(registry: AccountRegistry, plans: readonly AccountPlan[], base: AwsTarget, credentials: Credentials, callerArn: string, sts: NonNullable<LiveRunOptions['sts']>): Promise<HubSession | undefined> {
  const { identity } = registry;
  if (!identity.hubRoleName) return undefined;
  const hubArn = roleArn(identity.accountId, identity.hubRoleName, identity.region);
  if (!plans.some((p) => p.hops?.[0]?.roleArn === hubArn)) return undefined;
  const hop: RoleHop = { roleArn: hubArn, sessionName: hopSessionName('hub', 'collect'), durationSeconds: CHAINED_SESSION_MAX_SECONDS };
  try {
    const [assumed] = await assumeChain(base, credentials, [hop], callerArn, sts);
    return { roleArn: hubArn, credentials: assumed.credentials, assumedArn: assumed.assumedRoleArn };
  } catch (error) {
    if (!(error instanceof ChainError)) throw error;
    return { roleArn: hubArn, failure: diagnoseChainError(error, 2, {}) };
  }
}

interface ReadContext {
  readonly staging: Staging;
  readonly base: AwsTarget;
  readonly credentials: Credentials;
  readonly callerArn: string;
  readonly sts: NonNullable<LiveRunOptions['sts']>;
  readonly createIam: IamClientFactory;
  readonly signal: AbortSignal;
  readonly hub?: HubSession;
}

/** Assumes the account's chain, reads every GAAD page and the boundary-only policies, and writes `<accountId>.json`. */
async function readAccount(plan: AccountPlan, ctx: ReadContext): Promise<AccountOutcome> {
  const { accountId } = plan.account;
  if (plan.hops === undefined) return unreadable(plan, 'no-role', plan.noRole ?? 'no role is known to read it.');
  // Start from the shared hub session when the chain begins with the hub.
  let session: Credentials = ctx.credentials;
  let caller = ctx.callerArn;
  let hops = plan.hops;
  const hub = ctx.hub !== undefined && hops[0]?.roleArn === ctx.hub.roleArn ? ctx.hub : undefined;
  if (hub !== undefined) {
    if ('failure' in hub) return unreadable(plan, hub.failure.code, `${hub.failure.problem} Fix: ${hub.failure.fix}`);
    session = hub.credentials;
    caller = hub.assumedArn;
    hops = hops.slice(1);
  }
  if (hops.length > 0) {
    try {
      const assumed = await assumeChain(ctx.base, session, hops, caller, ctx.sts, ctx.signal);
      session = assumed[assumed.length - 1].credentials;
    } catch (error) {
      if (!(error instanceof ChainError) || ctx.signal.aborted) throw error;
      const offset = plan.hops.length - hops.length;
      const d = diagnoseChainError(new ChainError(error.hopIndex + offset, error.hop, error.callerArn, error.error), plan.hops.length, { accountKey: plan.account.name ?? accountId });
      return unreadable(plan, d.code, `${d.problem} Fix: ${d.fix}`);
    }
  }
  const iam = ctx.createIam(clientConfig(ctx.base, session));
  try {
    let pages = 0;
    let details: AuthorizationDetails;
    try {
      details = await readAuthorizationDetails(iam, { abortSignal: ctx.signal, onPage: (n) => (pages = n) });
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      const code = errorCode(error);
      const where =
        pages > 0
          ? `GetAccountAuthorizationDetails page ${pages + 1} failed after ${pages} page${pages === 1 ? ' was' : 's were'} read`
          : 'GetAccountAuthorizationDetails failed';
      return unreadable(
        plan,
        pages > 0 ? 'gaad-page-failed' : diagnose(error, { step: 'verify' }).code,
        `${where} as ${plan.readAs} (${code || 'Error'}: ${errorMessage(error)}); none of the account's IAM is kept, since a partial list would hide paths.`,
      );
    }
    const problems = await addBoundaryPolicies(iam, details, accountId, ctx.signal);
    // The deadline may have passed while the last call answered: then the account is reported timed out, and
    // its file must not appear in the snapshot.
    if (ctx.signal.aborted) throw ctx.signal.reason;
    ctx.staging.write(`${accountId}.json`, details);
    return { account: { accountId, status: 'read', readAs: plan.readAs }, problems };
  } finally {
    iam.destroy();
  }
}

/** `collect`'s own options, checked before any AWS call. */
function collectUsage(argv: string[], io: CliIO) {
  const setup = liveSetup('collect', argv, io, { values: ['out', 'role-name', 'org-role', 'format'], flags: [] });
  const o = setup.options;
  if (o.account !== undefined) throw new UsageError('trust-guard collect: --account is not supported; collect reads every account of the organization (a snapshot of part of it would hide paths).');
  if (typeof o.out !== 'string') throw new UsageError('trust-guard collect: --out DIR is required: the snapshot folder to write (new, empty, or a snapshot collect wrote before).');
  const out = path.resolve(io.cwd, o.out);
  const problem = outProblem(out);
  if (problem !== undefined) throw new UsageError(`trust-guard collect: ${problem}`);
  const roleName = typeof o['role-name'] === 'string' ? o['role-name'] : undefined;
  if (roleName !== undefined && !ROLE_NAME.test(roleName)) throw new UsageError(`trust-guard collect: --role-name ${JSON.stringify(roleName)} is not an IAM role name (1 to 64 letters, digits and +=,.@_-).`);
  const orgRoleArn = typeof o['org-role'] === 'string' ? o['org-role'] : undefined;
  if (orgRoleArn !== undefined && !ROLE_ARN.test(orgRoleArn)) throw new UsageError(`trust-guard collect: --org-role ${JSON.stringify(orgRoleArn)} is not a role ARN (arn:aws:iam::<12-digit account>:role/<name>).`);
  const format = formatOption('collect', o);
  const pool: PoolOptions = { ...poolOptions('collect', o, DEFAULT_COLLECT_CONCURRENCY), onProgress: progressLines('collect', io.stderr) };
  return { setup, out, roleName, orgRoleArn, format, pool };
}

/** The text report: the organization, each unreadable account and problem, and where the snapshot went. */
export function renderCollectText(result: CollectResult, out: string): string {
  const lines: string[] = [];
  const { report, organization } = result;
  if (organization) {
    const count = (type: string) => organization.policies.filter((p) => p.type === type).length;
    lines.push(
      `Organization ${organization.organizationId} (management account ${organization.managementAccountId}, root ${organization.rootId}) read as ${report.organizationReadAs}: ` +
        `${organization.organizationalUnits.length} OUs, ${organization.accounts.length} accounts, ${count('SERVICE_CONTROL_POLICY')} SCPs, ${count('RESOURCE_CONTROL_POLICY')} RCPs.`,
    );
    const bad = report.accounts.filter((a) => a.status === 'unreadable');
    lines.push(`Accounts: ${report.accounts.length - bad.length} read, ${bad.length} unreadable.`);
    const names = new Map(organization.accounts.map((a) => [a.accountId, a.name]));
    for (const a of bad) lines.push(`  ${a.accountId}${names.get(a.accountId) ? ` (${names.get(a.accountId)})` : ''}: UNREADABLE (${a.code}) ${a.reason}`);
  }
  if (report.problems.length > 0) {
    lines.push(`Problems (${report.problems.length}):`);
    for (const p of report.problems) lines.push(`  ${p.code} [${p.where}]: ${p.message}`);
  }
  for (const n of result.notes) lines.push(`Note: ${n}`);
  lines.push(result.written ? `Snapshot written to ${out}${complete(result) ? '.' : ' (incomplete: see above; collect.json lists the same).'}` : `No snapshot written; ${out} is unchanged.`);
  return `${lines.join('\n')}\n`;
}

const complete = (r: CollectResult) => r.report.problems.length === 0 && r.report.accounts.every((a) => a.status === 'read');

/**
 * `trust-guard collect --out DIR [--role-name NAME] [--org-role ARN] [--registry FILE] [--endpoint URL]
 * [--format text|json] [--concurrency N] [--timeout SECONDS]`. Exit 0: a complete snapshot; 1: a snapshot
 * with unreadable accounts or problems (each listed); 2: bad usage, or nothing could be collected (the
 * folder is unchanged).
 */
export async function collectCommand(argv: string[], io: CliIO, deps: CollectDeps = {}): Promise<number> {
  const usage = checkUsage(io, () => collectUsage(argv, io));
  if (usage === undefined) return EXIT_USAGE;
  const { setup, out, roleName, orgRoleArn, format, pool } = usage;
  const result = await runCollect({
    registry: setup.registry,
    credentials: baseCredentials(io.env),
    out,
    pool,
    ...(setup.endpoint ? { endpoint: setup.endpoint } : {}),
    ...(roleName ? { roleName } : {}),
    ...(orgRoleArn ? { orgRoleArn } : {}),
    ...(deps.sts ? { sts: deps.sts } : {}),
    ...(deps.organizations ? { organizations: deps.organizations } : {}),
    ...(deps.iam ? { iam: deps.iam } : {}),
  });
  io.stdout(format === 'json' ? `${JSON.stringify({ out, written: result.written, complete: result.written && complete(result), notes: result.notes, ...result.report }, null, 2)}\n` : renderCollectText(result, out));
  if (!result.written) return EXIT_USAGE;
  return complete(result) ? EXIT_OK : EXIT_FINDINGS;
}
