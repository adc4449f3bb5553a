import * as path from 'node:path';
import { SAMPLE_REGISTRY_FILE } from '@trustline/registry';
import type { CliIO } from '../src/cli/io';
export { ENGINE_UNKNOWN as UNKNOWN } from '@trustline/trust-guard';

export const FIXTURES = path.join(__dirname, 'fixtures');
export const fixture = (name: string) => path.join(FIXTURES, name);
/** The workspace's frozen sample registry, so tests do not change when the repository's accounts.json does. */
export const TEST_REGISTRY = SAMPLE_REGISTRY_FILE;

/** Points registry lookups (policy pack and CLI) at the test registry. */
export function useTestRegistry(): void {
  process.env.TRUSTLINE_REGISTRY = TEST_REGISTRY;
}

/** A CliIO that records what a command writes. */
export function recordingIO(env: NodeJS.ProcessEnv = { TRUSTLINE_REGISTRY: TEST_REGISTRY }, cwd = FIXTURES): CliIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    env,
    cwd,
    stdout: (s: string) => void (io.out += s),
    stderr: (s: string) => void (io.err += s),
  };
  return io;
}

