import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readStackConfig, type StackConfig } from '@trustline/offline-preview';
import { parse as parseYaml } from 'yaml';
import { EngineServer } from './engine';
import { ResourceMonitorServer } from './monitor';
import { SDK_DIR } from './sdk';

/** A Pulumi project as the CLI loads it (sdk/go/common/workspace/project.go) plus the stack we run. */
export interface ProgramSpec {
  /** Folder holding Pulumi.yaml (the project root). */
  readonly root: string;
  /** Pulumi.yaml `name`. */
  readonly project: string;
  readonly stack: string;
  /** Working directory and entry point, as pkg/engine/project.go getPwdMain derives them from `main`. */
  readonly pwd: string;
  readonly main: string;
  /** Pulumi.yaml `runtime.options` (typescript defaults to true in the nodejs host's parseOptions). */
  readonly runtimeOptions: Readonly<Record<string, unknown>>;
  /** Stack config with namespaced keys (`aws:region`), as the engine holds it. */
  readonly config: StackConfig;
}

/** Read a project the way the CLI does: Pulumi.yaml, then getPwdMain (pkg/engine/project.go) for pwd and main. */
export function loadProgram(root: string, stack: string): ProgramSpec {
  const yamlFile = path.join(root, 'Pulumi.yaml');
  const doc = parseYaml(fs.readFileSync(yamlFile, 'utf8')) as Record<string, unknown>;
  const project = doc.name;
  if (typeof project !== 'string' || project === '') throw new Error(`${yamlFile}: field "name" ${JSON.stringify(project)} must be the Pulumi project name.`);
  const runtime = doc.runtime;
  const runtimeOptions = typeof runtime === 'object' && runtime !== null ? (((runtime as Record<string, unknown>).options ?? {}) as Record<string, unknown>) : {};
  let pwd = root;
  let main = '.';
  if (typeof doc.main === 'string' && doc.main !== '') {
    const target = path.resolve(root, doc.main);
    if (!fs.existsSync(target)) throw new Error(`${yamlFile}: project 'main' could not be read: ${target} does not exist.`);
    if (fs.statSync(target).isDirectory()) pwd = target;
    else {
      pwd = path.dirname(target);
      main = path.basename(target);
    }
  }
  const config = readStackConfig(doc, project, path.join(root, `Pulumi.${stack}.yaml`), `project ${project}`);
  return { root, project, stack, pwd, main, runtimeOptions, config };
}

/**
 * PULUMI_CONFIG as the nodejs language host writes it: keys rewritten from `ns:key` to `ns:config:key`
 * (sdk/nodejs/cmd/pulumi-language-nodejs/main.go constructConfig).
 */
export function languageHostConfig(config: StackConfig): string {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    const i = key.indexOf(':');
    out[`${key.slice(0, i)}:config:${key.slice(i + 1)}`] = value;
  }
  return JSON.stringify(out);
}

/** `pulumi:disable-default-providers` from stack config (a JSON list of packages, or `*`). */
export function disabledDefaultProviders(config: StackConfig): string[] {
  const raw = config['pulumi:disable-default-providers'];
  if (raw === undefined) return [];
  const parsed: unknown = JSON.parse(raw);
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

export interface ProgramRun {
  readonly spec: ProgramSpec;
  readonly dryRun: boolean;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The command line, as the language host would log it (node + args). */
  readonly argv: readonly string[];
  readonly monitor: ResourceMonitorServer;
  readonly engine: EngineServer;
  readonly millis: number;
}

/** The `--organization` a DIY (file/S3) backend passes: pkg/backend/diy uses the fixed name "organization". */
export const DIY_ORGANIZATION = 'organization';
/** `--parallel`: what `pulumi up`/`preview` pass by default (pkg/cmd/pulumi/operations: defaultParallel). */
export const DEFAULT_PARALLEL = 16;

/**
 * Run one program exactly as the nodejs language host's Run does (sdk/nodejs/cmd/pulumi-language-nodejs/
 * main.go Run, execRuntime, constructArguments, constructConfig): `node <@pulumi/pulumi/cmd/run>
 * --monitor <addr> --engine <addr> --organization … --project … --root-directory … --stack … --pwd <pwd>
 * [--dry-run] --parallel N <main>`, env = ours + PULUMI_CONFIG + PULUMI_CONFIG_SECRET_KEYS +
 * PULUMI_NODEJS_TYPESCRIPT=true, working directory = pwd (the engine starts the language host there).
 * The host's `--sync` pipes (for synchronous invokes) are left out: no program here invokes.
 */
export async function runProgram(spec: ProgramSpec, dryRun: boolean, timeoutMs = 600_000): Promise<ProgramRun> {
  const engine = new EngineServer();
  const monitor = new ResourceMonitorServer({
    project: spec.project,
    stack: spec.stack,
    dryRun,
    disabledDefaultProviders: disabledDefaultProviders(spec.config),
  });
  await Promise.all([engine.start(), monitor.start()]);
  const runPath = path.join(SDK_DIR, 'cmd', 'run');
  const args = [
    runPath,
    '--monitor', monitor.address,
    '--engine', engine.address,
    '--organization', DIY_ORGANIZATION,
    '--project', spec.project,
    '--root-directory', spec.root,
    '--stack', spec.stack,
    '--pwd', spec.pwd,
    ...(dryRun ? ['--dry-run'] : []),
    '--parallel', String(DEFAULT_PARALLEL),
    spec.main,
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PULUMI_CONFIG: languageHostConfig(spec.config),
    PULUMI_CONFIG_SECRET_KEYS: '[]',
  };
  if (spec.runtimeOptions.typescript !== false) env.PULUMI_NODEJS_TYPESCRIPT = 'true';
  if (typeof spec.runtimeOptions.tsconfig === 'string') env.PULUMI_NODEJS_TSCONFIG_PATH = spec.runtimeOptions.tsconfig;
  // Test runners set these; the CLI's environment has neither, and ts-node must not see vitest's.
  delete env.VITEST;
  delete env.NODE_OPTIONS;

  const started = Date.now();
  const child = spawn(process.execPath, args, { cwd: spec.pwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  // A test runner that gives up must not leave the program running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
  clearTimeout(timer);
  process.off('exit', killOnExit);
  const millis = Date.now() - started;
  await Promise.all([engine.stop(), monitor.stop()]);
  return { spec, dryRun, exitCode, signal, stdout, stderr, argv: [process.execPath, ...args], monitor, engine, millis };
}
