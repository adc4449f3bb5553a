import { loadRegistry } from '@trustline/registry';
import { describe, expect, it } from 'vitest';
import { doctorCommand, runDoctor } from '../../src/live/doctor';
import { recordingIO, TEST_REGISTRY } from '../helpers';
import { FakeSts, stsError, type FakeRole, type FakeStsOptions } from './fake-sts';

// moto does not judge cross-account trust, ExternalId or roles deleted in another account (see
// packages/integration-tests/test/doctor.test.ts), so these breaks run the doctor against a fake STS
// that answers the way AWS does and throws the SDK's own exception shape (checked in fake-sts.test.ts).

const BASE_KEY = 'AKIAFAKEBASE00000000';
const ALICE = 'arn:aws:iam::012345678901:user/alice';
const HUB = 'arn:aws:iam::012345678901:role/trustline-hub';
const DEV = 'arn:aws:iam::111111111111:role/trustline-deploy';
const TEST = 'arn:aws:iam::222222222222:role/trustline-deploy';
const PROD = 'arn:aws:iam::333333333333:role/trustline-deploy';
const PROD_EXTERNAL_ID = 'trustline-prod-7f3c9a1e';
const hubSession = (key: string) => `arn:aws:sts::012345678901:assumed-role/trustline-hub/trustline-hub-${key}`;

/** The organization as the access project deploys it from the test registry. */
const healthyRoles = (): Record<string, FakeRole> => ({
  [HUB]: { trusted: [ALICE] },
  [DEV]: { trusted: [HUB, 'arn:aws:iam::012345678901:role/ci/github-actions-deploy'] },
  [TEST]: { trusted: [HUB] },
  [PROD]: { trusted: [HUB], externalId: PROD_EXTERNAL_ID },
});

function fakeSts(change: Partial<FakeStsOptions> = {}): FakeSts {
  return new FakeSts({ base: { accessKeyId: BASE_KEY, arn: ALICE }, roles: healthyRoles(), ...change });
}

const env = () => ({ TRUSTLINE_REGISTRY: TEST_REGISTRY, AWS_ACCESS_KEY_ID: BASE_KEY, AWS_SECRET_ACCESS_KEY: 'fake-secret' });

async function doctor(argv: string[], sts: FakeSts) {
  const io = recordingIO(env());
  const code = await doctorCommand(argv, io, { sts: sts.factory });
  return { code, out: io.out, err: io.err };
}

