import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StackConfig } from '@trustline/components';
import { REGISTRY_FILE, type AccountRegistry } from '@trustline/registry';
import { parse as parseYaml } from 'yaml';
import { ACCESS_PROJECT } from './options';
import { isObj } from '@trustline/trust';

/** Owned by `@trustline/components` (the mock harness); re-exported beside {@link readStackConfig}, which builds one. */
export type { StackConfig };

/**
 * A project or registry problem that stops the preview before policies run (exit status 2). The message
 * names the project, its program file and the cause.
 */
export class LoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoadError';
  }
}

/** One Pulumi project and the stack the preview runs. */
export interface ProjectSpec {
  /** `access`, or the registry account key (which is also the Nx project name). */
  readonly key: string;
  readonly kind: 'access' | 'account';
  /** `name` from Pulumi.yaml (`pulumi.getProject()` inside the program). */
  readonly pulumiProject: string;
  /** The stack: the account key, or the identity key for the access project. */
  readonly stack: string;
  /** The account the stack deploys into (identity account for the access project). */
  readonly accountId: string;
  /** Folder holding Pulumi.yaml (absolute). */
  readonly dir: string;
  /** The program entry file (absolute). */
  readonly programFile: string;
  /** The stack configuration file (absolute); it may be missing, then the config is only project defaults. */
  readonly configFile: string;
  /** Stack configuration with namespaced keys (`aws:region`, `dev:bucketPrefix`), values as Pulumi passes them. */
  readonly config: StackConfig;
}

/** The repository root: the nearest folder upwards holding both accounts.json and package.json. */
export function findWorkspaceRoot(cwd = process.cwd()): string {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, REGISTRY_FILE)) && fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) break;
  }
  throw new LoadError(`offline-preview: no workspace found from ${path.resolve(cwd)}: no folder upwards holds both ${REGISTRY_FILE} and package.json. Run from the repository or pass --workspace <dir>.`);
}

/** Path relative to the workspace with forward slashes, for messages and JSON. */
export function relativeTo(workspace: string, file: string): string {
  return path.relative(workspace, file).split(path.sep).join('/');
}

type Obj = Record<string, unknown>;

function readYaml(file: string, what: string): Obj {
  let doc: unknown;
  try {
    doc = parseYaml(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new LoadError(`${what}: cannot read ${file}: ${(e as Error).message}`);
  }
  if (doc === null || doc === undefined) return {};
  if (!isObj(doc)) throw new LoadError(`${what}: ${file} must hold a YAML mapping, not ${JSON.stringify(doc)}.`);
  return doc;
}

/** A config value as Pulumi hands it to a program: strings as they are, structured values as JSON. */
function configValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isObj(value) && typeof value.secure === 'string') {
    // Secrets cannot be decrypted without the stack's secrets provider; the preview never needs them.
    return '[secret]';
  }
  return JSON.stringify(value);
}

const namespaced = (key: string, project: string): string => (key.includes(':') ? key : `${project}:${key}`);

/**
 * The stack configuration Pulumi would hand the program: defaults declared in Pulumi.yaml's `config`
 * block, overridden by the stack file's `config` block. Bare keys are namespaced with the project name.
 */
export function readStackConfig(pulumiYaml: Obj, project: string, stackFile: string, what: string): Record<string, string> {
  const config: Record<string, string> = {};
  const declared = pulumiYaml.config;
  if (isObj(declared)) {
    for (const [key, spec] of Object.entries(declared)) {
      if (isObj(spec) && ('default' in spec || 'value' in spec)) config[namespaced(key, project)] = configValue(spec.value ?? spec.default);
      else if (!isObj(spec)) config[namespaced(key, project)] = configValue(spec);
    }
  }
  if (fs.existsSync(stackFile)) {
    const stack = readYaml(stackFile, what);
    if (stack.config !== undefined && !isObj(stack.config)) {
      throw new LoadError(`${what}: ${stackFile} field "config" must be a mapping of keys to values, not ${JSON.stringify(stack.config)}.`);
    }
    for (const [key, value] of Object.entries(isObj(stack.config) ? stack.config : {})) config[namespaced(key, project)] = configValue(value);
  }
  return config;
}

