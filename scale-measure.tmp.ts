// Temporary: before/after CPU of the account projects' checks, 3 and 20 accounts.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyWorkspace, onboardAccounts } from './packages/bench/src';
(async () => {
  const info = console.info; console.info = () => undefined;
  for (const mode of process.argv[2].split(',')) for (const extra of process.argv[3].split(',').map(Number)) {
    const ws = copyWorkspace();
    await onboardAccounts(ws, extra);
    if (mode === 'before') {
      for (const d of fs.readdirSync(path.join(ws, 'projects'))) {
        const f = path.join(ws, 'projects', d, 'package.json');
        const p = JSON.parse(fs.readFileSync(f, 'utf8'));
        for (const t of ['typecheck', 'lint', 'test']) p.nx.targets[t] = {};
        fs.writeFileSync(f, JSON.stringify(p, null, 2));
      }
    }
    const r = spawnSync('/usr/bin/time', ['-f', 'TIME %U %S %e %M', 'bash', 'scripts/nx.sh', 'run-many', '-t', 'typecheck', 'lint', 'test', '-p', 'tag:scope:account', '--skip-nx-cache', '--excludeTaskDependencies', '--outputStyle=static'], { cwd: ws, encoding: 'utf8', maxBuffer: 1 << 28 });
    const t = /TIME (\S+) (\S+) (\S+) (\S+)/.exec(r.stderr);
    const failed = /Failed tasks:[\s\S]*/.exec(r.stdout)?.[0]?.slice(0, 300);
    info(`${mode} accounts=${3 + extra} exit=${r.status} user=${t?.[1]} sys=${t?.[2]} wall=${t?.[3]} maxrss_kb=${t?.[4]} ${failed ?? ''}`);
    fs.rmSync(ws, { recursive: true, force: true });
  }
})();