describe('trust-guard doctor with an injected STS', () => {
  it('reports a healthy organization with exit 0, chaining each hop with the previous hop\'s credentials', async () => {
    const sts = fakeSts();
    // One account at a time, so the calls below come account by account (concurrency interleaves them).
    const { code, out, err } = await doctor(['--concurrency', '1'], sts);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toBe(
      [
        'Caller: arn:aws:iam::012345678901:user/alice (account 012345678901)',
        '',
        'ACCOUNT              ROLE                                             ASSUMED IDENTITY                                                               RESULT',
        'dev (111111111111)   arn:aws:iam::111111111111:role/trustline-deploy  arn:aws:sts::111111111111:assumed-role/trustline-deploy/trustline-deploy-dev   ok',
        'prod (333333333333)  arn:aws:iam::333333333333:role/trustline-deploy  arn:aws:sts::333333333333:assumed-role/trustline-deploy/trustline-deploy-prod  ok',
        'test (222222222222)  arn:aws:iam::222222222222:role/trustline-deploy  arn:aws:sts::222222222222:assumed-role/trustline-deploy/trustline-deploy-test  ok',
        '',
        '3 of 3 accounts ok.',
        '',
      ].join('\n'),
    );
    // The prod chain: caller identity as alice, the hub hop with alice's key, the deploy hop with the hub
    // session's key and the registry's ExternalId, then GetCallerIdentity with the deploy session's key.
    // Sessions are numbered in order: dev's hub and deploy sessions are ASIAFAKE1 and 2, prod's 3 and 4.
    expect(sts.calls).toHaveLength(10);
    expect(sts.calls[0]).toEqual({ operation: 'GetCallerIdentity', accessKeyId: BASE_KEY, region: 'eu-west-1' });
    expect(sts.calls.slice(4, 7)).toEqual([
      { operation: 'AssumeRole', accessKeyId: BASE_KEY, region: 'eu-west-1', roleArn: HUB, sessionName: 'trustline-hub-prod', durationSeconds: 3600 },
      { operation: 'AssumeRole', accessKeyId: 'ASIAFAKE3', region: 'eu-west-1', roleArn: PROD, sessionName: 'trustline-deploy-prod', durationSeconds: 3600, externalId: PROD_EXTERNAL_ID },
      { operation: 'GetCallerIdentity', accessKeyId: 'ASIAFAKE4', region: 'eu-west-1' },
    ]);
    // The test account verifies in its own region (eu-central-1).
    expect(sts.calls.at(-1)).toEqual({ operation: 'GetCallerIdentity', accessKeyId: 'ASIAFAKE6', region: 'eu-central-1' });
  });

  const deniedFix = (key: string, role: string, extra = '') =>
    `Add ${HUB} to the role's trust policy (trustedPrincipals of the "${key}" entry of accounts.json, then deploy the access project), ` +
    `and let ${HUB} call sts:AssumeRole on ${role} in its identity policy.${extra} If the role was deleted, AWS answers AccessDenied too: check it exists.`;

  const cases: Array<{ name: string; argv: string[]; sts: Partial<FakeStsOptions>; caller?: string; row: string; problem: string; fix: string }> = [
    {
      name: 'a deleted deploy role after a successful hub hop: AWS answers AccessDenied',
      argv: ['--account', 'dev'],
      sts: { roles: (({ [DEV]: _deleted, ...rest }) => rest)(healthyRoles()) },
      row: `dev (111111111111)  ${DEV}  -                 FAILED: access-denied`,
      problem: `dev: ${hubSession('dev')} may not assume role ${DEV} (AccessDenied: User: ${hubSession('dev')} is not authorized to perform: sts:AssumeRole on resource: ${DEV}).`,
      fix: deniedFix('dev', DEV),
    },
    {
      name: 'a deploy hop answered NoSuchEntity',
      argv: ['--account', 'dev'],
      sts: { errors: { [`AssumeRole ${DEV}`]: stsError('NoSuchEntity', 'The role with name trustline-deploy cannot be found.', 404) } },
      row: `dev (111111111111)  ${DEV}  -                 FAILED: role-not-found`,
      problem: `dev: Role ${DEV} does not exist (NoSuchEntity: The role with name trustline-deploy cannot be found.).`,
      fix: 'Create it by deploying the access project for this account, or correct deployRoleName / accountId in the "dev" entry of accounts.json.',
    },
    {
      name: 'a deploy role whose condition wants another ExternalId than the registry sends',
      argv: ['--account', 'prod'],
      sts: { roles: { ...healthyRoles(), [PROD]: { trusted: [HUB], externalId: 'trustline-prod-rotated-2024' } } },
      row: `prod (333333333333)  ${PROD}  -                 FAILED: access-denied`,
      problem: `prod: ${hubSession('prod')} may not assume role ${PROD} (AccessDenied: User: ${hubSession('prod')} is not authorized to perform: sts:AssumeRole on resource: ${PROD}).`,
      fix: deniedFix('prod', PROD, ` It also requires sts:ExternalId "${PROD_EXTERNAL_ID}"; check the role's condition uses the same value.`),
    },
    {
      name: 'a deploy hop refused for the role-chaining session limit',
      argv: ['--account', 'test'],
      sts: { errors: { [`AssumeRole ${TEST}`]: stsError('ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.', 400) } },
      row: `test (222222222222)  ${TEST}  -                 FAILED: session-duration`,
      problem: `test: Assuming role ${TEST} for 3600 seconds was refused: a chained session is capped at 3600 seconds (ValidationError: The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.).`,
      fix: 'Set maxSessionDurationSeconds of the "test" entry of accounts.json to 3600 or less; sessions reached through the hub role are capped at one hour.',
    },
    {
      name: 'expired base credentials (ExpiredToken on GetCallerIdentity)',
      argv: ['--account', 'dev'],
      sts: { errors: { [`GetCallerIdentity ${ALICE}`]: stsError('ExpiredToken', 'The security token included in the request is expired', 403) } },
      caller: 'Caller: none (expired-token)',
      row: `dev (111111111111)  ${DEV}  -                 FAILED: expired-token`,
      problem: 'dev: The credentials have expired (ExpiredToken: The security token included in the request is expired).',
      fix: 'Refresh them: run "aws sso login" for an SSO profile, or get a new session token; unset a stale AWS_SESSION_TOKEN.',
    },
    {
      name: 'a chain that ends in another account than the registry says',
      argv: ['--account', 'dev'],
      sts: { sessionAccount: { [DEV]: '444444444444' } },
      row: `dev (111111111111)  ${DEV}  arn:aws:sts::444444444444:assumed-role/trustline-deploy/trustline-deploy-dev  FAILED: wrong-account`,
      problem: `dev: Assuming ${DEV} gave arn:aws:sts::444444444444:assumed-role/trustline-deploy/trustline-deploy-dev in account 444444444444, not the registry's account 111111111111.`,
      fix: 'Correct accountId of the "dev" entry of accounts.json, or check that --endpoint / AWS_ENDPOINT_URL points at the right partition.',
    },
  ];

  it.each(cases)('diagnoses $name: the row, the problem and the fix, exit 1', async ({ argv, sts, caller, row, problem, fix }) => {
    const { code, out, err } = await doctor(argv, fakeSts(sts));
    expect(err).toBe('');
    expect(code).toBe(1);
    const [callerLine, blank, header, tableRow, ...rest] = out.split('\n');
    expect(callerLine).toBe(caller ?? 'Caller: arn:aws:iam::012345678901:user/alice (account 012345678901)');
    expect(blank).toBe('');
    expect(header).toMatch(/^ACCOUNT +ROLE +ASSUMED IDENTITY +RESULT$/);
    expect(tableRow).toBe(row);
    expect(rest).toEqual(['', problem, `    Fix: ${fix}`, '', '0 of 1 account ok.', '']);
  });

  it('sends the registry\'s ExternalId, and only to the role that asks for it', async () => {
    const sts = fakeSts({ roles: { ...healthyRoles(), [PROD]: { trusted: [HUB], externalId: 'trustline-prod-rotated-2024' } } });
    await doctor([], sts);
    expect(sts.calls.filter((c) => c.externalId !== undefined).map((c) => [c.roleArn, c.externalId])).toEqual([[PROD, PROD_EXTERNAL_ID]]);
  });

  it('makes no AssumeRole call when the caller\'s own credentials fail', async () => {
    const sts = fakeSts({ errors: { [`GetCallerIdentity ${ALICE}`]: stsError('ExpiredToken', 'The security token included in the request is expired', 403) } });
    const { code, out } = await doctor([], sts);
    expect(code).toBe(1);
    expect(sts.calls).toEqual([{ operation: 'GetCallerIdentity', accessKeyId: BASE_KEY, region: 'eu-west-1' }]);
    expect(out).toContain('\ndev, prod, test: The credentials have expired (ExpiredToken: The security token included in the request is expired).\n');
    expect(out).toContain('\n0 of 3 accounts ok.\n');
  });
});