/** The program file Pulumi runs: Pulumi.yaml `main` (a file, or a folder with index.ts), else index.ts. */
function programOf(workspace: string, dir: string, pulumiYaml: Obj, what: string): string {
  const main = pulumiYaml.main;
  if (main !== undefined && typeof main !== 'string') throw new LoadError(`${what}: Pulumi.yaml field "main" must be a path, not ${JSON.stringify(main)}.`);
  const base = path.resolve(dir, main ?? '.');
  const isFolder = /[\\/]$/.test(main ?? '/') || (fs.existsSync(base) && fs.statSync(base).isDirectory());
  const file = isFolder ? path.join(base, 'index.ts') : base;
  if (!fs.existsSync(file)) {
    throw new LoadError(`${what}: the program ${relativeTo(workspace, file)} does not exist (Pulumi.yaml ${main ? `main "${main}"` : 'has no main, so index.ts'}).`);
  }
  return file;
}

function loadProject(workspace: string, spec: { key: string; kind: 'access' | 'account'; dir: string; stack: string; accountId: string }): ProjectSpec {
  const yamlFile = path.join(spec.dir, 'Pulumi.yaml');
  const where = spec.kind === 'access' ? 'Pulumi.yaml' : `projects/${spec.key}/Pulumi.yaml`;
  const what = `offline-preview: project "${spec.key}"`;
  if (!fs.existsSync(yamlFile)) {
    throw new LoadError(
      spec.kind === 'access'
        ? `${what}: ${where} is missing; the access project is the root Pulumi.yaml with main: access/index.ts.`
        : `${what}: registry account "${spec.key}" has no project: ${where} is missing. Every account in accounts.json needs projects/${spec.key}/ (Pulumi.yaml, Pulumi.${spec.key}.yaml and index.ts).`,
    );
  }
  const pulumiYaml = readYaml(yamlFile, what);
  const name = pulumiYaml.name;
  if (typeof name !== 'string' || name === '') throw new LoadError(`${what}: ${where} field "name" ${JSON.stringify(name)} must be the Pulumi project name.`);
  const programFile = programOf(workspace, spec.dir, pulumiYaml, what);
  const configFile = path.join(spec.dir, `Pulumi.${spec.stack}.yaml`);
  return {
    key: spec.key,
    kind: spec.kind,
    pulumiProject: name,
    stack: spec.stack,
    accountId: spec.accountId,
    dir: spec.dir,
    programFile,
    configFile,
    config: readStackConfig(pulumiYaml, name, configFile, `${what} (${relativeTo(workspace, programFile)})`),
  };
}

/**
 * The projects to run: the access project, then every registry account in key order; or only the keys in
 * `selected`, in that order. A registry account without `projects/<key>/` and an unknown key are errors.
 */
export function discoverProjects(workspace: string, registry: AccountRegistry, selected: readonly string[] = []): ProjectSpec[] {
  const keys = [ACCESS_PROJECT, ...registry.accounts.map((a) => a.key)];
  for (const key of selected) {
    if (!keys.includes(key)) {
      throw new LoadError(`offline-preview: --project "${key}" is neither "${ACCESS_PROJECT}" nor an account in ${REGISTRY_FILE}; known projects: ${keys.join(', ')}.`);
    }
  }
  const run = selected.length > 0 ? selected : keys;
  return run.map((key) =>
    key === ACCESS_PROJECT
      ? loadProject(workspace, { key, kind: 'access', dir: workspace, stack: registry.identity.key, accountId: registry.identity.accountId })
      : loadProject(workspace, {
          key,
          kind: 'account',
          dir: path.join(workspace, 'projects', key),
          stack: key,
          accountId: registry.accounts.find((a) => a.key === key)?.accountId ?? '',
        }),
  );
}
