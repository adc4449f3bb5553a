import * as fs from 'node:fs';
import * as path from 'node:path';
import { sampleRegistryText } from '@trustline/registry';

// One owner for workspace copies: the bench package (also used by the scale benchmark).
export { REPO, copyWorkspace } from '@trustline/bench';

/**
 * Replaces the copy's accounts.json with the frozen sample registry (dev, prod, test), so a test that
 * lists accounts does not move when a team onboards one. Project folders of other accounts stay, unused.
 */
export function useSampleRegistry(workspace: string): void {
  fs.writeFileSync(path.join(workspace, 'accounts.json'), sampleRegistryText());
}
