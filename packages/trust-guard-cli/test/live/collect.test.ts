import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectCommand } from '../../src/live/collect';
import { createStaging, outProblem } from '@trustline/trust-guard';
import { recordingIO, TEST_REGISTRY } from '../helpers';
import { FakeSts } from './fake-sts';

// The collection itself runs against moto (packages/integration-tests/test/collect.test.ts); these are the
// parts that need no AWS: where a snapshot may be written, how it is put in place, and usage errors.

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-collect-unit-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const write = (dir: string, files: Record<string, string>) => {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
};
/** A pid that no process has: a child that has already exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid as number;

describe('--out: where collect may write', () => {
  it.each([
    ['a folder that does not exist', () => path.join(tmp, 'new')],
    ['an empty folder', () => (fs.mkdirSync(path.join(tmp, 'empty')), path.join(tmp, 'empty'))],
    ['a previous snapshot', () => (write(path.join(tmp, 'prev'), { 'organization.json': '{}', 'collect.json': '{}', '111111111111.json': '{}' }), path.join(tmp, 'prev'))],
  ])('accepts %s', (_, make) => {
    expect(outProblem(make())).toBeUndefined();
  });

  it('refuses a folder with other files, naming them and saying what is allowed', () => {
    const dir = path.join(tmp, 'mixed');
    write(dir, { 'organization.json': '{}', 'notes.txt': 'x', 'accounts.json': '{}' });
    expect(outProblem(dir)).toBe(
      `--out ${JSON.stringify(dir)} is not empty and is not a previous snapshot (it holds "accounts.json", "notes.txt"); collect replaces only an empty folder or a folder it wrote before (organization.json, collect.json and <accountId>.json files). Choose a new folder.`,
    );
  });

  it('refuses account files without organization.json (GAAD files someone exported by hand), and a file', () => {
    const dir = path.join(tmp, 'gaad');
    write(dir, { '111111111111.json': '{}' });
    expect(outProblem(dir)).toMatch(/is not empty and is not a previous snapshot \(it has no organization\.json\)/);
    expect(outProblem(path.join(dir, '111111111111.json'))).toMatch(/is a file; give a folder/);
  });
});

describe('the staging folder', () => {
  it('puts the new snapshot in place whole: no file of the previous one survives, no staging folder is left', () => {
    const out = path.join(tmp, 'snap');
    write(out, { 'organization.json': '"old"', '222222222222.json': '"old"' });
    const staging = createStaging(out);
    expect(path.dirname(staging.dir)).toBe(tmp);
    staging.write('organization.json', { new: true });
    expect(fs.readFileSync(path.join(out, 'organization.json'), 'utf8')).toBe('"old"');
    staging.commit();
    expect(fs.readdirSync(out)).toEqual(['organization.json']);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'organization.json'), 'utf8'))).toEqual({ new: true });
    expect(fs.readdirSync(tmp)).toEqual(['snap']);
  });

  it('abandoning leaves the previous snapshot as it was', () => {
    const out = path.join(tmp, 'snap');
    write(out, { 'organization.json': '"old"' });
    const staging = createStaging(out);
    staging.write('organization.json', 'new');
    staging.abandon();
    expect(fs.readdirSync(tmp)).toEqual(['snap']);
    expect(fs.readFileSync(path.join(out, 'organization.json'), 'utf8')).toBe('"old"');
  });

  it('removes what a killed run left, and puts back a previous snapshot a run killed between its two renames had set aside', () => {
    const out = path.join(tmp, 'snap');
    const dead = deadPid();
    write(path.join(tmp, `.snap.collecting-${dead}-abc123`), { 'organization.json': 'half' });
    write(path.join(tmp, `.snap.collecting-${dead}-def456.previous`), { 'organization.json': '"previous"' });
    // A live run's staging folder (this process) is left alone.
    write(path.join(tmp, `.snap.collecting-${process.pid}-live01`), {});
    const staging = createStaging(out);
    expect(fs.readFileSync(path.join(out, 'organization.json'), 'utf8')).toBe('"previous"');
    expect(fs.readdirSync(tmp).sort()).toEqual([`.snap.collecting-${process.pid}-live01`, path.basename(staging.dir), 'snap'].sort());
    staging.abandon();
  });
});

describe('trust-guard collect usage (exit 2 before any AWS call)', () => {
  const sts = () => new FakeSts({ base: { accessKeyId: 'AKIAFAKEBASE00000000', arn: 'arn:aws:iam::012345678901:user/alice' }, roles: {} });
  const run = async (argv: (dir: string) => string[]) => {
    const fake = sts();
    const io = recordingIO({ TRUSTLINE_REGISTRY: TEST_REGISTRY, AWS_ACCESS_KEY_ID: 'AKIAFAKEBASE00000000', AWS_SECRET_ACCESS_KEY: 'x' }, tmp);
    const code = await collectCommand(argv(tmp), io, { sts: fake.factory });
    return { code, out: io.out, err: io.err, calls: fake.calls };
  };

  it.each([
    [[] as string[], 'trust-guard collect: --out DIR is required: the snapshot folder to write (new, empty, or a snapshot collect wrote before).'],
    [['--out', 'snap', '--account', 'dev'], 'trust-guard collect: --account is not supported; collect reads every account of the organization (a snapshot of part of it would hide paths).'],
    [['--out', 'snap', '--role-name', 'no spaces'], 'trust-guard collect: --role-name "no spaces" is not an IAM role name (1 to 64 letters, digits and +=,.@_-).'],
    [['--out', 'snap', '--org-role', 'OrgReader'], 'trust-guard collect: --org-role "OrgReader" is not a role ARN (arn:aws:iam::<12-digit account>:role/<name>).'],
    [['--out', 'snap', '--concurrency', '0'], 'trust-guard collect: --concurrency "0" is not a number of accounts to check at once; use a whole number from 1 to 256 (default 4).'],
    [['--out', 'snap', 'extra'], 'trust-guard collect: unexpected argument "extra"; collect takes options only.'],
  ])('%j: %s', async (argv, message) => {
    const r = await run(() => argv);
    expect([r.code, r.out, r.err, r.calls]).toEqual([2, '', `${message}\n`, []]);
  });

  it('refuses a --out folder that is not a snapshot, resolved against the working directory', async () => {
    write(path.join(tmp, 'docs'), { 'README.md': '#' });
    const r = await run(() => ['--out', 'docs']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`trust-guard collect: --out ${JSON.stringify(path.join(tmp, 'docs'))} is not empty and is not a previous snapshot (it holds "README.md")`);
    expect(r.calls).toEqual([]);
  });
});