describe('trust-guard doctor options', () => {
  const BOOT = (id: string) => `arn:aws:iam::${id}:role/OrganizationAccountAccessRole`;

  it('--bootstrap ends each chain in the Organizations bootstrap role (no ExternalId), not the deploy role', async () => {
    // Before the access project runs there are no deploy roles: only the bootstrap roles, trusting the hub.
    const roles: Record<string, FakeRole> = { [HUB]: { trusted: [ALICE] }, [BOOT('111111111111')]: { trusted: [HUB] }, [BOOT('333333333333')]: { trusted: [HUB] } };
    const sts = fakeSts({ roles });
    const { code, out, err } = await doctor(['--bootstrap', '--account', 'prod', '--account', 'dev', '--concurrency', '1'], sts);
    expect([code, err]).toEqual([0, '']);
    expect(out.split('\n').slice(3, 5)).toEqual([
      `prod (333333333333)  ${BOOT('333333333333')}  arn:aws:sts::333333333333:assumed-role/OrganizationAccountAccessRole/trustline-bootstrap-prod  ok`,
      `dev (111111111111)   ${BOOT('111111111111')}  arn:aws:sts::111111111111:assumed-role/OrganizationAccountAccessRole/trustline-bootstrap-dev   ok`,
    ]);
    expect(sts.calls.filter((c) => c.operation === 'AssumeRole').map((c) => [c.roleArn, c.sessionName, c.externalId])).toEqual([
      [HUB, 'trustline-hub-prod', undefined],
      [BOOT('333333333333'), 'trustline-bootstrap-prod', undefined],
      [HUB, 'trustline-hub-dev', undefined],
      [BOOT('111111111111'), 'trustline-bootstrap-dev', undefined],
    ]);
    // The same organization fails the default (deploy role) check.
    expect((await doctor(['--account', 'dev'], fakeSts({ roles }))).code).toBe(1);
  });

  it('--bootstrap explains a missing bootstrap role without pointing at the access project', async () => {
    const sts = fakeSts({ errors: { [`AssumeRole ${BOOT('111111111111')}`]: stsError('NoSuchEntity', 'The role with name OrganizationAccountAccessRole cannot be found.', 404) } });
    const { code, out } = await doctor(['--bootstrap', '--account', 'dev'], sts);
    expect(code).toBe(1);
    expect(out).toContain(
      '    Fix: Organizations creates it only in accounts it creates; in an invited account create it by hand (trusting the management account), or correct bootstrapRoleName / the accountId of the "dev" entry of accounts.json.\n',
    );
  });

  it('--account repeats: each named account in the order given, once', async () => {
    const sts = fakeSts();
    const { code, out } = await doctor(['--account', 'test', '--account', 'dev', '--account=test'], sts);
    expect(code).toBe(0);
    expect(out.split('\n').slice(3, 6).map((line) => line.split(' ')[0])).toEqual(['test', 'dev', '']);
    expect(out).toContain('\n2 of 2 accounts ok.\n');
  });

  it.each([
    [['--endpoint', 'notaurl'], {}, 'trust-guard doctor: --endpoint "notaurl" is not a URL (for example http://127.0.0.1:5000).'],
    [['--endpoint=ftp://127.0.0.1:5000'], {}, 'trust-guard doctor: --endpoint "ftp://127.0.0.1:5000" is not a URL (for example http://127.0.0.1:5000).'],
    [[], { AWS_ENDPOINT_URL: 'localhost:5000' }, 'trust-guard doctor: AWS_ENDPOINT_URL "localhost:5000" is not a URL (for example http://127.0.0.1:5000).'],
    [['--bootstrap=yes'], {}, 'trust-guard doctor: option --bootstrap takes no value (got "--bootstrap=yes").'],
  ])('%j %j exits 2 before any AWS call: %s', async (argv, extraEnv, message) => {
    const sts = fakeSts();
    const io = recordingIO({ ...env(), ...extraEnv });
    expect(await doctorCommand(argv, io, { sts: sts.factory })).toBe(2);
    expect([io.out, io.err]).toEqual(['', `${message}\n`]);
    expect(sts.calls).toEqual([]);
  });

  it('accepts an http(s) --endpoint and calls STS there', async () => {
    const sts = fakeSts();
    expect((await doctor(['--account', 'dev', '--endpoint', 'http://127.0.0.1:5000'], sts)).code).toBe(0);
    expect(sts.calls[0]).toEqual({ operation: 'GetCallerIdentity', accessKeyId: BASE_KEY, region: 'eu-west-1', endpoint: 'http://127.0.0.1:5000' });
  });
});

