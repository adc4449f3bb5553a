import * as fs from 'node:fs';
import * as path from 'node:path';
import { REGISTRY_FILE, loadRegistry, type AccountRegistry } from '@trustline/registry';
import { PROJECTS_DIR, classifyProjectFiles, renderedProject } from '@trustline/workspace-plugin';
import { FsTree } from 'nx/src/generators/tree';

/**
 * Which programs the suite runs through the real language host, and which it proves identical instead.
 *
 * Every account project the generator renders is one template with the account's key and region filled
 * in: running a thousand copies through ts-node proves nothing the first copy did not (issue 20). So the
 * suite runs the access program, the template (the first account project that renders identically), and
 * every account project whose files differ in any way from what the account generator renders for that
 * account today; the rest are compared file by file with the generator's own rendering
 * (`renderedProject` of @trustline/workspace-plugin, the code `account:add` runs), which covers the
 * program, Pulumi.yaml, the stack file with the account's region, tsconfig.json and package.json.
 * What the rendering cannot cover, the account's registry entry, is still exercised per stack: the suite
 * records every proven stack under the mocks and has the pack judge it over gRPC.
 */
export type ProgramRole =
  /** The access project (root Pulumi.yaml): always run. */
  | 'access'
  /** The first account project identical to its rendering: run, standing for every identical one. */
  | 'template'
  /** An account project that differs from its rendering (edited, extra or missing files): run. */
  | 'differs'
  /** Identical to what the generator renders for its account, file by file: not run. */
  | 'identical';

export interface ProjectPlan {
  /** `access`, or the folder name under projects/ (the account key). */
  readonly project: string;
  /** Folder holding Pulumi.yaml (absolute). */
  readonly root: string;
  readonly role: ProgramRole;
  /** Why it is run, or what proved it identical; printed in the suite's summary. */
  readonly reason: string;
  /** Every stack with a Pulumi.<stack>.yaml in the folder, sorted. */
  readonly stacks: readonly string[];
}

/** The stacks `pulumi preview --stack` can select in `root`: one per Pulumi.<stack>.yaml. */
export function stacksOf(root: string): string[] {
  return fs
    .readdirSync(root)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/** How one account project compares with the generator's rendering for its registry entry. */
export interface ProjectComparison {
  /** Files exactly as rendered. */
  readonly identical: readonly string[];
  /** Rendered files whose content differs. */
  readonly edited: readonly string[];
  /** Files the generator does not render. */
  readonly foreign: readonly string[];
  /** Rendered files absent from the folder. */
  readonly missing: readonly string[];
  /** Set when the registry has no account with the folder's name (nothing to compare with). */
  readonly unregistered?: true;
}

/**
 * Compares `projects/<key>` of `workspace` with what the account generator renders for `key`, from
 * `registry` (by default the workspace's accounts.json).
 */
export function compareWithRendering(workspace: string, key: string, registry: AccountRegistry = loadRegistry(path.join(workspace, REGISTRY_FILE))): ProjectComparison {
  const entry = registry.accounts.find((a) => a.key === key);
  const dir = `${PROJECTS_DIR}/${key}`;
  const files = classifyProjectFiles(new FsTree(workspace, false), dir, entry, registry);
  const rendered = entry ? [...renderedProject(entry, registry).keys()] : [];
  const present = new Set([...files.generated, ...files.edited]);
  return {
    identical: files.generated,
    edited: files.edited,
    foreign: files.foreign,
    missing: rendered.filter((f) => !present.has(f)).sort(),
    ...(entry ? {} : { unregistered: true as const }),
  };
}

/** True when every rendered file is present and unchanged and nothing else is in the folder. */
export const rendersIdentically = (c: ProjectComparison): boolean => !c.unregistered && c.edited.length + c.foreign.length + c.missing.length === 0;

/** The differences, as a sentence fragment: `edited index.ts; not rendered by the generator: extra.ts`. */
export function describeDifferences(c: ProjectComparison): string {
  if (c.unregistered) return `no account with this key in ${REGISTRY_FILE}, so nothing to compare with`;
  return [
    c.edited.length ? `edited ${c.edited.join(', ')}` : '',
    c.missing.length ? `missing ${c.missing.join(', ')}` : '',
    c.foreign.length ? `not rendered by the generator: ${c.foreign.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

/**
 * The plan for `workspace`: the access project first, then every `projects/<dir>` with a Pulumi.yaml,
 * by name. The template is the first identical project by name.
 */
export function planPrograms(workspace: string): ProjectPlan[] {
  const projectsDir = path.join(workspace, PROJECTS_DIR);
  const dirs = (fs.existsSync(projectsDir) ? fs.readdirSync(projectsDir) : []).filter((d) => fs.existsSync(path.join(projectsDir, d, 'Pulumi.yaml'))).sort();
  const plans: ProjectPlan[] = [{ project: 'access', root: workspace, role: 'access', reason: 'the access program', stacks: stacksOf(workspace) }];
  const registry = loadRegistry(path.join(workspace, REGISTRY_FILE));
  let template: string | undefined;
  for (const key of dirs) {
    const root = path.join(projectsDir, key);
    const comparison = compareWithRendering(workspace, key, registry);
    const stacks = stacksOf(root);
    if (!rendersIdentically(comparison)) {
      plans.push({ project: key, root, role: 'differs', reason: `differs from what the account generator renders for "${key}": ${describeDifferences(comparison)}`, stacks });
    } else if (template === undefined) {
      template = key;
      plans.push({ project: key, root, role: 'template', reason: `the template: renders identically for "${key}", run with that account's registry entry and stack file`, stacks });
    } else {
      plans.push({ project: key, root, role: 'identical', reason: `identical to the generator's rendering for "${key}" (${comparison.identical.join(', ')}); same program as the template "${template}"`, stacks });
    }
  }
  return plans;
}

/** A one-line-per-group summary of a plan, for the test output. */
export function summarizePlan(plans: readonly ProjectPlan[]): string {
  const run = plans.filter((p) => p.role !== 'identical');
  const proven = plans.filter((p) => p.role === 'identical');
  return [
    `engine-conformance: ${run.length} program(s) run through the language host, ${proven.length} proven identical to the generator's rendering`,
    ...run.map((p) => `  run    ${p.project} (${p.stacks.join(', ')}): ${p.reason}`),
    ...proven.map((p) => `  proven ${p.project} (${p.stacks.join(', ')}): ${p.reason}`),
  ].join('\n');
}
