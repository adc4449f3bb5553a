import { spawn } from 'node:child_process';
import * as path from 'node:path';

/** The script that loads a program with the Pulumi CLI's ts-node options (see its header for the sources it follows). */
export const RUN_AS_PULUMI_CLI = path.resolve(__dirname, '../bin/run-as-pulumi-cli.cjs');

export interface RunAsPulumiCliOptions {
  /** The program folder (where Pulumi.yaml is): the language host's cwd. */
  readonly cwd: string;
  /** Pulumi.yaml `main`, relative to `cwd`. */
  readonly main: string;
  readonly project: string;
  readonly stack: string;
  /** Stack config as the host passes it in PULUMI_CONFIG (namespaced keys, string values). */
  readonly config?: Readonly<Record<string, string>>;
  /** Pulumi.yaml `runtime.options.tsconfig`, which the host passes as PULUMI_NODEJS_TSCONFIG_PATH. */
  readonly tsconfig?: string;
}

/** What the program registered (`<type>::<name>`, in order), or the compiler's or program's error. */
export type RunAsPulumiCliResult = { readonly ok: true; readonly resources: readonly string[] } | { readonly ok: false; readonly error: string };

/**
 * Runs a program in a fresh Node process as the Pulumi CLI's Node.js language host would compile it:
 * ts-node, type-checking, with the folder's own tsconfig.json compilerOptions over run.js's defaults,
 * then the program under the SDK's public mocks. A type error under those options fails here, as it
 * would fail `pulumi preview`.
 */
export function runAsPulumiCli(options: RunAsPulumiCliOptions): Promise<RunAsPulumiCliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.PULUMI_NODEJS_TSCONFIG_PATH;
  delete env.PULUMI_NODEJS_TRANSPILE_ONLY;
  delete env.TS_NODE_PROJECT;
  if (options.tsconfig) env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;
  const args = [RUN_AS_PULUMI_CLI, options.main, options.project, options.stack, JSON.stringify(options.config ?? {})];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) {
        resolve({ ok: true, resources: (JSON.parse(stdout) as { resources: string[] }).resources });
      } else {
        resolve({ ok: false, error: `${path.join(options.cwd, options.main)} did not load as the Pulumi CLI runs it (exit ${code}): ${stderr.trim()}` });
      }
    });
  });
}
