import * as os from 'node:os';
import * as path from 'node:path';
import { type Tree, generateFiles } from '@nx/devkit';
import { type AccountEntry, type AccountRegistry } from '@trustline/registry';
import { FsTree } from 'nx/src/generators/tree';
import { TEMPLATES_DIR, templateSubstitutions } from '../generators/account/generator';

/**
 * The files the account generator renders for `entry` (path relative to the project folder -> text),
 * rendered into a scratch tree that never touches the disk. What a project folder holds beyond these,
 * or holds differently, the generator did not create or a person has edited since.
 */
export function renderedProject(entry: AccountEntry, registry: AccountRegistry): Map<string, string> {
  // A root that does not exist: the scratch tree starts empty and is never flushed.
  const scratch = new FsTree(path.join(os.tmpdir(), `trustline-render-${process.pid}-does-not-exist`), false);
  generateFiles(scratch, TEMPLATES_DIR, 'project', templateSubstitutions(entry, registry));
  return new Map(scratch.listChanges().map((c) => [path.posix.relative('project', c.path), c.content?.toString('utf8') ?? '']));
}

/** Every file below `dir` in `tree`, relative to `dir`, sorted. */
export function filesUnder(tree: Tree, dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const child of tree.children(d)) {
      const p = `${d}/${child}`;
      if (tree.isFile(p)) out.push(path.posix.relative(dir, p));
      else walk(p);
    }
  };
  if (tree.exists(dir)) walk(dir);
  return out.sort();
}

/** How each file of a project folder compares with what the generator renders for the account. */
export interface ProjectFiles {
  /** Files exactly as the generator renders them. */
  readonly generated: readonly string[];
  /** Files the generator renders, changed since. */
  readonly edited: readonly string[];
  /** Files the generator never renders (added by a person or a tool). */
  readonly foreign: readonly string[];
}

/**
 * Sorts the files of `projectRoot` into generated, edited and foreign. Without `entry` (the registry no
 * longer has the account) nothing can be compared, so every file counts as foreign.
 */
export function classifyProjectFiles(tree: Tree, projectRoot: string, entry: AccountEntry | undefined, registry: AccountRegistry): ProjectFiles {
  const expected = entry ? renderedProject(entry, registry) : new Map<string, string>();
  const generated: string[] = [];
  const edited: string[] = [];
  const foreign: string[] = [];
  for (const file of filesUnder(tree, projectRoot)) {
    const want = expected.get(file);
    if (want === undefined) foreign.push(file);
    else if (tree.read(`${projectRoot}/${file}`, 'utf-8') === want) generated.push(file);
    else edited.push(file);
  }
  return { generated, edited, foreign };
}
