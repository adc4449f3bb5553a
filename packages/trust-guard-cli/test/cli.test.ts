import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/main';
import { FIXTURES, recordingIO, TEST_REGISTRY } from './helpers';

const BIN = path.join(__dirname, '..', 'bin', 'trust-guard.js');

/** Runs the real bin as a child process, as `npx trust-guard` would. */
function bin(args: string[], env: NodeJS.ProcessEnv = {}, cwd = FIXTURES): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH, TRUSTLINE_REGISTRY: TEST_REGISTRY, ...env } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The report's first line with the test registry. */
const ZONE = `Zone of trust from registry ${TEST_REGISTRY}: accounts 012345678901, 111111111111, 333333333333, 222222222222; organization o-exampleorg01; vendors 999999999999 (example-monitoring-vendor).`;

const ANY_PRINCIPAL_MESSAGE = 'Principal {"AWS":"*"} lets any AWS account assume this role. Name the role ARNs that need access, or bound it with aws:PrincipalOrgID.';

describe('trust-guard check (the real bin)', () => {
  it('exits 1 on a mandatory finding and prints it grouped by file and resource', async () => {
    const r = await bin(['check', 'preview.json', 'trust-clean.json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        ZONE,
        'preview.json (pulumi-preview):',
        '  aws:iam/role:Role "open-role" (urn:pulumi:dev::dev::aws:iam/role:Role::open-role)',
        '    MANDATORY trust-any-principal principal AWS::* [assumeRolePolicy, statement 0]',
        `      ${ANY_PRINCIPAL_MESSAGE}`,
        '      key: trust-any-principal[Principal::AWS::*]',
        '  aws:iam/role:Role "computed-role" (urn:pulumi:dev::dev::aws:iam/role:Role::computed-role)',
        '    advisory trust-unverifiable-at-preview [assumeRolePolicy]',
        '      The trust policy in assumeRolePolicy of aws:iam/role:Role "computed-role" depends on a value that is not known during preview, so it cannot be verified until update; trust-guard checks it again when pulumi up runs. Build the document from known values (account ids and role names from the registry) to have it checked at preview.',
        '      key: trust-unverifiable-at-preview[assumeRolePolicy]',
        'trust-clean.json (policy-document): 1 resource, no findings',
        'trust-guard FAILED: 1 mandatory finding, 1 advisory, 0 informational, 0 exempted (2 files, 4 resources, 4 documents checked).',
        '',
      ].join('\n'),
    );
  });

  it('exits 0 on clean inputs of every format', async () => {
    const r = await bin(['check', 'trust-clean.json', 'identity-clean.json', 'preview-clean.json', 'stack-export-clean.json', 'authorization-details-clean.json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      ZONE,
      'trust-clean.json (policy-document): 1 resource, no findings',
      'identity-clean.json (policy-document): 1 resource, no findings',
      'preview-clean.json (pulumi-preview): 1 resource, no findings',
      'stack-export-clean.json (pulumi-stack-export): 1 resource, no findings',
      'authorization-details-clean.json (account-authorization-details): 2 resources, no findings',
      'trust-guard passed: 0 mandatory findings, 0 advisory, 0 informational, 0 exempted (5 files, 6 resources, 6 documents checked).',
    ]);
  });

  it('exits 2 naming each file it cannot read or recognise, with the absolute path it tried', async () => {
    const r = await bin(['check', 'not-json.json', 'unrecognised.json', 'missing.json']);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^trust-guard: cannot read not-json\.json \(.+\/test\/fixtures\/not-json\.json\): not valid JSON: line \d+, column \d+: .+\.$/),
      `trust-guard: cannot read unrecognised.json (${FIXTURES}/unrecognised.json): it is JSON but not a policy document, pulumi preview --json, pulumi stack export or get-account-authorization-details output (top-level keys: "name", "version").`,
      `trust-guard: cannot read missing.json (${FIXTURES}/missing.json): no such file.`,
    ]);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('trust-guard could not read 3 files: 0 mandatory findings, 0 advisory, 0 informational, 0 exempted (0 files, 0 resources, 0 documents checked).');
  });

  it('still reports every readable file when another cannot be read, then exits 2 (text)', async () => {
    const r = await bin(['check', 'trust-any-principal.json', 'missing.json', 'trust-clean.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`trust-guard: cannot read missing.json (${FIXTURES}/missing.json): no such file.\n`);
    expect(r.stdout).toContain('trust-any-principal.json (policy-document):\n');
    expect(r.stdout).toContain('    MANDATORY trust-any-principal principal AWS::* [document, statement 0]\n');
    expect(r.stdout.trimEnd().split('\n').slice(-3)).toEqual([
      'trust-clean.json (policy-document): 1 resource, no findings',
      'missing.json: NOT READ (no such file)',
      'trust-guard FAILED and could not read 1 file: 1 mandatory finding, 0 advisory, 0 informational, 0 exempted (2 files, 2 resources, 2 documents checked).',
    ]);
  });

  it('still reports every readable file when another cannot be read, with an "errors" array (JSON)', async () => {
    const r = await bin(['check', '--format', 'json', 'trust-clean.json', 'missing.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`trust-guard: cannot read missing.json (${FIXTURES}/missing.json): no such file.\n`);
    const json = JSON.parse(r.stdout);
    expect(json.files.map((f: any) => [f.file, f.format, f.resources.length])).toEqual([['trust-clean.json', 'policy-document', 1]]);
    expect(json.errors).toEqual([{ file: 'missing.json', problem: 'no such file', code: null, fix: null }]);
    expect(json.summary).toEqual({ files: 1, resources: 1, documents: 1, mandatory: 0, advisory: 0, informational: 0, exempted: 0, expired: 0, errors: 1, passed: false });
  });

  it('resolves relative paths against INIT_CWD, the directory npx was run in, not the package root npx moved to', async () => {
    const packageRoot = path.join(__dirname, '..');
    const r = await bin(['check', 'trust-clean.json', '--config', 'config-exempt.json'], { INIT_CWD: FIXTURES }, packageRoot);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('trust-clean.json (policy-document): 1 resource, no findings\n');
    const missing = await bin(['check', 'missing.json'], { INIT_CWD: FIXTURES }, packageRoot);
    expect([missing.code, missing.stderr]).toEqual([2, `trust-guard: cannot read missing.json (${FIXTURES}/missing.json): no such file.\n`]);
  });

  it('exits 2 with the ConfigError message on a bad --config', async () => {
    const r = await bin(['check', '--config', 'config-bad.json', 'trust-clean.json']);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe('trust-guard: config-bad.json: trustedAccounts[0] "12345" is not a 12-digit AWS account id (keep it a string: "012345678901").\n');
  });

  it('writes the documented JSON schema', async () => {
    const r = await bin(['check', '--format', 'json', 'authorization-details.json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.schemaVersion).toBe(1);
    expect(json.files.map((f: any) => [f.file, f.format])).toEqual([['authorization-details.json', 'account-authorization-details']]);
    expect(json.files[0].resources.map((res: any) => [res.name, res.type, res.findings.map((f: any) => [f.ruleId, f.severity, f.key, f.location, f.statementIndex, f.principal])])).toEqual([
      ['wide-open', 'AWS::IAM::Role', [['trust-any-principal', 'mandatory', 'trust-any-principal[Principal::AWS::*]', 'AssumeRolePolicyDocument', 0, 'AWS::*']]],
      ['trustline-deploy', 'AWS::IAM::Role', []],
      ['deployer', 'AWS::IAM::User', [['identity-assume-any-role', 'advisory', 'identity-assume-any-role[Resource::*]', 'UserPolicyList["assume-anything"]', 0, null]]],
      ['old-broad', 'AWS::IAM::ManagedPolicy', []],
    ]);
    expect(json.files[0].resources[0].findings[0].message).toBe(ANY_PRINCIPAL_MESSAGE);
    expect(json.exempted).toEqual([]);
    expect(json.errors).toEqual([]);
    expect(json.summary).toEqual({ files: 1, resources: 4, documents: 4, mandatory: 1, advisory: 1, informational: 0, exempted: 0, expired: 0, errors: 0, passed: false });
  });

  it('prints usage for --help, and exits 2 without a command', async () => {
    const help = await bin(['--help']);
    expect([help.code, help.stdout.split('\n')[0]]).toEqual([0, 'Usage: trust-guard <command> [options]']);
    const none = await bin([]);
    expect([none.code, none.stdout, none.stderr.split('\n')[0]]).toEqual([2, '', 'Usage: trust-guard <command> [options]']);
  });
});

describe('runCli in-process', () => {
  it('applies exemptions and rule levels from --config', async () => {
    const io = recordingIO();
    expect(await runCli(['check', '--config', 'config-exempt.json', 'identity-assume-any-role.json'], io)).toBe(0);
    expect(io.out).toBe(
      [
        ZONE,
        'identity-assume-any-role.json (policy-document):',
        '  IAM policy document "identity-assume-any-role.json"',
        '    exempted identity-assume-any-role[Resource::*]: Break-glass automation user; reviewed quarterly by security. (until 2099-12-31)',
        'trust-guard passed: 0 mandatory findings, 0 advisory, 0 informational, 1 exempted (1 file, 1 resource, 1 document checked).',
        '',
      ].join('\n'),
    );
  });

  it('config "rules" can make an advisory rule mandatory (exit 1 instead of 0)', async () => {
    const plain = recordingIO();
    expect(await runCli(['check', '--format', 'json', 'trust-account-root.json'], plain)).toBe(0);
    expect(JSON.parse(plain.out).files[0].resources[0].findings.map((f: any) => [f.key, f.severity])).toEqual([
      ['trust-account-root[Principal::AWS::arn:aws:iam::012345678901:root]', 'advisory'],
    ]);
    const strict = recordingIO();
    expect(await runCli(['check', '--config', 'config-exempt.json', '--format', 'json', 'trust-account-root.json'], strict)).toBe(1);
    expect(JSON.parse(strict.out).files[0].resources[0].findings.map((f: any) => [f.key, f.severity])).toEqual([
      ['trust-account-root[Principal::AWS::arn:aws:iam::012345678901:root]', 'mandatory'],
    ]);
  });

  it('--config keys override the registry: a vendor added to trustedAccounts is no longer external', async () => {
    const io = recordingIO();
    const config = path.join(FIXTURES, 'config-trust-vendor.json');
    expect(await runCli(['check', '--config', config, 'stack-export.json'], io)).toBe(0);
    expect(io.out).not.toContain('trust-external-without-external-id');
  });

  it.each([
    [['check'], 'trust-guard check: name at least one FILE to check.'],
    [['check', '--format', 'yaml', 'x.json'], 'trust-guard check: --format "yaml" is not supported; use "text", "json" or "sarif".'],
    [['check', '--verbose', 'x.json'], 'trust-guard check: unknown option "--verbose"; known options: --config, --format, --registry, --help.'],
    [['check', '--config'], 'trust-guard check: option --config needs a value.'],
    [['deploy'], 'trust-guard: unknown command "deploy"; commands are check, paths, doctor, scan and collect.'],
  ])('%j exits 2: %s', async (argv, message) => {
    const io = recordingIO();
    expect(await runCli(argv, io)).toBe(2);
    expect(io.err.split('\n')[0]).toBe(message);
    expect(io.out).toBe('');
  });

  it('exits 2 when the registry cannot be loaded and the config names no trusted accounts', async () => {
    const io = recordingIO({ TRUSTLINE_REGISTRY: path.join(FIXTURES, 'missing-accounts.json') });
    expect(await runCli(['check', '--registry', 'missing-accounts.json', 'trust-clean.json'], io)).toBe(2);
    expect(io.err).toMatch(/^trust-guard: trust-guard needs the account registry to know the trusted accounts, and it could not be loaded: .*missing-accounts\.json/);
  });

  it.each([
    ['check', 'Usage: trust-guard check'],
    ['doctor', 'Usage: trust-guard doctor'],
    ['scan', 'Usage: trust-guard scan --live'],
  ])('%s --help prints its usage', async (command, first) => {
    const io = recordingIO();
    expect(await runCli([command, '--help'], io)).toBe(0);
    expect(io.out.startsWith(first)).toBe(true);
  });
});
