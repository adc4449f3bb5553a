import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as prettier from 'prettier';
import { afterEach, describe, expect, it } from 'vitest';
import {
  RegistryError,
  acquireFileLock,
  detectJsonFormat,
  editRegistryText,
  formatJson,
  PRINT_WIDTH,
  type JsonFormat,
  lockFileOf,
  parseRegistry,
  processStartTime,
  sampleRegistryJson,
  sampleRegistryText,
  staleReason,
  withAccounts,
  writeFileAtomic,
  type LockOwner,
} from '../src';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-write-'));
  dirs.push(d);
  return d;
}

const entry = (key: string, accountId: string) => ({
  key,
  accountId,
  environment: 'test',
  region: 'eu-west-1',
  deployRoleName: 'trustline-deploy',
  trustedPrincipals: ['arn:aws:iam::012345678901:role/trustline-hub'],
  maxSessionDurationSeconds: 3600,
});
const addEntry = (key: string, accountId: string) => (raw: Record<string, unknown>) =>
  withAccounts(raw, [...(raw.accounts as Record<string, unknown>[]), entry(key, accountId)]);

describe('formatJson and detectJsonFormat: a file keeps its own layout', () => {
  it('reproduces the sample registry byte for byte', () => {
    const text = sampleRegistryText();
    expect(formatJson(JSON.parse(text), detectJsonFormat(text))).toBe(text);
  });

  it.each([
    ['2 spaces, LF, final newline', { indent: '  ', newline: '\n', finalNewline: true, bom: false }],
    ['4 spaces', { indent: '    ', newline: '\n', finalNewline: true, bom: false }],
    ['tabs, CRLF, no final newline', { indent: '\t', newline: '\r\n', finalNewline: false, bom: false }],
    ['a BOM', { indent: '  ', newline: '\n', finalNewline: true, bom: true }],
  ] as const)('%s: detected, and an edit keeps it', (_title, format) => {
    const text = formatJson(sampleRegistryJson(), format);
    expect(detectJsonFormat(text)).toEqual(format);
    const edited = editRegistryText(text, 'accounts.json', addEntry('qa', '044444444444'));
    expect(edited.changed).toBe(true);
    expect(detectJsonFormat(edited.text)).toEqual(format);
    // Every line of the old file is still there: the edit shows up as added lines only.
    const lines = new Set(edited.text.split(format.newline));
    for (const line of text.split(format.newline)) expect(lines.has(line), line).toBe(true);
    expect(edited.text).toContain(`${format.indent.repeat(3)}"key": "qa",`);
  });

  it('keeps key order, and leaves the bytes alone when the edit changes nothing', () => {
    const raw = sampleRegistryJson();
    const reordered = { accounts: raw.accounts, identity: raw.identity, ...raw };
    const text = `${JSON.stringify(reordered, null, 3)}`;
    const same = editRegistryText(text, 'accounts.json', (r) => r);
    expect(same).toMatchObject({ changed: false, text });
    const edited = editRegistryText(text, 'accounts.json', addEntry('qa', '044444444444')).text;
    expect(Object.keys(JSON.parse(edited))).toEqual(Object.keys(reordered));
  });

  it('refuses an edit whose result would not load, naming the file and the problem', () => {
    expect(() => editRegistryText(sampleRegistryText(), '/ws/accounts.json', addEntry('qa', '111111111111'))).toThrowError(
      '/ws/accounts.json: the account registry has 1 problem:\n  - accounts[2].accountId "111111111111" is already used by accounts[0]; each account appears once.',
    );
  });

  it('names the file when it is not JSON (a BOM is not the reason: it is tolerated)', () => {
    expect(() => editRegistryText('\uFEFF{"accounts": [', '/ws/accounts.json', (r) => r)).toThrowError(RegistryError);
    expect(() => editRegistryText('\uFEFF{"accounts": [', '/ws/accounts.json', (r) => r)).toThrowError(/^\/ws\/accounts\.json: .*\n {2}- the file is not valid JSON/);
    // The reader accepts the same BOM file the writer keeps.
    const bom = `\uFEFF${sampleRegistryText()}`;
    expect(parseRegistry(bom, 'bom.json').accounts.length).toBe(3);
    expect(editRegistryText(bom, 'bom.json', addEntry('qa', '044444444444')).text.startsWith('\uFEFF{\n')).toBe(true);
  });
});