describe('runDoctor with an injected STS', () => {
  it('keeps checking the other accounts when one deploy role is gone, and reports each row', async () => {
    const registry = loadRegistry(TEST_REGISTRY);
    const sts = fakeSts({ roles: (({ [TEST]: _deleted, ...rest }) => rest)(healthyRoles()) });
    const result = await runDoctor({ registry, credentials: { accessKeyId: BASE_KEY, secretAccessKey: 'fake-secret' }, sts: sts.factory });
    expect(result.caller).toEqual({ account: '012345678901', arn: ALICE, userId: 'AIDAFAKE' });
    expect(result.rows.map((r) => [r.account, r.ok, r.assumedIdentity, r.diagnosis?.code])).toEqual([
      ['dev', true, 'arn:aws:sts::111111111111:assumed-role/trustline-deploy/trustline-deploy-dev', undefined],
      ['prod', true, 'arn:aws:sts::333333333333:assumed-role/trustline-deploy/trustline-deploy-prod', undefined],
      ['test', false, undefined, 'access-denied'],
    ]);
    expect(result.rows[2].diagnosis?.problem).toBe(
      `${hubSession('test')} may not assume role ${TEST} (AccessDenied: User: ${hubSession('test')} is not authorized to perform: sts:AssumeRole on resource: ${TEST}).`,
    );
  });

  it('diagnoses a hub role that no longer trusts the caller, pointing at the hub role, not at a registry entry', async () => {
    const registry = loadRegistry(TEST_REGISTRY);
    const sts = fakeSts({ roles: { ...healthyRoles(), [HUB]: { trusted: ['arn:aws:iam::012345678901:user/bob'] } } });
    const result = await runDoctor({ registry, accounts: [registry.accounts[0]], credentials: { accessKeyId: BASE_KEY, secretAccessKey: 'fake-secret' }, sts: sts.factory });
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0].diagnosis).toEqual({
      code: 'access-denied',
      problem: `${ALICE} may not assume role ${HUB} (AccessDenied: User: ${ALICE} is not authorized to perform: sts:AssumeRole on resource: ${HUB}).`,
      fix:
        `Add ${ALICE} to the hub role's trust policy (the identity account's hub role, deployed by the access project), and let ${ALICE} call sts:AssumeRole on ${HUB} in its identity policy. ` +
        'If the role was deleted, AWS answers AccessDenied too: check it exists.',
    });
  });
});

