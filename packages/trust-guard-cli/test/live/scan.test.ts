import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanCommand } from '../../src/live/scan';
import { recordingIO, TEST_REGISTRY } from '../helpers';
import { FakeSts, stsError } from './fake-sts';

// Reading IAM needs an emulator (packages/integration-tests/test/scan.test.ts); these cases fail before any
// IAM call, at the caller's own credentials, which the fake STS answers the way AWS does.

const BASE_KEY = 'AKIAFAKEBASE00000000';
const ALICE = 'arn:aws:iam::012345678901:user/alice';
const EXPIRED = 'The credentials have expired (ExpiredToken: The security token included in the request is expired).';
const EXPIRED_FIX = 'Refresh them: run "aws sso login" for an SSO profile, or get a new session token; unset a stale AWS_SESSION_TOKEN.';

// A config whose "paths" section names a rule that does not exist: the drift rules' levels are checked before any AWS call.
const PATHS_TYPO = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'scan-config-')), 'trust-guard.json');
fs.writeFileSync(PATHS_TYPO, JSON.stringify({ paths: { rules: { 'path-undeclare': 'advisory' } } }));
afterAll(() => fs.rmSync(path.dirname(PATHS_TYPO), { recursive: true, force: true }));

const expiredSts = () =>
  new FakeSts({ base: { accessKeyId: BASE_KEY, arn: ALICE }, roles: {}, errors: { [`GetCallerIdentity ${ALICE}`]: stsError('ExpiredToken', 'The security token included in the request is expired', 403) } });

async function scan(argv: string[]) {
  const io = recordingIO({ TRUSTLINE_REGISTRY: TEST_REGISTRY, AWS_ACCESS_KEY_ID: BASE_KEY, AWS_SECRET_ACCESS_KEY: 'fake-secret' });
  const code = await scanCommand(argv, io, { sts: expiredSts().factory });
  return { code, out: io.out, err: io.err };
}

describe('trust-guard scan --live when accounts cannot be read', () => {
  it('JSON: summary.passed is false and every unread account is in "errors", exit 2', async () => {
    const { code, out, err } = await scan(['--live', '--format', 'json']);
    expect(code).toBe(2);
    const json = JSON.parse(out);
    expect(json.files).toEqual([]);
    expect(json.errors).toEqual(
      ['account dev (111111111111)', 'account prod (333333333333)', 'account test (222222222222)'].map((file) => ({ file, problem: EXPIRED, code: 'expired-token', fix: EXPIRED_FIX })),
    );
    expect(json.summary).toEqual({ files: 0, resources: 0, documents: 0, mandatory: 0, advisory: 0, informational: 0, exempted: 0, expired: 0, errors: 3, passed: false });
    expect(json.zone).toMatchObject({ from: { kind: 'registry', file: TEST_REGISTRY }, organizationId: 'o-exampleorg01' });
    expect(err.split('\n')[0]).toBe(`trust-guard scan: cannot read account dev (111111111111): ${EXPIRED}`);
  });

  it('text: says "could not scan N accounts" instead of "passed", and --account repeats in order, once each', async () => {
    const { code, out, err } = await scan(['--live', '--account', 'test', '--account', 'dev', '--account', 'test']);
    expect(code).toBe(2);
    const [trust, drift] = out.split('\n\nDeclared vs live: ');
    expect(trust).toBe(
      [
        `Zone of trust from registry ${TEST_REGISTRY}: accounts 012345678901, 111111111111, 333333333333, 222222222222; organization o-exampleorg01; vendors 999999999999 (example-monitoring-vendor).`,
        'account test (222222222222): NOT SCANNED (expired-token)',
        'account dev (111111111111): NOT SCANNED (expired-token)',
        'trust-guard could not scan 2 accounts: 0 mandatory findings, 0 advisory, 0 informational, 0 exempted (0 files, 0 resources, 0 documents checked).',
      ].join('\n'),
    );
    // The declared-vs-live section compares nothing it did not read: the accounts' declared edges are unknown, not missing.
    expect(drift).toContain(['  test:trustline-deploy: account not read', '    unknown    arn:aws:iam::012345678901:role/trustline-hub'].join('\n'));
    expect(drift).not.toContain('MISSING');
    expect(drift).toContain('  prod (333333333333): not scanned in this run (--account).');
    expect(drift.trimEnd().split('\n').pop()).toBe('trust-guard scan --live, declared vs live, could not read everything: 0 mandatory findings, 0 advisory, 0 exempted (0 targets, 0 paths, 2 input problems).');
    expect(out).not.toContain('passed');
    expect(err).toBe(
      [
        `trust-guard scan: cannot read account test (222222222222): ${EXPIRED}`,
        `    Fix: ${EXPIRED_FIX}`,
        `trust-guard scan: cannot read account dev (111111111111): ${EXPIRED}`,
        `    Fix: ${EXPIRED_FIX}`,
        '',
      ].join('\n'),
    );
  });

  it.each([
    [['--live', '--endpoint', 'notaurl'], 'trust-guard scan: --endpoint "notaurl" is not a URL (for example http://127.0.0.1:5000).'],
    [['--live', '--account', 'dev', '--account', 'staging'], 'trust-guard scan: --account: account "staging" is not in the registry; known accounts: dev, prod, test.'],
    [['--live', '--config', PATHS_TYPO], `trust-guard scan: ${PATHS_TYPO}: paths.rules.path-undeclare`],
  ])('%j exits 2 before any AWS call: %s', async (argv, message) => {
    const sts = expiredSts();
    const io = recordingIO({ TRUSTLINE_REGISTRY: TEST_REGISTRY, AWS_ACCESS_KEY_ID: BASE_KEY, AWS_SECRET_ACCESS_KEY: 'fake-secret' });
    expect(await scanCommand(argv, io, { sts: sts.factory })).toBe(2);
    expect(io.out).toBe('');
    expect(io.err.startsWith(message)).toBe(true);
    expect(sts.calls).toEqual([]);
  });
});
