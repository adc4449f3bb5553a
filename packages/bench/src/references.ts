/**
 * The cost of the account reference search (`account:remove`, `org:init`) at a large organization:
 * a temporary copy of this workspace with `--accounts` account projects onboarded through the account
 * generator itself, then the search for one account's references (the TypeScript program over the
 * workspace's code, and the text search of every file), `--runs` times. Without git (the copy's files as
 * the tree walk finds them) and, unless `--no-git`, again after `git init && git add -A` (git ls-files).
 * Prints figures; asserts nothing.
 *
 *   npx tsx packages/bench/src/references.ts -- [--accounts 1000] [--runs 3] [--no-git]
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { findAccountReferences, workspaceFiles } from '@trustline/workspace-plugin';
import { FsTree } from 'nx/src/generators/tree';
import { cliOption } from './fit';
import { copyWorkspace, generatedAccount, onboardAccounts } from './workspace';

const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');

/**
 * One search `runs` times. Two cases: a generated account (its key is written only in its own project,
 * so almost no file enters the TypeScript program), and `dev`, the worst case: the registry's default
 * environments write 'dev', so every file importing the registry (every account project) enters it.
 */
function measure(copy: string, label: string, runs: number, account: { key: string; accountId: string }): void {
  const { key, accountId } = account;
  const files = workspaceFiles(new FsTree(copy, false)).length;
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const tree = new FsTree(copy, false);
    const t = performance.now();
    const c = process.cpuUsage();
    const found = findAccountReferences(tree, [{ key, accountId }], [`projects/${key}`]);
    times.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
    if (i === 0 && found.length > 0) process.stdout.write(`${found.length} references to ${key}, e.g. ${found[0].file}:${found[0].line}\n`);
  }
  const rss = process.memoryUsage().rss / 1024 / 1024;
  process.stdout.write(
    `${label}: ${files} files; search for ${key}: ${times.map((t) => (t / 1000).toFixed(2)).join(', ')} s ` +
      `wall (min ${(Math.min(...times) / 1000).toFixed(2)} s), ${cpu.map((t) => (t / 1000).toFixed(2)).join(', ')} s CPU; RSS ${rss.toFixed(0)} MB; load ${load()}\n`,
  );
}

async function main(): Promise<void> {
  const accounts = Number(cliOption('--accounts', '1000'));
  const runs = Number(cliOption('--runs', '3'));
  const copy = copyWorkspace(undefined, 'trustline-refs-');
  try {
    process.stdout.write(`node ${process.version}, ${os.cpus().length} cores, load ${load()}\n`);
    await onboardAccounts(copy, accounts);
    const cases = [generatedAccount(Math.ceil(accounts / 2)), { key: 'dev', accountId: '111111111111' }];
    for (const account of cases) measure(copy, `${accounts} accounts, no git (tree walk)`, runs, account);
    if (!process.argv.includes('--no-git')) {
      execFileSync('git', ['init', '-q'], { cwd: copy });
      execFileSync('git', ['add', '-A'], { cwd: copy });
      for (const account of cases) measure(copy, `${accounts} accounts, git ls-files`, runs, account);
    }
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
