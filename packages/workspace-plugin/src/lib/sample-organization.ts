import * as fs from 'node:fs';
import * as path from 'node:path';
import { REGISTRY_FILE, editRegistryText, loadSampleRegistry, sampleRegistryText } from '@trustline/registry';
import { ROOT_SCHEMA_REF } from '../generators/org-init/generator';
import { PROJECTS_DIR } from '../generators/account/plan';
import { renderedProject } from './rendered-project';

/**
 * Makes the workspace at `root` (a temporary copy, for tests and benchmarks) hold the frozen sample
 * organization: the sample registry (@trustline/registry's fixture) as accounts.json, and exactly its
 * account projects, rendered by the account generator where the copy lacks one. Tests that need the
 * sample's dev, test and prod use this, so they pass whatever organization the checkout describes
 * (after `npm run org:init` the sample projects are gone from it).
 */
export function useSampleOrganization(root: string): void {
  // At the root, `$schema` points into packages/registry (the fixture's is relative to fixtures/).
  const { text } = editRegistryText(sampleRegistryText(), REGISTRY_FILE, (raw) => ({ ...raw, $schema: ROOT_SCHEMA_REF }));
  fs.writeFileSync(path.join(root, REGISTRY_FILE), text);
  const registry = loadSampleRegistry();
  const keys = new Set(registry.accounts.map((a) => a.key));
  const projects = path.join(root, PROJECTS_DIR);
  for (const dir of fs.existsSync(projects) ? fs.readdirSync(projects) : []) {
    if (!keys.has(dir)) fs.rmSync(path.join(projects, dir), { recursive: true, force: true });
  }
  for (const entry of registry.accounts) {
    const dir = path.join(projects, entry.key);
    if (fs.existsSync(dir)) continue;
    for (const [file, text] of renderedProject(entry, registry)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
  }
}
