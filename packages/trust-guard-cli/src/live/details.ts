import { paginateGetAccountAuthorizationDetails, type IAMClient } from '@aws-sdk/client-iam';

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
