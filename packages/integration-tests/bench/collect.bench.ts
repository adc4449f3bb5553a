/**
 * `npm run bench:collect [-- SIZES] [--concurrency N]`: `trust-guard collect` against moto with generated
 * organizations (default 50 and 200 member accounts), through the real bin in a child process, timed and
 * measured with /usr/bin/time (wall seconds, peak RSS of the collect process). Issue 19's goal: 200 accounts
 * under two minutes on two cores. A benchmark, not a test: it prints figures and the machine's load.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateOrganization, isolatedEnv, startMoto } from '../src';

const ROOT = path.resolve(__dirname, '../../..');
const BIN = path.join(ROOT, 'packages/trust-guard-cli/bin/trust-guard.js');

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const c = args.indexOf('--concurrency');
  const concurrency = c >= 0 ? args.splice(c, 2)[1] : undefined;
  const sizes = args.length > 0 ? args.map(Number) : [50, 200];
  const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`trust-guard collect against moto_server; ${os.cpus().length} CPUs; node ${process.version}${concurrency ? `; --concurrency ${concurrency}` : ''}`);
  console.log('members | accounts | generate s | collect wall s | collect peak RSS MB | exit | load before | load after');
  for (const members of sizes) {
    const moto = await startMoto();
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-bench-collect-'));
    try {
      const t0 = Date.now();
      const org = await generateOrganization(moto.endpoint, members);
      const generate = (Date.now() - t0) / 1000;
      const before = load();
      const env = isolatedEnv({
        TRUSTLINE_REGISTRY: org.registryFile,
        AWS_ACCESS_KEY_ID: org.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: org.credentials.secretAccessKey,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      });
      const out = path.join(tmp, 'snapshot');
      const run = spawnSync('/usr/bin/time', ['-f', 'TIME %e %M', process.execPath, BIN, 'collect', '--out', out, '--endpoint', moto.endpoint, ...(concurrency ? ['--concurrency', concurrency] : [])], {
        env,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      const m = /TIME ([\d.]+) (\d+)/.exec(run.stderr);
      const read = /Accounts: (\d+) read, (\d+) unreadable/.exec(run.stdout);
      if (!m || !read) throw new Error(`collect did not finish as expected (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
      console.log(`${members} | ${Number(read[1]) + Number(read[2])} (${read[2]} unreadable) | ${generate.toFixed(1)} | ${m[1]} | ${(Number(m[2]) / 1024).toFixed(0)} | ${run.status} | ${before} | ${load()}`);
      org.cleanup();
    } finally {
      await moto.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
