import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli';
import { copyWorkspace, useSampleRegistry } from './workspace-copy';

/** Runs the CLI shell in-process: these failures happen before any program is loaded. */
async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t), isTTY: false } });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const ws = copyWorkspace();
// The known projects listed below are the sample's, whatever accounts the live registry holds.
useSampleRegistry(ws);
afterAll(() => fs.rmSync(ws, { recursive: true, force: true }));

describe('exit 2 before any program runs', () => {
  it('when a registry account has no project folder', async () => {
    fs.renameSync(path.join(ws, 'projects/test'), path.join(ws, 'projects/test-moved'));
    try {
      const r = await run(['--workspace', ws]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        'offline-preview: project "test": registry account "test" has no project: projects/test/Pulumi.yaml is missing. Every account in accounts.json needs projects/test/ (Pulumi.yaml, Pulumi.test.yaml and index.ts).\n',
      );
      expect(r.stdout).toBe('');
    } finally {
      fs.renameSync(path.join(ws, 'projects/test-moved'), path.join(ws, 'projects/test'));
    }
  });

  it('for an unknown --project, listing the known ones', async () => {
    const r = await run(['--workspace', ws, '--project', 'staging']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('offline-preview: --project "staging" is neither "access" nor an account in accounts.json; known projects: access, dev, prod, test.\n');
  });

  it('when the Pulumi.yaml main points at a missing program', async () => {
    const file = path.join(ws, 'projects/prod/Pulumi.yaml');
    const original = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, original.replace(/^main: .*$/m, 'main: src/missing.ts'));
    try {
      const r = await run(['--workspace', ws, '--project', 'prod']);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('offline-preview: project "prod": the program projects/prod/src/missing.ts does not exist (Pulumi.yaml main "src/missing.ts").\n');
    } finally {
      fs.writeFileSync(file, original);
    }
  });

  it('for a registry that is not valid JSON, naming the file', async () => {
    const file = path.join(ws, 'accounts.json');
    const original = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, '{ "organizationId": ');
    try {
      const r = await run(['--workspace', ws]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^offline-preview: the account registry cannot be loaded: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the account registry has 1 problem:\n  - the file is not valid JSON: `));
    } finally {
      fs.writeFileSync(file, original);
    }
  });
});
