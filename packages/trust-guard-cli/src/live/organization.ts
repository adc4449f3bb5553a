/**
 * Reads an AWS organization through the Organizations API into the snapshot's `organization.json` shape
 * (packages/paths, type `Organization`): the root, the OU tree, every account with its parent, and the
 * SCPs and RCPs with their targets. Every call that fails becomes a {@link CollectProblem}; only the calls
 * without which there is no organization at all (DescribeOrganization, ListRoots, ListAccounts) make the
 * read fail as a whole.
 */
import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListAccountsCommand,
  ListOrganizationalUnitsForParentCommand,
  ListParentsCommand,
  ListPoliciesCommand,
  ListRootsCommand,
  ListTargetsForPolicyCommand,
  type OrganizationsClient,
  type PolicySummary,
} from '@aws-sdk/client-organizations';
import type { CollectProblem, OrgAccount, OrgPolicy, OrgPolicyType, Organization, OrganizationalUnit } from '@trustline/paths';
import { errorCode, errorMessage } from './diagnose';
import { forEachAccount } from './pool';

/** The policy types a snapshot carries (issue 18: the engine reads SCPs and RCPs). */
export const COLLECTED_POLICY_TYPES: readonly OrgPolicyType[] = ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'];

/** Pages of one Organizations listing before giving up: 1000 pages of 20 is 20,000 items, past any organization's quota. */
const MAX_PAGES = 1000;

/** Organizations answers slower than IAM and with lower request quotas: four calls at once for the per-account and per-policy reads. */
export const ORGANIZATIONS_CONCURRENCY = 4;

/** What {@link readOrganization} returns: the organization (absent when a call it cannot do without failed) and every problem. */
export interface OrganizationRead {
  readonly organization?: Organization;
  readonly problems: readonly CollectProblem[];
  /** Notes that are no fault, e.g. a policy type that is not enabled (so the snapshot carries none of it, and the engine treats it as off). */
  readonly notes: readonly string[];
}

/** Thrown inside this module for a call whose failure ends the read; turned into a problem by {@link readOrganization}. */
class FatalCall extends Error {
  constructor(readonly problem: CollectProblem) {
    super(problem.message);
  }
}

/** One sentence for a failed Organizations call: the call, the AWS error, and what is missing because of it. */
export function callProblem(where: string, error: unknown, missing: string): CollectProblem {
  const e = error as { $metadata?: { httpStatusCode?: number }; $response?: { statusCode?: number } } | undefined;
  const status = e?.$metadata?.httpStatusCode ?? e?.$response?.statusCode;
  let code = errorCode(error);
  let message = errorMessage(error);
  // An error body the SDK cannot parse (moto answers a denied JSON-protocol call in XML) still has its HTTP status.
  if (code === 'SyntaxError' && status !== undefined) {
    code = status === 403 ? 'AccessDenied' : `HTTP ${status}`;
    message = `HTTP ${status}, with an error body the SDK could not parse`;
  }
  const denied = /AccessDenied/.test(code);
  const throttled = /Throttl|TooManyRequests/.test(code);
  return {
    code: denied ? 'organizations-access-denied' : throttled ? 'organizations-throttled' : 'organizations-call-failed',
    where,
    message:
      `${where} failed (${code || 'Error'}: ${message}), so ${missing}.` +
      (denied ? ' Collect from the management account or a delegated administrator, with organizations:List* and organizations:Describe* allowed (--org-role).' : '') +
      (throttled ? " AWS kept throttling after the SDK's adaptive retries; rerun later or with a lower --concurrency." : ''),
  };
}

/** Follows NextToken until a page has none; a token that comes back, or too many pages, is an error rather than a loop. */
async function allPages<T>(page: (token: string | undefined) => Promise<{ items: readonly T[] | undefined; next: string | undefined }>): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  for (let n = 0; n < MAX_PAGES; n++) {
    const out = await page(token);
    items.push(...(out.items ?? []));
    if (!out.next) return items;
    if (out.next === token) throw new Error(`the API returned the same NextToken ${JSON.stringify(token)} twice; stopping instead of looping`);
    token = out.next;
  }
  throw new Error(`still more pages after ${MAX_PAGES}; stopping`);
}

/**
 * Reads the organization the client's credentials can see (the management account, or a delegated
 * administrator for Organizations). `signal` aborts every call; `timeoutMs` bounds each per-account
 * ListParents and per-policy read.
 */
