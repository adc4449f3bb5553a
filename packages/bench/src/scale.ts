/**
 * The scale benchmark (`npm run bench:scale`): workspaces of many accounts, generated in a temporary
 * folder through the account generator itself, and the cost per added account of what a large
 * organization runs. Prints figures; asserts nothing (these machines are shared and noisy).
 *
 *   npm run bench:scale -- [--sizes 100,500,1000] [--test-sizes 10,30] [--moto-sizes 100,200] [--only start,access,...]
 *                          [--npm-test-sizes 100,500,1000] [--budget <seconds>]
 *
 * Each figure is a fresh process measured with /usr/bin/time (user+system CPU of the process and its
 * children, wall, peak RSS), then a least-squares line over the sizes: the slope is the cost per added
 * account, the intercept the fixed cost. Measured:
 *   registry   loading and validating accounts.json (in this process, warm)
 *   add        one more `npm run account:add` (scripts/account-add.mjs, --skipInstall --skipGraph)
 *   start      `npm start -- --json` (the offline preview; worker threads by default)
 *   access     the access program under lean mocks (run-access.ts)
 *   test       the account projects' typecheck, lint and test tasks without the Nx cache (the part of a
 *              cold `npm test` that grows with accounts; libraries are a fixed cost), at --test-sizes
 *   doctor     `trust-guard doctor` and `scan --live` against moto_server with every account emulated,
 *   scan       at --moto-sizes (emulating an account takes about ten IAM calls)
 *   npm-test   the whole cold `npm test -- --skip-nx-cache` (typecheck, lint, test and e2e of every
 *              project, the engine-conformance suite included) at --npm-test-sizes; not in the default
 *              --only list (hours on two cores). Each size gets what is left of --budget (default 3 h of
 *              wall time for all sizes); a size that runs out is stopped and reported with the wall and
 *              CPU it had used, and the larger sizes are skipped with the reason. The sizes share one copy,
 *              grown from one size to the next; with --only start too, `npm start` is timed on that copy
 *              before each npm test; --keep leaves the last copy in place (its path is logged).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { emulateOrganization, startMoto } from '@trustline/integration-tests';
import { loadRegistry } from '@trustline/registry';
import { cliOption, fit } from './fit';
import { REPO, copyWorkspace, generatedAccount, onboardAccounts, registerAccounts } from './workspace';

interface Cost {
  readonly cpuMs: number;
  readonly wallMs: number;
  readonly maxRssMb: number;
}

const sizesOf = (name: string, fallback: string): number[] =>
  cliOption(name, fallback)
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n >= 3);

const log = (line: string) => process.stderr.write(`bench:scale: ${line}\n`);

/** Runs a command under /usr/bin/time; throws with its output when it fails. */
function timed(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env, okCodes = [0]): Cost & { stdout: string } {
  const r = spawnSync('/usr/bin/time', ['-f', 'BENCH-TIME %U %S %e %M', command, ...args], { cwd, env, encoding: 'utf8', maxBuffer: 1 << 30 });
  const m = /BENCH-TIME (\S+) (\S+) (\S+) (\S+)\s*$/.exec(r.stderr ?? '');
  if (!m || !okCodes.includes(r.status ?? -1)) {
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${r.status}:\n${(r.stdout ?? '').slice(-3000)}\n${(r.stderr ?? '').slice(-3000)}`);
  }
  return { cpuMs: (Number(m[1]) + Number(m[2])) * 1000, wallMs: Number(m[3]) * 1000, maxRssMb: Number(m[4]) / 1024, stdout: r.stdout };
}

const TSX = path.join(REPO, 'node_modules/.bin/tsx');
type Row = { readonly work: string; readonly samples: [number, Cost][] };
const rows = new Map<string, Row>();
const record = (work: string, accounts: number, cost: Cost) => {
  const row = rows.get(work) ?? { work, samples: [] };
  row.samples.push([accounts, cost]);
  rows.set(work, row);
  log(`${work} at ${accounts} accounts: cpu ${cost.cpuMs.toFixed(1)} ms, wall ${(cost.wallMs / 1000).toFixed(2)} s, peak RSS ${cost.maxRssMb.toFixed(0)} MB`);
};

/**
 * A workspace copy with `size` registry accounts (the sample's 3 plus generated ones), projects included
 * unless `registryOnly`. Given `grow` (a copy this function made, with `grow.size` accounts), it adds the
 * accounts that copy lacks instead: the npm-test sizes share one copy, so 100, 500 and 1,000 accounts
 * onboard 1,000 accounts in all, not 1,600.
 */
async function workspaceOf(size: number, registryOnly: boolean, grow?: { readonly ws: string; readonly size: number }): Promise<string> {
  const ws = grow?.ws ?? copyWorkspace(REPO, 'trustline-scale-');
  const have = grow?.size ?? loadRegistry(path.join(ws, 'accounts.json')).accounts.length;
  const sample = loadRegistry(path.join(REPO, 'accounts.json')).accounts.length;
  const extra = Math.max(0, size - have);
  // Generated accounts are numbered from 1 after the sample's: a grown copy continues the numbering.
  const first = have - sample + 1;
  if (registryOnly) registerAccounts(ws, extra, first);
  else {
    const info = console.info;
    console.info = () => undefined;
    try {
      await onboardAccounts(ws, extra, first);
    } finally {
      console.info = info;
    }
  }
  return ws;
}

async function projectWork(sizes: readonly number[], only: ReadonlySet<string>): Promise<void> {
  // The access program and the registry load read accounts.json only: without start or add, no project
  // folders are rendered (at 10,000 accounts that would only measure the disk).
  const registryOnly = !only.has('start') && !only.has('add');
  for (const size of sizes) {
    const ws = await workspaceOf(size, registryOnly);
    try {
      if (only.has('registry')) {
        const file = path.join(ws, 'accounts.json');
        loadRegistry(file);
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        loadRegistry(file);
        const c = process.cpuUsage(c0);
        record('registry load', size, { cpuMs: (c.user + c.system) / 1000, wallMs: performance.now() - t0, maxRssMb: 0 });
      }
      if (only.has('start')) record('npm start (offline preview)', size, timed(TSX, [path.join(ws, 'packages/offline-preview/src/cli.ts'), '--json', '--workspace', ws], ws, process.env, [0, 1]));
      if (only.has('access')) record('access program', size, timed(TSX, [path.join(REPO, 'packages/bench/src/run-access.ts'), ws], ws));
      if (only.has('add')) {
        const { key, accountId } = generatedAccount(size + 1);
        record('account:add (one more)', size, timed(process.execPath, ['scripts/account-add.mjs', '--name', key, '--accountId', accountId, '--environment', 'dev', '--skipInstall', '--skipGraph'], ws));
      }
    } finally {
      fs.rmSync(ws, { recursive: true, force: true });
    }
  }
}

/** The root `npm test` script (package.json), cold: no Nx cache. */
const NPM_TEST = ['scripts/nx.sh', 'run-many', '-t', 'typecheck', 'lint', 'test', 'e2e', '--outputStyle=static', '--skip-nx-cache'];

/**
 * The full cold `npm test` at each size, within `budgetSeconds` of wall time in all. GNU `timeout` stops
 * a size that runs out (it signals the command's whole process group); the figure where it stopped is
 * logged, and it and the sizes after it stay out of the fit.
 */
async function npmTestWork(sizes: readonly number[], budgetSeconds: number, alsoStart: boolean, keep: boolean): Promise<void> {
  const deadline = Date.now() + budgetSeconds * 1000;
  let grown: { ws: string; size: number } | undefined;
  const ordered = [...sizes].sort((x, y) => x - y);
  try {
    for (const [i, size] of ordered.entries()) {
      const left = Math.floor((deadline - Date.now()) / 1000);
      if (left < 60) {
        log(`npm test at ${ordered.slice(i).join(', ')} accounts skipped: less than a minute of the --budget of ${budgetSeconds} s is left (${Math.max(0, left)} s).`);
        return;
      }
      const ws = await workspaceOf(size, false, grown);
      grown = { ws, size };
      // With --only start too: npm start on the same copy, before its npm test (nothing else of the bench runs then).
      if (alsoStart) record('npm start (offline preview)', size, timed(TSX, [path.join(ws, 'packages/offline-preview/src/cli.ts'), '--json', '--workspace', ws], ws, process.env, [0, 1]));
      // As CI runs it (.ci/run): a clone, so a git repository whose files are committed (tests list the tracked
      // files, build scratch histories from them, compare with HEAD), with CI=true. A copy without .git fails them.
      const git = (...args: string[]) => {
        const g = spawnSync('git', args, { cwd: ws, encoding: 'utf8', maxBuffer: 1 << 30 });
        if (g.status !== 0) throw new Error(`git ${args.join(' ')} in ${ws} exited ${g.status}: ${g.stderr}`);
        return g.stdout;
      };
      if (!fs.existsSync(path.join(ws, '.git'))) git('init', '-q', '-b', 'main');
      else {
        // A grown copy: whatever the previous size's npm test left in the work tree is said (it should leave nothing).
        const changed = git('status', '--porcelain', '--untracked-files=all').split('\n').filter((l) => l && !/accounts\.json|projects\/|package-lock\.json|README\.md|docs\/trust-graph/.test(l));
        if (changed.length) log(`the previous npm test left ${changed.length} changed files in the copy: ${changed.slice(0, 5).join('; ')}`);
      }
      git('add', '-A');
      git('-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '--allow-empty', '-m', `sample and ${size} accounts`);
      const r = spawnSync('/usr/bin/time', ['-f', 'BENCH-TIME %U %S %e %M', 'timeout', '--kill-after=30', String(left), 'bash', ...NPM_TEST], { cwd: ws, env: { ...process.env, CI: 'true', NX_NO_CLOUD: 'true', NX_DAEMON: 'false' }, encoding: 'utf8', maxBuffer: 1 << 30 });
      // The last BENCH-TIME line, not the end of stderr: tasks killed by the budget may still write after it.
      const m = [...(r.stderr ?? '').matchAll(/BENCH-TIME (\S+) (\S+) (\S+) (\S+)/g)].pop();
      const cost: Cost | undefined = m ? { cpuMs: (Number(m[1]) + Number(m[2])) * 1000, wallMs: Number(m[3]) * 1000, maxRssMb: Number(m[4]) / 1024 } : undefined;
      // Nx 23 names a failed task as `Warning: command "..." exited with non-zero status code`; vitest, a failed file as ` FAIL  <file>`.
      const tally = [...(r.stdout ?? '').matchAll(/^.*(?:exited with non-zero status code|^ FAIL {2}.*|Failed tasks:).*$/gm)].map((m) => m[0].trim()).join(' | ');
      if (r.status === 124 || r.status === 137) {
        if (!cost) log(`no timing from /usr/bin/time; the end of its stderr: ${(r.stderr ?? '').slice(-1500)}`);
        log(
          `npm test at ${size} accounts stopped by the --budget of ${budgetSeconds} s after ${cost ? `${(cost.wallMs / 1000).toFixed(0)} s wall and ${(cost.cpuMs / 1000).toFixed(0)} s CPU (of the processes that had ended; the killed ones are not counted)` : `${left} s`}` +
            `${ordered.length > i + 1 ? `; ${ordered.slice(i + 1).join(', ')} skipped` : ''}.`,
        );
        return;
      }
      if (!cost) throw new Error(`npm test at ${size} accounts (in ${ws}) gave no timing, exit ${r.status}:\n${(r.stderr ?? '').slice(-3000)}`);
      // A red suite is still a figure (the time was spent), but it is said.
      if (r.status !== 0) log(`npm test at ${size} accounts exited ${r.status}: ${tally.slice(0, 2000) || (r.stdout ?? '').slice(-2000)}`);
      else {
        // vitest colours its summary even under CI=true: the escapes are taken out before counting.
        const plain = (r.stdout ?? '').replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
        log(`npm test at ${size} accounts passed (${[...plain.matchAll(/Tests\s+(\d+) passed/g)].reduce((n, x) => n + Number(x[1]), 0)} vitest tests passed in all)`);
      }
      record(`npm test, cold (--skip-nx-cache)${r.status === 0 ? '' : ', failed'}`, size, cost);
    }
  } finally {
    if (grown && keep) log(`kept the workspace of ${grown.size} accounts (--keep): ${grown.ws}`);
    else if (grown) fs.rmSync(grown.ws, { recursive: true, force: true });
  }
}

async function testWork(sizes: readonly number[]): Promise<void> {
  for (const size of sizes) {
    const ws = await workspaceOf(size, false);
    try {
      const nx = ['scripts/nx.sh', 'run-many', '-t', 'typecheck', 'lint', 'test', '-p', 'tag:scope:account', '--exclude', 'access', '--skip-nx-cache', '--excludeTaskDependencies', '--outputStyle=static'];
      record('npm test, account projects, no cache', size, timed('bash', nx, ws));
    } finally {
      fs.rmSync(ws, { recursive: true, force: true });
    }
  }
}

/**
 * Runs `command` against a fresh moto_server holding the emulated organization. Each command gets its
 * own server: moto answers more slowly as the sessions of earlier runs pile up, which would bill one
 * command for another's leftovers.
 */
async function againstMoto(ws: string, command: (env: NodeJS.ProcessEnv, accounts: number) => void): Promise<void> {
  const moto = await startMoto();
  try {
    const registry = loadRegistry(path.join(ws, 'accounts.json'));
    const t0 = performance.now();
    const org = await emulateOrganization(moto.endpoint, registry);
    log(`emulated ${registry.accounts.length} accounts in moto in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    command(
      {
        ...process.env,
        TRUSTLINE_REGISTRY: path.join(ws, 'accounts.json'),
        AWS_ACCESS_KEY_ID: org.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: org.credentials.secretAccessKey,
        AWS_ENDPOINT_URL: moto.endpoint,
      },
      registry.accounts.length,
    );
  } finally {
    await moto.stop();
  }
}

