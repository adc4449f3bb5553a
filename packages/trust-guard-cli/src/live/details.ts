import { GetPolicyCommand, GetPolicyVersionCommand, paginateGetAccountAuthorizationDetails, type IAMClient } from '@aws-sdk/client-iam';
import type { CollectProblem } from '@trustline/paths';
import { errorCode, errorMessage } from './diagnose';

/** The lists of `aws iam get-account-authorization-details` output, merged over every page. */
export interface AuthorizationDetails {
  UserDetailList: unknown[];
  GroupDetailList: unknown[];
  RoleDetailList: unknown[];
  Policies: unknown[];
}

/** Pages are capped so a server that never stops truncating cannot loop forever (1000 pages is 100,000 entities). */
export const MAX_PAGES = 1000;

/**
 * Reads every page of GetAccountAuthorizationDetails through the SDK's paginator and returns the merged lists
 * in the shape of the CLI's output, which `check` reads from a file. The paginator follows `Marker` until a page
 * has none; the checks here keep a truncated page without a Marker, or a Marker that comes back, from ending
 * the scan silently with part of the account unread.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
 * @param client the account's IAM client (tests pass an IAMClient whose `send` answers from fixtures)
 * @param options.onPage called after each page with the number of pages read so far, so a caller can say how far a failed read got
 */
export async function readAuthorizationDetails(client: IAMClient, options: { abortSignal?: AbortSignal; onPage?: (pagesRead: number) => void } = {}): Promise<AuthorizationDetails> {
  const details: AuthorizationDetails = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
  let marker: string | undefined;
  let pages = 0;
  for await (const out of paginateGetAccountAuthorizationDetails({ client }, {}, { abortSignal: options.abortSignal })) {
    details.UserDetailList.push(...(out.UserDetailList ?? []));
    details.GroupDetailList.push(...(out.GroupDetailList ?? []));
    details.RoleDetailList.push(...(out.RoleDetailList ?? []));
    details.Policies.push(...(out.Policies ?? []));
    options.onPage?.(pages + 1);
    if (!out.IsTruncated) return details;
    if (!out.Marker) throw new Error('GetAccountAuthorizationDetails answered IsTruncated without a Marker, so the next page cannot be read.');
    if (out.Marker === marker) throw new Error(`GetAccountAuthorizationDetails returned the same Marker ${JSON.stringify(marker)} twice; stopping instead of looping.`);
    if (++pages >= MAX_PAGES) break;
    marker = out.Marker;
  }
  throw new Error(`GetAccountAuthorizationDetails was still truncated after ${MAX_PAGES} pages; stopping.`);
}

type Detail = Record<string, unknown> & { PermissionsBoundary?: { PermissionsBoundaryArn?: string }; Arn?: string };

/**
 * GetAccountAuthorizationDetails can leave out a managed policy that is used only as a permissions boundary
 * (it lists policies attached to a principal): fetch each such document with GetPolicy and GetPolicyVersion
 * and add it to `Policies` in GAAD's own shape, so the snapshot holds every boundary the engine must apply.
 */
export async function addBoundaryPolicies(iam: IAMClient, details: AuthorizationDetails, accountId: string, signal: AbortSignal): Promise<CollectProblem[]> {
  const known = new Set((details.Policies as Detail[]).map((p) => p.Arn));
  const wanted = new Set<string>();
  for (const p of [...details.RoleDetailList, ...details.UserDetailList] as Detail[]) {
    const arn = p.PermissionsBoundary?.PermissionsBoundaryArn;
    if (arn !== undefined && !known.has(arn)) wanted.add(arn);
  }
  const problems: CollectProblem[] = [];
  for (const arn of [...wanted].sort()) {
    try {
      const policy = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }), { abortSignal: signal })).Policy;
      if (policy?.DefaultVersionId === undefined) throw new Error('GetPolicy returned no DefaultVersionId');
      const version = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.DefaultVersionId }), { abortSignal: signal })).PolicyVersion;
      if (version?.Document === undefined) throw new Error('GetPolicyVersion returned no Document');
      details.Policies.push({ ...policy, PolicyVersionList: [version] });
    } catch (error) {
      if (signal.aborted) throw error;
      problems.push({
        code: 'boundary-unreadable',
        where: `permissions boundary ${arn}`,
        accountId,
        message: `The permissions boundary ${arn} of account ${accountId} is not in GetAccountAuthorizationDetails and GetPolicy/GetPolicyVersion failed (${errorCode(error) || 'Error'}: ${errorMessage(error)}); the snapshot names the boundary without its document.`,
      });
    }
  }
  return problems;
}