export async function readOrganization(client: OrganizationsClient, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<OrganizationRead> {
  const problems: CollectProblem[] = [];
  const notes: string[] = [];
  const opts = options.signal ? { abortSignal: options.signal } : {};
  const must = async <T>(where: string, missing: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      throw new FatalCall(callProblem(where, error, missing));
    }
  };
  try {
    const described = await must('DescribeOrganization', 'there is no organization id and no snapshot was written', () => client.send(new DescribeOrganizationCommand({}), opts));
    const organizationId = described.Organization?.Id ?? '';
    const managementAccountId = described.Organization?.MasterAccountId ?? '';
    const roots = await must('ListRoots', 'the OU tree cannot be read and no snapshot was written', () =>
      allPages(async (NextToken) => {
        const out = await client.send(new ListRootsCommand({ NextToken }), opts);
        return { items: out.Roots, next: out.NextToken };
      }),
    );
    const root = roots[0];
    if (root?.Id === undefined) throw new FatalCall({ code: 'organizations-call-failed', where: 'ListRoots', message: 'ListRoots returned no root, so the OU tree cannot be read and no snapshot was written.' });
    const rootId = root.Id;

    // The OU tree, breadth first from the root.
    const organizationalUnits: OrganizationalUnit[] = [];
    const queue = [rootId];
    while (queue.length > 0) {
      const parentId = queue.shift() as string;
      try {
        const children = await allPages(async (NextToken) => {
          const out = await client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parentId, NextToken }), opts);
          return { items: out.OrganizationalUnits, next: out.NextToken };
        });
        for (const ou of children) {
          if (ou.Id === undefined) continue;
          organizationalUnits.push({ id: ou.Id, parentId, name: ou.Name ?? ou.Id });
          queue.push(ou.Id);
        }
      } catch (error) {
        problems.push(callProblem(`ListOrganizationalUnitsForParent ${parentId}`, error, `the OUs below ${parentId} are missing from the snapshot (accounts in them name a parent it does not hold)`));
      }
    }

    const listed = await must('ListAccounts', 'the accounts cannot be read and no snapshot was written', () =>
      allPages(async (NextToken) => {
        const out = await client.send(new ListAccountsCommand({ NextToken }), opts);
        return { items: out.Accounts, next: out.NextToken };
      }),
    );
    const accountIds = listed.map((a) => a.Id).filter((id): id is string => id !== undefined);
    const names = new Map(listed.map((a) => [a.Id, a.Name]));
    const pool = { concurrency: ORGANIZATIONS_CONCURRENCY, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) };
    const accounts = await forEachAccount<string, OrgAccount>(
      accountIds,
      pool,
      async (accountId, signal) => {
        const out = await client.send(new ListParentsCommand({ ChildId: accountId }), { abortSignal: signal });
        const parentId = out.Parents?.[0]?.Id;
        if (parentId === undefined) throw new Error('ListParents returned no parent');
        return { accountId, ...(names.get(accountId) ? { name: names.get(accountId) } : {}), parentId };
      },
      (accountId, error) => {
        problems.push({
          ...callProblem(`ListParents ${accountId}`, error, `the OU of account ${accountId} is unknown; it is written under the root ${rootId}, so only the root's SCPs and RCPs apply to it in the snapshot`),
          accountId,
        });
        return { accountId, ...(names.get(accountId) ? { name: names.get(accountId) } : {}), parentId: rootId };
      },
    );

    const enabled = new Set((root.PolicyTypes ?? []).filter((t) => t.Status === 'ENABLED').map((t) => t.Type));
    const policies: OrgPolicy[] = [];
    for (const type of COLLECTED_POLICY_TYPES) {
      if (!enabled.has(type)) {
        notes.push(`${type} is not enabled on root ${rootId}: the snapshot holds none, and the engine treats the type as off.`);
        continue;
      }
      let summaries: PolicySummary[];
      try {
        summaries = await allPages(async (NextToken) => {
          const out = await client.send(new ListPoliciesCommand({ Filter: type, NextToken }), opts);
          return { items: out.Policies, next: out.NextToken };
        });
      } catch (error) {
        problems.push(callProblem(`ListPolicies ${type}`, error, `the snapshot holds no ${type}, and the engine would treat the type as off: paths it blocks are reported as open`));
        continue;
      }
      const read = await forEachAccount<PolicySummary, OrgPolicy | undefined>(
        summaries.filter((s) => s.Id !== undefined),
        pool,
        async (summary, signal) => {
          const id = summary.Id as string;
          const described = await client.send(new DescribePolicyCommand({ PolicyId: id }), { abortSignal: signal });
          const content = described.Policy?.Content;
          if (content === undefined) throw new Error('DescribePolicy returned no Content');
          const targets = await allPages(async (NextToken) => {
            const out = await client.send(new ListTargetsForPolicyCommand({ PolicyId: id, NextToken }), { abortSignal: signal });
            return { items: out.Targets, next: out.NextToken };
          });
          return { id, type, name: summary.Name ?? id, content, targets: targets.map((t) => t.TargetId).filter((t): t is string => t !== undefined) };
        },
        (summary, error) => {
          problems.push(callProblem(`DescribePolicy/ListTargetsForPolicy ${summary.Id}`, error, `${type} ${summary.Id} (${summary.Name ?? 'no name'}) is missing from the snapshot: what it denies is not applied`));
          return undefined;
        },
      );
      policies.push(...read.filter((p): p is OrgPolicy => p !== undefined));
    }

    // A target that is neither the root, an OU read above nor an account: the policy is kept as AWS returned
    // it, and the problem says that the snapshot cannot place it.
    const known = new Set([rootId, ...organizationalUnits.map((o) => o.id), ...accountIds]);
    for (const policy of policies) {
      for (const target of policy.targets) {
        if (!known.has(target)) {
          problems.push({
            code: 'policy-target-unknown',
            where: `policy ${policy.id}`,
            message: `${policy.type} ${policy.id} (${policy.name}) is attached to ${target}, which is neither the root, an OU nor an account the collection read; it applies to nothing in the snapshot.`,
          });
        }
      }
    }
    return { organization: { organizationId, managementAccountId, rootId, organizationalUnits, accounts, policies }, problems, notes };
  } catch (error) {
    if (!(error instanceof FatalCall)) throw error;
    return { problems: [...problems, error.problem], notes };
  }
}
