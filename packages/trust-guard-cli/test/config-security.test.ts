import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runCli } from '../src/cli/main';
import { recordingIO, TEST_REGISTRY } from './helpers';

const ZONE = `Zone of trust from registry ${TEST_REGISTRY}: accounts 012345678901, 111111111111, 333333333333, 222222222222; organization o-exampleorg01; vendors 999999999999 (example-monitoring-vendor).`;
const ANY = { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' };

/** A temporary folder holding `files` (name -> JSON value), removed after the test. */
function folder(files: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-guard-check-'));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [name, value] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), JSON.stringify(value));
  return dir;
}

async function check(argv: string[], files: Record<string, unknown>) {
  const dir = folder(files);
  const io = recordingIO({ TRUSTLINE_REGISTRY: TEST_REGISTRY }, dir);
  const code = await runCli(['check', ...argv], io);
  return { code, out: io.out, err: io.err, dir };
}

describe('--config cannot switch off or lower the rules that can never be exempted', () => {
  it.each([
    ['trust-any-principal', 'disabled', 'an unbounded "*" principal lets anyone assume the role'],
    ['trust-any-principal', 'advisory', 'an unbounded "*" principal lets anyone assume the role'],
    ['trust-not-principal', 'disabled', 'NotPrincipal with Allow admits everyone except the listed principals'],
  ])('rules.%s "%s" is refused with exit 2, naming the file, field and value', async (id, level, why) => {
    const r = await check(['--config', 'cfg.json', 'open.json'], { 'cfg.json': { rules: { [id]: level } }, 'open.json': { Version: '2012-10-17', Statement: [ANY] } });
    expect([r.code, r.out]).toEqual([2, '']);
    expect(r.err).toBe(
      `trust-guard: cfg.json: rules.${id} "${level}" would lower a rule that is always "mandatory": ${why}, and no setting or exemption may let that through; remove rules.${id} and fix the policy instead.\n`,
    );
  });
});

describe('a lone document is judged as a trust policy when it names a principal anywhere, and malformed Statements never pass', () => {
  it.each([
    ['a statement nested in a list', [[ANY]], 'trust-malformed[Statement::0::Statement]', 'Statement 0 [{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}] is not an object.'],
    ['an empty statement list', [], 'trust-malformed[Statement]', 'The identity policy cannot be validated: Statement is an empty list; add at least one statement.'],
    [
      'an empty statement',
      [{}],
      'trust-malformed[Statement::0]',
      'Statement 0 of the identity policy lacks a valid Effect ("Allow" or "Deny"), an Action or NotAction and a Resource or NotResource; IAM refuses it, so what it grants cannot be judged. Write "Effect", "Action" and "Resource".',
    ],
    ['a statement that is a string', ['Allow everyone'], 'trust-malformed[Statement::0::Statement]', 'The identity policy cannot be validated: Statement 0 "Allow everyone" is not an object.'],
  ])('%s: exit 1 with a mandatory trust-malformed finding', async (_name, statement, key, message) => {
    const r = await check(['--format', 'json', 'doc.json'], { 'doc.json': { Version: '2012-10-17', Statement: statement } });
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.out).files[0].resources[0].findings;
    expect(findings.map((f: { key: string; severity: string; message: string }) => [f.key, f.severity, f.message])).toEqual([[key, 'mandatory', message]]);
  });

  it('the same nested document is found in a preview file and alone alike', async () => {
    const nested = { Version: '2012-10-17', Statement: [[ANY]] };
    const preview = { steps: [{ op: 'create', urn: 'urn:pulumi:dev::dev::aws:iam/role:Role::r', newState: { type: 'aws:iam/role:Role', urn: 'urn:pulumi:dev::dev::aws:iam/role:Role::r', inputs: { assumeRolePolicy: JSON.stringify(nested) } } }] };
    const r = await check(['--format', 'json', 'doc.json', 'preview.json'], { 'doc.json': nested, 'preview.json': preview });
    const keys = JSON.parse(r.out).files.map((f: { resources: { findings: { key: string }[] }[] }) => f.resources[0].findings.map((x) => x.key));
    expect(keys).toEqual([['trust-malformed[Statement::0::Statement]'], ['trust-malformed[Statement::0::Statement]']]);
  });
});

