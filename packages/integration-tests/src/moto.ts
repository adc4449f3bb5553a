import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';

/** A running moto_server started by {@link startMoto}. */
export interface MotoServer {
  /** `http://127.0.0.1:<port>`: pass as the SDK's endpoint, `--endpoint` or `AWS_ENDPOINT_URL`. */
  readonly endpoint: string;
  readonly pid: number;
  /** Stops exactly this process (by pid) and waits for it to exit. Safe to call twice. */
  stop(): Promise<void>;
}

export const MOTO_COMMAND = 'moto_server';
const MISSING = `${MOTO_COMMAND} (the AWS API emulator the integration tests run against) is not on PATH; install it with: pip install 'moto[server]'`;

/** A free loopback port: bind port 0, read the port the kernel chose, release it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('the kernel returned no port for a listen on port 0.'))));
    });
  });
}

/**
 * Starts `moto_server` on a free loopback port and waits until it answers. Fails with a clear message
 * when the command is missing or the server exits or stays silent for `timeoutMs`.
 */
export async function startMoto(timeoutMs = 30_000): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  // moto logs every request on stderr. A pipe would be drained only while this process's event loop runs, so a
  // caller that blocks it (spawnSync of a CLI against moto, as bench:scale does) fills the pipe's 64 KB and moto
  // stops mid-request, waiting to log. A file never fills: it is read back only to explain a failed start.
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'moto-log-'));
  const logFile = path.join(logDir, 'stderr.log');
  const logFd = fs.openSync(logFile, 'w');
  const child: ChildProcess = spawn(MOTO_COMMAND, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', logFd] });
  fs.closeSync(logFd);
  const stderrTail = (): string => {
    try {
      return fs.readFileSync(logFile, 'utf8').slice(-4000).trim();
    } catch {
      return '';
    }
  };
  let exited: string | undefined;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = `exited with ${signal ?? `code ${code}`}`;
      resolve();
    });
  });
  const spawnError = await new Promise<Error | undefined>((resolve) => {
    child.once('error', (e) => resolve(e));
    child.once('spawn', () => resolve(undefined));
  });
  if (spawnError) {
    throw new Error((spawnError as NodeJS.ErrnoException).code === 'ENOENT' ? MISSING : `${MOTO_COMMAND} could not be started: ${spawnError.message}`);
  }
  const pid = child.pid as number;
  // If the test process dies without running its afterAll, do not leave the emulator behind.
  const onExit = () => {
    if (exited === undefined) process.kill(pid, 'SIGTERM');
  };
  process.once('exit', onExit);
  const stop = async () => {
    process.removeListener('exit', onExit);
    if (exited === undefined) {
      process.kill(pid, 'SIGTERM');
      await exitedPromise;
    }
    fs.rmSync(logDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited !== undefined) {
      const output = stderrTail();
      await stop();
      throw new Error(`${MOTO_COMMAND} on port ${port} ${exited} before answering: ${output || '(no output)'}`);
    }
    try {
      const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      const output = stderrTail();
      await stop();
      throw new Error(`${MOTO_COMMAND} on port ${port} did not answer within ${timeoutMs} ms: ${output || '(no output)'}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { endpoint, pid, stop };
}

/**
 * Turns moto's request authentication on or off. On, moto checks signatures and access keys, the
 * caller's identity policies, and the trust policy of a role in the caller's own account (not of a role
 * in another account). Off, it checks nothing. Setup runs with it off, since it acts in every account
 * through the `x-moto-account-id` header rather than with credentials of that account.
 */
export async function setMotoAuth(endpoint: string, enabled: boolean): Promise<void> {
  const res = await fetch(`${endpoint}/moto-api/reset-auth`, { method: 'POST', body: enabled ? '0' : 'inf' });
  if (!res.ok) throw new Error(`moto refused ${enabled ? 'enabling' : 'disabling'} authentication: HTTP ${res.status} ${await res.text()}`);
}
