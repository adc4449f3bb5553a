/**
 * Runs the access program (access/index.ts) once under Pulumi mocks that keep nothing, and prints one
 * JSON line with its cost: what the program itself holds per account, not a recorder's copy of every
 * registration. Started as its own process by the scale benchmark, so its peak memory is its own:
 *
 *   tsx packages/bench/src/run-access.ts <workspace>
 *
 * Progress (registrations so far) goes to stderr every 5,000 registrations.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';

async function main(): Promise<void> {
  const workspace = path.resolve(process.argv[2] ?? '.');
  process.env.TRUSTLINE_REGISTRY = path.join(workspace, 'accounts.json');
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let registrations = 0;
  pulumi.runtime.setAllConfig({ 'aws:region': 'eu-west-1' });
  await pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
        if (++registrations % 5000 === 0) process.stderr.write(`access program: ${registrations} registrations\n`);
        return { id: `${args.name}-id`, state: {} };
      },
      call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        throw new Error(`run-access: the access program called ${args.token}; it is not mocked.`);
      },
    },
    'trustline-access',
    'identity',
    true,
  );
  try {
    await pulumi.runtime.runInPulumiStack(async () => {
      // A CommonJS load, as Pulumi's Node.js language host runs a program.
      const program = path.join(workspace, 'access/index.ts');
      return createRequire(program)(program) as Record<string, unknown>;
    });
  } finally {
    await pulumi.runtime.disconnect();
  }
  const cpu = process.cpuUsage(c0);
  // With --expose-gc, what the program still holds once it is done (the rest is garbage not yet collected).
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const usage = process.resourceUsage();
  process.stdout.write(
    `${JSON.stringify({ registrations, cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - t0, maxRssMb: usage.maxRSS / 1024, heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20 })}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`run-access: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