describe('formatJson prints what Prettier prints', () => {
  // The bytes themselves, for the layouts and shapes that are easy to get wrong.
  it.each<[string, unknown, Partial<JsonFormat>, string]>([
    ['[{}] stays on one line', { a: [{}], b: [1, 2] }, {}, '{\n  "a": [{}],\n  "b": [1, 2]\n}\n'],
    ['objects stay expanded', { a: { b: 1 } }, {}, '{\n  "a": {\n    "b": 1\n  }\n}\n'],
    ['tabs, CRLF, BOM, no final newline', { a: ['x'] }, { indent: '\t', newline: '\r\n', bom: true, finalNewline: false }, '\uFEFF{\r\n\t"a": ["x"]\r\n}'],
    ['a list too long for 80 columns breaks one item a line', { principals: ['arn:aws:iam::012345678901:role/ci-deploy', 'arn:aws:iam::012345678901:role/ci-plan'] }, {}, '{\n  "principals": [\n    "arn:aws:iam::012345678901:role/ci-deploy",\n    "arn:aws:iam::012345678901:role/ci-plan"\n  ]\n}\n'],
  ])('%s', (_title, value, f, expected) => {
    expect(formatJson(value, f)).toBe(expected);
  });

  // Prettier's options for a layout, as a repository formatting its JSON with Prettier would set them.
  const prettierOptions = (f: JsonFormat): prettier.Options => ({
    parser: 'json',
    printWidth: PRINT_WIDTH,
    useTabs: f.indent === '\t',
    tabWidth: f.indent === '\t' ? 1 : f.indent.length,
    endOfLine: f.newline === '\r\n' ? 'crlf' : 'lf',
  });
  const layouts: [string, JsonFormat][] = [
    ['2 spaces', { indent: '  ', newline: '\n', finalNewline: true, bom: false }],
    ['4 spaces, CRLF', { indent: '    ', newline: '\r\n', finalNewline: true, bom: false }],
    ['tabs, BOM', { indent: '\t', newline: '\n', finalNewline: true, bom: true }],
  ];
  const values: [string, unknown][] = [
    ['the sample registry', sampleRegistryJson()],
    // Shapes a hand-written imitation got wrong: Prettier keeps `[{}]` on one line and fills long number arrays.
    ['an array holding an empty object', { a: [{}], b: [[]] }],
    ['a long array of numbers', { ids: Array.from({ length: 40 }, (_, i) => 1000 + i) }],
    ['escapes and non-ASCII text', { 'k\u00e9y': 'line\nbreak "quoted" \u2603', nested: { deeper: { list: ['a', 'b'] } } }],
  ];
  it.each(layouts.flatMap(([layout, f]) => values.map(([what, value]) => [`${what}, ${layout}`, value, f] as const)))(
    '%s: Prettier leaves the printed file as it is',
    async (_title, value, f) => {
      const text = formatJson(value, f);
      expect(detectJsonFormat(text)).toEqual(f);
      expect(await prettier.format(text, prettierOptions(f))).toBe(text);
    },
  );
});

describe('writeFileAtomic', () => {
  it('replaces the file through a temporary file in the same folder, keeping its mode and leaving no temp file', () => {
    const dir = tempDir();
    const file = path.join(dir, 'accounts.json');
    fs.writeFileSync(file, 'old', { mode: 0o600 });
    writeFileAtomic(file, 'new');
    expect(fs.readFileSync(file, 'utf8')).toBe('new');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['accounts.json']);
  });
});