async function motoWork(sizes: readonly number[]): Promise<void> {
  const bin = path.join(REPO, 'packages/trust-guard-cli/bin/trust-guard.js');
  for (const size of sizes) {
    const ws = await workspaceOf(size, true);
    try {
      await againstMoto(ws, (env, accounts) => {
        const doctor = timed(process.execPath, [bin, 'doctor', '--format', 'json'], ws, env, [0, 1]);
        const rows = (JSON.parse(doctor.stdout) as { rows: { ok: boolean }[] }).rows;
        log(`doctor: ${rows.filter((r) => r.ok).length} of ${accounts} accounts ok`);
        record('trust-guard doctor (moto)', size, doctor);
      });
      await againstMoto(ws, (env, accounts) => {
        // Exit 2 means some account could not be read: still a figure, with the count said.
        const scan = timed(process.execPath, [bin, 'scan', '--live', '--format', 'json'], ws, env, [0, 1, 2]);
        const errors = (JSON.parse(scan.stdout) as { errors?: { code: string }[] }).errors ?? [];
        log(`scan --live: ${accounts - errors.length} of ${accounts} accounts read${errors.length ? ` (${[...new Set(errors.map((e) => e.code))].join(', ')} for the others)` : ''}`);
        record('trust-guard scan --live (moto)', size, scan);
      });
    } finally {
      fs.rmSync(ws, { recursive: true, force: true });
    }
  }
}

