import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RecordedResource } from '@trustline/components';
import type { AnalyzerInput } from './analyze';

/** The recorder script, run by tsx in its own process (see {@link recordUnderMocks}). */
const RECORDER = path.join(__dirname, '..', 'bin', 'record-under-mocks.ts');

/**
 * Records the stacks of the account projects `keys` of `workspace` under Pulumi's mocks, the way
 * `npm start` records them (the program required by tsx, `recordProgram` of @trustline/components, the
 * project's stack config as the offline preview reads it), in one child process whose working directory
 * is the workspace, so each program's `loadRegistry()` finds the workspace's accounts.json. This is how
 * the suite gets the resources of a stack it proved identical instead of running: a few milliseconds of
 * CPU per stack, against 14 to 30 s for a language-host run.
 */
export async function recordUnderMocks(workspace: string, keys: readonly string[]): Promise<Map<string, RecordedResource[]>> {
  if (keys.length === 0) return new Map();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-mocked-'));
  const out = path.join(scratch, 'stacks.json');
  try {
    const tsx = path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'cli.mjs');
    const env: NodeJS.ProcessEnv = { ...process.env };
    // Test runners set these; the recorder must run as from a shell, on the workspace's own registry.
    delete env.VITEST;
    delete env.NODE_OPTIONS;
    delete env.TRUSTLINE_REGISTRY;
    const child = spawn(process.execPath, [tsx, RECORDER, workspace, out, ...keys], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (code !== 0) throw new Error(`${RECORDER} exited ${code} recording ${keys.join(', ')} in ${workspace}:\n${output}`);
    const recorded = JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, RecordedResource[]>;
    return new Map(keys.map((k) => [k, recorded[k]]));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** A resource recorded under the mocks, as the analyzer requests take it (the engine's `urn::id` provider reference). */
export function mockedAnalyzerInput(r: RecordedResource): AnalyzerInput {
  return {
    urn: r.urn,
    type: r.type,
    custom: r.custom,
    inputs: { ...r.inputs },
    parent: r.parent ?? '',
    provider: r.provider?.ref ?? '',
    dependencies: r.dependencies,
    propertyDependencies: r.propertyDependencies,
  };
}
