import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyWorkspace, onboardAccounts } from '@trustline/bench';
import { useSampleOrganization } from '@trustline/workspace-plugin';

/** The workspace this suite lives in: its code is copied, its registry and projects are not used. */
const WORKSPACE = path.resolve(__dirname, '../../..');

/** The project the suite edits by hand: an extra stack output, which only a real run of the edited file registers. */
export const HAND_EDITED = 'prod';
export const HAND_EDIT = "\nexport const handEdited = 'kept by a person';\n";
/** How many accounts the suite onboards through the generator on top of the sample's. */
export const ONBOARDED = 2;

/**
 * A temporary copy of this workspace holding the frozen sample organization (never the checkout's own
 * accounts or projects: the sample's projects are rendered by the account generator), `count` accounts
 * onboarded by the account generator, and, unless `handEdit` is false, a hand-edited `prod`. The caller
 * removes it.
 */
export async function conformanceWorkspace(count = ONBOARDED, handEdit = true): Promise<string> {
  // Without the checkout's projects: the sample's are rendered by the generator (useSampleOrganization),
  // so neither the copy's cost nor its content depends on the accounts the checkout holds.
  const ws = copyWorkspace(WORKSPACE, 'trustline-conformance-', ['projects']);
  useSampleOrganization(ws);
  // The generator prints each account's next steps; the suite's output keeps to its own summary.
  const { info, log } = console;
  console.info = console.log = () => undefined;
  try {
    if (count > 0) await onboardAccounts(ws, count);
  } finally {
    Object.assign(console, { info, log });
  }
  if (handEdit) fs.appendFileSync(path.join(ws, 'projects', HAND_EDITED, 'index.ts'), HAND_EDIT);
  return ws;
}