function report(): void {
  const lines = ['', '| work | sizes (accounts) | CPU per added account | wall per added account | fixed CPU | peak RSS at the largest size | R² (CPU) |', '| --- | --- | --- | --- | --- | --- | --- |'];
  const ms = (x: number) => (Math.abs(x) >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(1)} ms`);
  for (const { work, samples } of rows.values()) {
    const cpu = fit(samples.map(([n, c]) => [n, c.cpuMs]));
    const wall = fit(samples.map(([n, c]) => [n, c.wallMs]));
    const largest = samples[samples.length - 1];
    const single = samples.length < 2;
    lines.push(
      `| ${work} | ${samples.map(([n]) => n).join(', ')} | ${single ? '-' : ms(cpu.slope)} | ${single ? '-' : ms(wall.slope)} | ${single ? ms(largest[1].cpuMs) : ms(cpu.intercept)} | ${largest[1].maxRssMb ? `${largest[1].maxRssMb.toFixed(0)} MB` : '-'} | ${single ? '-' : cpu.r2.toFixed(3)} |`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const only = new Set(cliOption('--only', 'registry,start,access,add,test,doctor').split(','));
  const sizes = sizesOf('--sizes', '100,500,1000');
  const testSizes = sizesOf('--test-sizes', '10,30');
  const motoSizes = sizesOf('--moto-sizes', '100,200');
  const npmTestSizes = sizesOf('--npm-test-sizes', '100,500,1000');
  const budget = Number(cliOption('--budget', String(3 * 3600)));
  if (!Number.isFinite(budget) || budget <= 0) throw new Error(`--budget "${cliOption('--budget', '')}" is not a number of seconds above 0 (the wall time all --npm-test-sizes may take together).`);
  // A failed group is logged and the others still run: the table shows what was measured.
  const attempt = async (what: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (e) {
      log(`${what} stopped: ${e instanceof Error ? e.message.slice(0, 2000) : String(e)}`);
    }
  };
  // With npm-test, start is timed on npm-test's own grown copies (see npmTestWork).
  const projectOnly = new Set([...only].filter((w) => !(w === 'start' && only.has('npm-test'))));
  if (['registry', 'start', 'access', 'add'].some((w) => projectOnly.has(w))) await attempt('project work', () => projectWork(sizes, projectOnly));
  if (only.has('test')) await attempt('npm test', () => testWork(testSizes));
  if (only.has('doctor')) await attempt('doctor and scan', () => motoWork(motoSizes));
  if (only.has('npm-test')) await attempt('cold npm test', () => npmTestWork(npmTestSizes, budget, only.has('start'), process.argv.includes('--keep')));
  report();
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:scale: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
