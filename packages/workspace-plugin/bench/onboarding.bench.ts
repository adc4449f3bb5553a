// npm run bench:onboarding: wall-clock time of `npm run account:add` in a temporary copy of this workspace
// (the frozen sample organization), alone and four at once. Prints figures; nothing is asserted.
// Each run starts Nx (project graph), writes the project, commits the registry entry under its lock,
// runs `npm install --package-lock-only` and redraws the trust graph (the offline preview), the last two
// under their own locks, so concurrent runs queue for them.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { loadRegistry } from '@trustline/registry';
import { startIn, workspaceCopy } from '../test/workspace-copy';

const add = (copy: string, key: string, id: string) =>
  startIn(copy, 'npm', ['run', 'account:add', '--', '--name', key, '--accountId', id, '--environment', 'test']).done;

async function main(): Promise<void> {
  const copy = workspaceCopy();
  try {
    process.stdout.write(`node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
    let t = performance.now();
    const one = await add(copy, 'solo', '066666666660');
    if (one.status !== 0) throw new Error(`account:add failed:\n${one.output}`);
    process.stdout.write(`one account:add: ${((performance.now() - t) / 1000).toFixed(1)} s\n`);

    t = performance.now();
    const keys = ['par1', 'par2', 'par3', 'par4'];
    const results = await Promise.all(keys.map((k, i) => add(copy, k, `06666666666${i + 1}`)));
    const wall = (performance.now() - t) / 1000;
    const failed = results.filter((r) => r.status !== 0);
    if (failed.length > 0) throw new Error(`account:add failed:\n${failed.map((r) => r.output).join('\n')}`);
    const registered = loadRegistry(`${copy}/accounts.json`).accounts.map((a) => a.key);
    process.stdout.write(
      `four concurrent account:add: ${wall.toFixed(1)} s wall (${(wall / 4).toFixed(1)} s per account); ` +
        `registry holds ${keys.filter((k) => registered.includes(k)).length} of 4 new entries\n`,
    );
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
