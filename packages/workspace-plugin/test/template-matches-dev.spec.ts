import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { generateFiles } from '@nx/devkit';
import { createTree } from '@nx/devkit/testing';
import { REGISTRY_FILE, getAccount, loadRegistry, loadSampleRegistry } from '@trustline/registry';
import { describe, expect, it } from 'vitest';
import { TEMPLATES_DIR, templateSubstitutions } from '../src';
import { WORKSPACE_ROOT, listFiles } from './helpers';

/**
 * Guard: the templates rendered with the frozen sample's values for `dev` must equal the sample project the
 * checkout ships, projects/dev, file for file. When projects/dev changes, this fails and shows the diff to
 * port into files/ (every account project stays the same shape).
 *
 * The checkout holds the sample's dev only while its registry renders the same values for "dev" as the
 * frozen sample. After `npm run org:init`, or with a "dev" account of your own, there is no sample project
 * to compare, and the comparison is skipped, saying so.
 */
const DEV_ROOT = path.join(WORKSPACE_ROOT, 'projects/dev');
/** Local, generated or machine-specific files that are not part of the project's shape. */
const NOT_SHAPE = /(^|\/)(node_modules|\.nx|dist|coverage|\.pulumi)(\/|$)|\.tsbuildinfo$|^Pulumi\.[^/]+\.local\.yaml$/;

const sample = loadSampleRegistry();
const values = templateSubstitutions(getAccount(sample, 'dev'), sample);

/** Whether projects/dev is the sample's: the live registry renders dev exactly as the frozen sample does. */
function checkoutHoldsSampleDev(): boolean {
  if (!fs.existsSync(DEV_ROOT)) return false;
  const live = loadRegistry(path.join(WORKSPACE_ROOT, REGISTRY_FILE));
  const dev = live.accounts.find((a) => a.key === 'dev');
  return dev !== undefined && isDeepStrictEqual(templateSubstitutions(dev, live), values);
}

describe('files/ templates', () => {
  const tree = createTree();
  generateFiles(tree, TEMPLATES_DIR, 'projects/dev', values);
  const rendered = tree
    .listChanges()
    .filter((c) => c.path.startsWith('projects/dev/'))
    .map((c) => c.path.slice('projects/dev/'.length))
    .sort();

  it('render a project for the sample dev account', () => {
    expect(rendered).toEqual(['Pulumi.dev.yaml', 'Pulumi.yaml', 'index.test.ts', 'index.ts', 'package.json', 'tsconfig.json']);
  });

  const holdsSampleDev = checkoutHoldsSampleDev();
  // A skipped describe still collects its body: list the folder only when it is the sample's.
  describe.skipIf(!holdsSampleDev)('and the sample project projects/dev this checkout ships', () => {
    const real = holdsSampleDev ? listFiles(DEV_ROOT).filter((f) => !NOT_SHAPE.test(f)) : [];

    it('render the same set of files as projects/dev', () => {
      expect(rendered).toEqual(real);
    });

    it.each(real)('render projects/dev/%s byte for byte', (file) => {
      const content = tree.read(`projects/dev/${file}`, 'utf-8');
      expect(content, `files/ has no template for ${file}`).not.toBeNull();
      expect(content).toBe(fs.readFileSync(path.join(DEV_ROOT, file), 'utf8'));
    });
  });
});
