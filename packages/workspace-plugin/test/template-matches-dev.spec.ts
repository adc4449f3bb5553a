import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateFiles } from '@nx/devkit';
import { createTree } from '@nx/devkit/testing';
import { getAccount, loadRegistry } from '@trustline/registry';
import { describe, expect, it } from 'vitest';
import { TEMPLATES_DIR, templateSubstitutions } from '../src';
import { WORKSPACE_ROOT, listFiles } from './helpers';

/**
 * Guard: the templates rendered for `dev` with dev's registry values must equal the real
 * projects/dev, file for file. When projects/dev changes, this fails and shows the diff to port
 * into files/ (every account project stays the same shape).
 */
const DEV_ROOT = path.join(WORKSPACE_ROOT, 'projects/dev');
/** Local, generated or machine-specific files that are not part of the project's shape. */
const NOT_SHAPE = /(^|\/)(node_modules|\.nx|dist|coverage|\.pulumi)(\/|$)|\.tsbuildinfo$|^Pulumi\.[^/]+\.local\.yaml$/;

describe('files/ templates', () => {
  const registry = loadRegistry(path.join(WORKSPACE_ROOT, 'accounts.json'));
  const tree = createTree();
  generateFiles(tree, TEMPLATES_DIR, 'projects/dev', templateSubstitutions(getAccount(registry, 'dev'), registry));
  const rendered = tree
    .listChanges()
    .filter((c) => c.path.startsWith('projects/dev/'))
    .map((c) => c.path.slice('projects/dev/'.length))
    .sort();
  const real = listFiles(DEV_ROOT).filter((f) => !NOT_SHAPE.test(f));

  it('render the same set of files as projects/dev', () => {
    expect(rendered).toEqual(real);
  });

  it.each(real)('render projects/dev/%s byte for byte', (file) => {
    const content = tree.read(`projects/dev/${file}`, 'utf-8');
    expect(content, `files/ has no template for ${file}`).not.toBeNull();
    expect(content).toBe(fs.readFileSync(path.join(DEV_ROOT, file), 'utf8'));
  });
});
