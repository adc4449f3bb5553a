import type { GetAccountAuthorizationDetailsCommandInput, GetAccountAuthorizationDetailsCommandOutput } from '@aws-sdk/client-iam';

/** The lists of `aws iam get-account-authorization-details` output, merged over every page. */
export interface AuthorizationDetails {
  UserDetailList: unknown[];
  GroupDetailList: unknown[];
  RoleDetailList: unknown[];
  Policies: unknown[];
}

/** One page request; the SDK client in production, a fake in tests. */
export type DetailsPage = (input: GetAccountAuthorizationDetailsCommandInput) => Promise<Pick<GetAccountAuthorizationDetailsCommandOutput, 'UserDetailList' | 'GroupDetailList' | 'RoleDetailList' | 'Policies' | 'IsTruncated' | 'Marker'>>;

/** Pages are capped so a server that never stops truncating cannot loop forever (1000 pages is 100,000 entities). */
export const MAX_PAGES = 1000;

/**
 * Reads every page of GetAccountAuthorizationDetails (following `Marker` while `IsTruncated`) and returns
 * the merged lists in the shape of the CLI's output, which `check` reads from a file.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
 */
export async function readAuthorizationDetails(page: DetailsPage): Promise<AuthorizationDetails> {
  const details: AuthorizationDetails = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
  let marker: string | undefined;
  for (let n = 0; n < MAX_PAGES; n++) {
    const out = await page(marker ? { Marker: marker } : {});
    details.UserDetailList.push(...(out.UserDetailList ?? []));
    details.GroupDetailList.push(...(out.GroupDetailList ?? []));
    details.RoleDetailList.push(...(out.RoleDetailList ?? []));
    details.Policies.push(...(out.Policies ?? []));
    if (!out.IsTruncated) return details;
    if (!out.Marker) throw new Error('GetAccountAuthorizationDetails answered IsTruncated without a Marker, so the next page cannot be read.');
    if (out.Marker === marker) throw new Error(`GetAccountAuthorizationDetails returned the same Marker ${JSON.stringify(marker)} twice; stopping instead of looping.`);
    marker = out.Marker;
  }
  throw new Error(`GetAccountAuthorizationDetails was still truncated after ${MAX_PAGES} pages; stopping.`);
}