describe('the registry lock', () => {
  it('is exclusive within the holder and released by release()', () => {
    const dir = tempDir();
    const target = path.join(dir, 'accounts.json');
    const lock = acquireFileLock(target);
    expect(JSON.parse(fs.readFileSync(lockFileOf(target), 'utf8'))).toMatchObject({ pid: process.pid, startTime: processStartTime(process.pid), host: os.hostname() });
    expect(() => acquireFileLock(target, { timeoutMs: 200 })).toThrowError(
      new RegExp(`^${target.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is locked by .*accounts\\.json\\.lock: process ${process.pid} on .* has held it since .*, and it was still held after 0 s\\. Wait for that command to finish; if it is no longer running on any machine, delete `),
    );
    lock.release();
    expect(fs.existsSync(lockFileOf(target))).toBe(false);
    acquireFileLock(target).release();
  });

  it('breaks a lock whose owner was killed (kill -9 leaves the file behind)', () => {
    const dir = tempDir();
    const target = path.join(dir, 'accounts.json');
    // A process that takes the lock and dies without releasing it.
    const script = `require('tsx/cjs'); const { acquireFileLock } = require(${JSON.stringify(path.resolve(__dirname, '../src/write.ts'))}); acquireFileLock(${JSON.stringify(target)}); process.kill(process.pid, 'SIGKILL');`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(r.signal).toBe('SIGKILL');
    const left = JSON.parse(fs.readFileSync(lockFileOf(target), 'utf8')) as LockOwner;
    expect(staleReason(left, lockFileOf(target))).toBe(`its owner, process ${left.pid} (${left.command}), is no longer running`);
    const lock = acquireFileLock(target, { timeoutMs: 2000 });
    expect(lock.owner.pid).toBe(process.pid);
    lock.release();
  });

  it('takes a live pid with another start time for a reused pid, and an old unreadable lock for a crashed writer', () => {
    const dir = tempDir();
    const lockFile = path.join(dir, 'x.lock');
    fs.writeFileSync(lockFile, '');
    const owner: LockOwner = { pid: process.pid, startTime: '1', host: os.hostname(), acquiredAt: '', command: 'npm run account:add', token: 't' };
    expect(staleReason(owner, lockFile)).toBe(`process ${process.pid} now is another program than its owner (npm run account:add), which has exited`);
    expect(staleReason({ ...owner, startTime: processStartTime(process.pid) }, lockFile)).toBeUndefined();
    expect(staleReason({ ...owner, pid: 1, host: 'other-host' }, lockFile)).toBeUndefined();
    expect(staleReason(undefined, lockFile)).toBeUndefined();
    expect(staleReason(undefined, lockFile, Date.now() + 60_000)).toMatch(/^it has no readable owner and is \d+ s old$/);
  });
});

describe('updateRegistryFile: concurrent writers', () => {
  it('four processes adding one entry each at the same moment: every entry is in the file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'accounts.json');
    fs.writeFileSync(file, formatJson(sampleRegistryJson(), { indent: '    ' }));
    const keys = ['qa1', 'qa2', 'qa3', 'qa4'];
    const runs = keys.map(
      (key, i) =>
        new Promise<number | null>((resolve) => {
          const script = `require('tsx/cjs'); const w = require(${JSON.stringify(path.resolve(__dirname, '../src/write.ts'))});
            const add = (raw) => w.withAccounts(raw, [...raw.accounts, ${JSON.stringify(entry(key, `04444444444${i}`))}]);
            // Hold the lock for a while, so the others have to wait for it.
            w.updateRegistryFile(${JSON.stringify(file)}, (raw) => { const t = Date.now(); while (Date.now() - t < 150); return add(raw); });`;
          spawn(process.execPath, ['-e', script], { stdio: 'inherit' }).on('exit', resolve);
        }),
    );
    expect(await Promise.all(runs)).toEqual([0, 0, 0, 0]);
    const text = fs.readFileSync(file, 'utf8');
    expect(parseRegistry(text, file).accounts.map((a) => a.key)).toEqual(['dev', 'prod', 'qa1', 'qa2', 'qa3', 'qa4', 'test']);
    expect(detectJsonFormat(text).indent).toBe('    ');
    expect(fs.readdirSync(dir)).toEqual(['accounts.json']);
  }, 60_000);
});
