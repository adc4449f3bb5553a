/**
 * Benchmark of the offline preview (root script `bench:preview`): the whole preview of the sample registry,
 * of generated registries up to 50 accounts, and the cost per added account (least-squares slope).
 * Goal: linear growth, under 300 ms per account on one core. Prints figures; asserts nothing.
 *
 *   tsx packages/offline-preview/bench/preview.bench.ts [--sizes 3,10,25,50] [--repeat 3]
 *
 * "warm" is runOfflinePreview in this process after a warm-up run (modules loaded, as in a long-lived
 * Nx worker); "cold" is a fresh `tsx cli.ts --json` process (what `npm start` costs, module loading
 * included). CPU is user+system time of the process, the fair "one core" figure on a shared machine.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runOfflinePreview } from '../src/preview';
import { REPO, cliOption, copyWorkspace, fit, onboardAccounts } from '@trustline/bench';

interface Sample {
  readonly accounts: number;
  readonly stacks: number;
  readonly resources: number;
  readonly warmMs: number;
  readonly warmCpuMs: number;
  readonly coldMs: number;
}


const sizes = cliOption('--sizes', '3,10,25,50')
  .split(',')
  .map(Number)
  .filter((n) => Number.isInteger(n) && n >= 3);
const repeat = Math.max(1, Number(cliOption('--repeat', '3')));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(workspace: string, accounts: number): Promise<Sample> {
  const warm: number[] = [];
  const cpu: number[] = [];
  let stacks = 0;
  let resources = 0;
  for (let i = 0; i < repeat; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const result = await runOfflinePreview({ workspace });
    warm.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    if (result.exitCode !== 0) throw new Error(`the preview of ${workspace} exited ${result.exitCode}; the benchmark needs a clean workspace.`);
    stacks = result.summary.stacks;
    resources = result.summary.resources;
  }
  const t0 = performance.now();
  const cold = spawnSync(path.join(REPO, 'node_modules/.bin/tsx'), [path.join(REPO, 'packages/offline-preview/src/cli.ts'), '--json', '--workspace', workspace], { encoding: 'utf8' });
  const coldMs = performance.now() - t0;
  if (cold.status !== 0) throw new Error(`the CLI on ${workspace} exited ${cold.status}: ${cold.stderr}`);
  return { accounts, stacks, resources, warmMs: median(warm), warmCpuMs: median(cpu), coldMs };
}

async function bench(): Promise<void> {
  const base = JSON.parse(fs.readFileSync(path.join(REPO, 'accounts.json'), 'utf8')) as { accounts: unknown[] };
  const sampleAccounts = base.accounts.length;
  // Warm-up: loads the Pulumi runtime, @pulumi/aws and the pack once, as any second run would find them.
  await runOfflinePreview({ workspace: REPO });

  const samples: Sample[] = [];
  const temps: string[] = [];
  try {
    for (const size of sizes) {
      let workspace = REPO;
      if (size > sampleAccounts) {
        workspace = copyWorkspace(REPO, 'offline-preview-bench-');
        temps.push(workspace);
        const info = console.info;
        console.info = () => undefined;
        try {
          // Through the account generator, as npm run account:add onboards an account.
          await onboardAccounts(workspace, size - sampleAccounts);
        } finally {
          console.info = info;
        }
      }
      const s = await measure(workspace, Math.max(size, sampleAccounts));
      samples.push(s);
      process.stdout.write(
        `${String(s.accounts).padStart(3)} accounts (${s.stacks} stacks, ${s.resources} resources): warm ${s.warmMs.toFixed(0)} ms (cpu ${s.warmCpuMs.toFixed(0)} ms), cold ${s.coldMs.toFixed(0)} ms\n`,
      );
    }
  } finally {
    for (const t of temps) fs.rmSync(t, { recursive: true, force: true });
  }

  if (samples.length >= 2) {
    const wall = fit(samples.map((s) => [s.accounts, s.warmMs]));
    const cpu = fit(samples.map((s) => [s.accounts, s.warmCpuMs]));
    const cold = fit(samples.map((s) => [s.accounts, s.coldMs]));
    process.stdout.write(
      [
        `per added account (least-squares slope over ${samples.map((s) => s.accounts).join(', ')} accounts):`,
        `  warm wall ${wall.slope.toFixed(1)} ms/account (fixed ${wall.intercept.toFixed(0)} ms, R² ${wall.r2.toFixed(3)})`,
        `  warm cpu  ${cpu.slope.toFixed(1)} ms/account (fixed ${cpu.intercept.toFixed(0)} ms, R² ${cpu.r2.toFixed(3)})`,
        `  cold wall ${cold.slope.toFixed(1)} ms/account (fixed ${cold.intercept.toFixed(0)} ms, R² ${cold.r2.toFixed(3)})`,
        `goal: under 300 ms per account on one core — ${cpu.slope < 300 ? 'met' : 'NOT met'} (cpu slope ${cpu.slope.toFixed(1)} ms).`,
        '',
      ].join('\n'),
    );
  }
}

bench().catch((e: unknown) => {
  process.stderr.write(`preview.bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