describe('expired exemptions are reported as expired', () => {
  const KEY = 'trust-account-root[Principal::AWS::arn:aws:iam::012345678901:root]';
  const files = {
    'cfg.json': { exemptions: [{ ruleId: 'trust-account-root', findingKey: KEY, reason: 'Break-glass role, reviewed by security.', expires: '2020-06-30' }] },
    'root.json': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::012345678901:root' }, Action: 'sts:AssumeRole' }] },
  };
  const NOTE = `The exemption of ${KEY} ("Break-glass role, reviewed by security.") expired on 2020-06-30; it no longer covers ${KEY}. Fix the finding, or renew the exemption with a new "expires" date.`;

  it('text: under the finding, and counted in the summary line', async () => {
    const r = await check(['--config', 'cfg.json', 'root.json'], files);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').slice(-4)).toEqual([
      `      key: ${KEY}`,
      `      expired exemption: ${NOTE}`,
      'trust-guard passed: 0 mandatory findings, 1 advisory, 0 informational, 0 exempted, 1 expired exemption (1 file, 1 resource, 1 document checked).',
      '',
    ]);
  });

  it('JSON: in expiredExemptions, with the exemption, its expiry and the finding it no longer covers', async () => {
    const r = await check(['--config', 'cfg.json', '--format', 'json', 'root.json'], files);
    const json = JSON.parse(r.out);
    expect(json.expiredExemptions).toEqual([
      {
        file: 'root.json',
        resource: 'root.json',
        key: KEY,
        location: 'document',
        exemption: { ruleId: 'trust-account-root', findingKey: KEY, resource: null, reason: 'Break-glass role, reviewed by security.', expires: '2020-06-30' },
        note: NOTE,
      },
    ]);
    expect(json.summary.expired).toBe(1);
  });
});

describe('the zone of trust is printed, and --config replaces the registry accounts wholesale', () => {
  // {"AWS":"*"} bounded by the sample registry's organization: fine with the registry, broad without it.
  const ORG_BOUND = { Version: '2012-10-17', Statement: [{ ...ANY, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-exampleorg01' } } }] };

  it('from the registry: text header and JSON', async () => {
    const text = await check(['org.json'], { 'org.json': ORG_BOUND });
    expect([text.code, text.out.split('\n')[0]]).toEqual([0, ZONE]);
    const json = JSON.parse((await check(['--format', 'json', 'org.json'], { 'org.json': ORG_BOUND })).out);
    expect(json.zone).toEqual({
      from: { kind: 'registry', file: TEST_REGISTRY },
      trustedAccounts: ['012345678901', '111111111111', '333333333333', '222222222222'],
      organizationId: 'o-exampleorg01',
      externalAccounts: [{ accountId: '999999999999', name: 'example-monitoring-vendor' }],
    });
  });

  it('a --config naming trustedAccounts but not organizationId is judged with no organization, and says so', async () => {
    const r = await check(['--config', 'cfg.json', 'org.json'], { 'cfg.json': { trustedAccounts: ['111111111111'] }, 'org.json': ORG_BOUND });
    expect(r.code).toBe(1);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe("Zone of trust from configuration cfg.json (the registry's accounts are not used): accounts 111111111111; organization none; vendors none.");
    expect(lines).toContain('    MANDATORY trust-any-principal principal AWS::* [document, statement 0]');
    const json = JSON.parse((await check(['--config', 'cfg.json', '--format', 'json', 'org.json'], { 'cfg.json': { trustedAccounts: ['111111111111'] }, 'org.json': ORG_BOUND })).out);
    expect(json.zone).toEqual({ from: { kind: 'config', file: 'cfg.json' }, trustedAccounts: ['111111111111'], organizationId: null, externalAccounts: [] });
  });

  it('a --config naming accounts is refused next to an explicit --registry', async () => {
    const r = await check(['--config', 'cfg.json', '--registry', TEST_REGISTRY, 'org.json'], { 'cfg.json': { trustedAccounts: ['111111111111'] }, 'org.json': ORG_BOUND });
    expect([r.code, r.out]).toEqual([2, '']);
    expect(r.err).toBe(
      `trust-guard: cfg.json sets trustedAccounts, and --registry ${TEST_REGISTRY} was given too; the accounts, organization and vendors come from one place, never merged: drop --registry to judge with the configuration's, or remove trustedAccounts from cfg.json to judge with the registry's.\n`,
    );
  });
});
