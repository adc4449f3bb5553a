import { SAMPLE_REGISTRY_FILE } from '@trustline/registry';
/** An in-memory CLI I/O (the shape of trust-guard's CliIO) that records what a command prints. */
export interface CapturedIO {
  stdout(s: string): void;
  stderr(s: string): void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly out: () => string;
  readonly err: () => string;
}

export function captureIO(env: NodeJS.ProcessEnv, cwd: string): CapturedIO {
  let out = '';
  let err = '';
  return {
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    env,
    cwd,
    out: () => out,
    err: () => err,
  };
}

/**
 * An environment with only what a command needs: no AWS variables from the machine running the tests
 * (a developer's profile or session token must not leak into the emulated organization), and config
 * files that do not exist so the credential chain finds nothing but what the test passes.
 */
export function isolatedEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_') && k !== 'TRUSTLINE_REGISTRY') env[k] = v;
  return {
    ...env,
    AWS_CONFIG_FILE: '/nonexistent/trustline-it/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/trustline-it/credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

/** An isolated environment that points every command at the frozen sample registry. */
export function sampleEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return isolatedEnv({ TRUSTLINE_REGISTRY: SAMPLE_REGISTRY_FILE, ...extra });
}
