import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/main';
import { readInput } from '../src/inputs/read';
import { fixture, recordingIO, TEST_REGISTRY } from './helpers';

// Issue 10, "Silent passes" and "Crashes and poor messages": every input goes through the strict reader.
const BIN = path.join(__dirname, '..', 'bin', 'trust-guard.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-guard-inputs-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const write = (name: string, content: string | Buffer) => {
  fs.writeFileSync(path.join(dir, name), content);
  return name;
};

const ANY_STATEMENT = '{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}';
const SHADOWED = `{"Version":"2012-10-17",\n "Statement":[${ANY_STATEMENT}],\n "Statement":[]}`;
const DUPLICATE_PROBLEM =
  'line 3, column 2: the key "Statement" appears twice in one object (first at line 2, column 2); JSON readers disagree on which value counts (JavaScript keeps the last, others the first), so the file is refused. Write each key once';
/** A `pulumi preview --json` file nested 5,000 levels deep (issue 10 saw "internal error: RangeError"). */
const DEEP_PREFIX = `{"steps":[{"op":"create","newState":{"type":"aws:iam/role:Role","urn":"urn:pulumi:dev::dev::aws:iam/role:Role::deep","inputs":{"tags":`;
/** Where level 513 opens, the first beyond the reader's limit: the prefix holds 5 levels, so the 508th "[". */
const DEEP_AT = `line 1, column ${DEEP_PREFIX.length + 508}`;
const DEEP = `{"steps":[{"op":"create","newState":{"type":"aws:iam/role:Role","urn":"urn:pulumi:dev::dev::aws:iam/role:Role::deep","inputs":{"tags":${'['.repeat(5000)}${']'.repeat(5000)}}}}]}`;

function bin(args: string[], stdin?: string | Buffer): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: { PATH: process.env.PATH, TRUSTLINE_REGISTRY: TEST_REGISTRY } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

describe('readInput refuses what JSON.parse would pass silently', () => {
  it('a second "Statement" that hides a wildcard principal (exit 0 before), with line, column and key', () => {
    expect(JSON.parse(SHADOWED).Statement).toEqual([]);
    expect(readInput(write('shadowed.json', SHADOWED), dir)).toEqual({ ok: false, problem: DUPLICATE_PROBLEM, position: { line: 3, column: 2 } });
  });

  it('a repeated key deep inside a stack export', () => {
    const text = '{"deployment":{"resources":[{"urn":"u","type":"aws:iam/role:Role","inputs":{"assumeRolePolicy":"{}","path":"/","path":"/x/"}}]}}';
    expect(readInput(write('export-dup.json', text), dir)).toEqual({
      ok: false,
      problem: expect.stringContaining(`line 1, column ${text.lastIndexOf('"path"') + 1}: the key "path" appears twice in one object (first at line 1, column ${text.indexOf('"path"') + 1});`),
      position: { line: 1, column: text.lastIndexOf('"path"') + 1 },
    });
  });

  it('nesting 5,000 levels deep is this file\'s error, not a crash', () => {
    expect(readInput(write('deep.json', DEEP), dir)).toEqual({
      ok: false,
      problem: `${DEEP_AT}: arrays and objects nest more than 512 levels deep here; no policy, registry or Pulumi file needs that, so the input is refused. Flatten the document`,
      position: { line: 1, column: DEEP_PREFIX.length + 508 },
    });
  });
});

describe('readInput decodes what Windows writes', () => {
  it.each([
    ['UTF-16 LE with BOM (PowerShell 5 >)', Buffer.from(`\ufeff${fs.readFileSync(fixture('trust-any-principal.json'), 'utf8')}`, 'utf16le')],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), fs.readFileSync(fixture('trust-any-principal.json'))])],
  ])('%s', (_name, bytes) => {
    const r = readInput(write('windows.json', bytes), dir);
    expect(r.ok && [r.format, r.subjects.map((s) => [s.kind, s.document])]).toEqual(['policy-document', [['trust', JSON.parse(fs.readFileSync(fixture('trust-any-principal.json'), 'utf8'))]]]);
  });
});

