import { useSampleOrganization } from '@trustline/workspace-plugin';

// One owner for workspace copies: the bench package (also used by the scale benchmark).
export { REPO, copyWorkspace } from '@trustline/bench';

/**
 * Makes the copy hold the frozen sample organization: the sample registry (dev, prod, test) and exactly
 * its projects, rendered by the account generator where the checkout has none (after `npm run org:init`
 * it has none). So a test that lists accounts or edits projects/dev does not move when a team onboards
 * an account or adopts the repository.
 */
export function useSampleRegistry(workspace: string): void {
  useSampleOrganization(workspace);
}