describe('runDoctor with many accounts at once', () => {
  it('gives every account a row when one hangs past --timeout and another is throttled, and the rest are checked', async () => {
    const sts = fakeSts({ errors: { [`AssumeRole ${TEST}`]: Object.assign(stsError('Throttling', 'Rate exceeded', 400)) } });
    // The dev deploy hop never answers: only the per-account deadline ends it.
    const hanging: typeof sts.factory = (config) => {
      const client = sts.factory(config);
      return {
        destroy: () => client.destroy(),
        send: ((command: { input: { RoleArn?: string } }, options?: { abortSignal?: AbortSignal }) =>
          command.input.RoleArn === DEV
            ? new Promise((_, reject) => options?.abortSignal?.addEventListener('abort', () => reject(options.abortSignal?.reason)))
            : client.send(command as never)) as typeof client.send,
      };
    };
    const registry = loadRegistry(TEST_REGISTRY);
    const result = await runDoctor({ registry, credentials: { accessKeyId: BASE_KEY, secretAccessKey: 'x' }, sts: hanging, pool: { concurrency: 3, timeoutMs: 100 } });
    expect(result.rows.map((r) => [r.account, r.ok, r.diagnosis?.code])).toEqual([
      ['dev', false, 'timeout'],
      ['prod', true, undefined],
      ['test', false, 'throttled'],
    ]);
    expect(result.rows[0].diagnosis?.problem).toBe('Checking account "dev" got no answer within the 0.1 s per-account deadline (--timeout); its calls were abandoned.');
  });
});