describe('trust-guard check (the real bin)', () => {
  it('reads standard input for the FILE "-"', async () => {
    const r = await bin(['check', '-'], fs.readFileSync(fixture('trust-any-principal.json')));
    expect([r.code, r.stderr]).toEqual([1, '']);
    // The first line is the zone of trust; the report of "-" follows it.
    expect(r.stdout.split('\n')[0]).toMatch(/^Zone of trust from registry /);
    expect(r.stdout.split('\n').slice(1, 4)).toEqual(['- (policy-document):', '  IAM policy document "-"', '    MANDATORY trust-any-principal principal AWS::* [document, statement 0]']);
  });

  it('refuses the shadowed Statement (exit 2) and still reports the other file, in text', async () => {
    write('shadowed.json', SHADOWED);
    const r = await bin(['check', 'shadowed.json', path.relative(dir, fixture('trust-clean.json'))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`trust-guard: cannot read shadowed.json (${path.join(fs.realpathSync(dir), 'shadowed.json')}): ${DUPLICATE_PROBLEM}.\n`.replace(fs.realpathSync(dir), dir));
    expect(r.stdout.trimEnd().split('\n').slice(-2)).toEqual([
      `shadowed.json: NOT READ (${DUPLICATE_PROBLEM})`,
      'trust-guard could not read 1 file: 0 mandatory findings, 0 advisory, 0 informational, 0 exempted (1 file, 1 resource, 1 document checked).',
    ]);
  });

  it('names the deeply nested file and still prints every other file in --format json (no RangeError, no lost results)', async () => {
    write('deep.json', DEEP);
    const r = await bin(['check', '--format', 'json', 'deep.json', path.relative(dir, fixture('trust-any-principal.json'))]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('internal error');
    expect(r.stderr).toMatch(/^trust-guard: cannot read deep\.json \(.+\): line 1, column \d+: arrays and objects nest more than 512 levels deep here/);
    const json = JSON.parse(r.stdout);
    expect(json.errors.map((e: any) => [e.file, e.problem.split(':')[0]])).toEqual([['deep.json', DEEP_AT]]);
    expect(json.files.map((f: any) => [f.file, f.resources[0].findings.map((x: any) => x.key)])).toEqual([[expect.stringMatching(/trust-any-principal\.json$/), ['trust-any-principal[Principal::AWS::*]']]]);
    expect(json.summary).toMatchObject({ mandatory: 1, errors: 1, passed: false });
  });
});

describe('--config goes through the strict reader', () => {
  it('a "rules" object given twice is refused, naming the file, line and key', async () => {
    const config = write('config-dup.json', '{\n  "rules": {"trust-any-principal": "mandatory"},\n  "rules": {"trust-any-principal": "advisory"}\n}');
    const io = recordingIO(undefined, dir);
    expect(await runCli(['check', '--config', config, fixture('trust-clean.json')], io)).toBe(2);
    expect(io.err).toBe(
      'trust-guard: cannot read the configuration config-dup.json: line 3, column 3: the key "rules" appears twice in one object (first at line 2, column 3); JSON readers disagree on which value counts (JavaScript keeps the last, others the first), so the file is refused. Write each key once; write a JSON object of trust-guard settings, each key once.\n',
    );
  });

  it('a UTF-16 config is read', async () => {
    const config = write('config-utf16.json', Buffer.from(`\ufeff${fs.readFileSync(fixture('config-exempt.json'), 'utf8')}`, 'utf16le'));
    const io = recordingIO(undefined, dir);
    expect(await runCli(['check', '--config', config, fixture('identity-assume-any-role.json')], io)).toBe(0);
    expect(io.out).toContain('exempted identity-assume-any-role[Resource::*]');
  });
});
