import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import { RULE_IDS, RULES } from '@trustline/trust';
import { stackPolicies } from '@trustline/trust-guard';
import { runCli } from '../src/cli/main';
import { RULE_TABLE_ANCHOR, TRUST_GUARD_DOCS_URL } from '../src/cli/sarif';
import { FIXTURES, recordingIO } from './helpers';

/**
 * The official SARIF 2.1.0 JSON schema, as Microsoft ships it with the SARIF multitool on npm
 * (@microsoft/sarif-multitool-<platform>/sarif-2.1.0.json, the OASIS schema). The multitool's own
 * `validate` is run too, but on its own it misses errors below the top level of the log (it passed a
 * result with "level": "bogus" and no message here), so the schema is also applied with ajv.
 */
const MULTITOOL_DIR = path.dirname(require.resolve(`@microsoft/sarif-multitool-${process.platform}/package.json`));
const SCHEMA = JSON.parse(fs.readFileSync(path.join(MULTITOOL_DIR, 'sarif-2.1.0.json'), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(SCHEMA);
const schemaErrors = (log: unknown) => (validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

/** The repository root: TRUST_GUARD_DOCS_URL names a file under it (after `/blob/<branch>/`). */
const REPO_ROOT = path.resolve(__dirname, '../../..');

/** GitHub's heading anchor: lower case, punctuation other than "-" and "_" dropped, spaces to "-". */
const githubSlug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

/**
 * The README the SARIF links point at, and the rule table under the heading of RULE_TABLE_ANCHOR: the first
 * column's ids, in order, up to the end of the table.
 */
function readmeRuleTable(): { headings: string[]; ids: string[] } {
  const match = /^https:\/\/github\.com\/[^/]+\/[^/]+\/blob\/[^/]+\/(.+)$/.exec(TRUST_GUARD_DOCS_URL);
  if (!match) throw new Error(`TRUST_GUARD_DOCS_URL "${TRUST_GUARD_DOCS_URL}" is not a GitHub blob URL.`);
  const lines = fs.readFileSync(path.join(REPO_ROOT, match[1]), 'utf8').split('\n');
  const headings = lines.filter((l) => /^#{1,6} /.test(l)).map((l) => githubSlug(l.replace(/^#+ /, '')));
  const at = lines.findIndex((l) => /^#{1,6} /.test(l) && githubSlug(l.replace(/^#+ /, '')) === RULE_TABLE_ANCHOR);
  const ids: string[] = [];
  if (at >= 0) {
    const start = lines.findIndex((l, i) => i > at && l.startsWith('|'));
    for (let i = start + 2; start > 0 && i < lines.length && lines[i].startsWith('|'); i++) {
      const id = /^\| `([a-z-]+)`/.exec(lines[i]);
      if (id) ids.push(id[1]);
    }
  }
  return { headings, ids };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-guard-sarif-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function sarif(args: string[]): Promise<{ code: number; log: any; err: string }> {
  const io = recordingIO(undefined, FIXTURES);
  const code = await runCli(['check', '--format', 'sarif', ...args], io);
  return { code, log: JSON.parse(io.out), err: io.err };
}

const located = (r: any) => {
  const p = r.locations[0].physicalLocation;
  return [r.ruleId, r.level, p?.artifactLocation.uri, p?.region?.startLine, p?.region?.startColumn];
};

describe('trust-guard check --format sarif', () => {
  it('validates against the official SARIF 2.1.0 schema, and the validator can fail', async () => {
    const { log } = await sarif(['--config', 'config-exempt.json', 'preview.json', 'trust-any-principal.json', 'authorization-details.json', 'identity-assume-any-role.json', 'not-json.json']);
    expect(schemaErrors(log)).toEqual([]);
    const broken = structuredClone(log);
    broken.runs[0].results[0].level = 'severe';
    delete broken.runs[0].results[1].message;
    expect(schemaErrors(broken)).toEqual(['/runs/0/results/0/level must be equal to one of the allowed values', "/runs/0/results/1 must have required property 'message'"]);
  });

  it('passes the SARIF multitool validator (sarif-multitool validate, offline)', async () => {
    const { log } = await sarif(['--config', 'config-exempt.json', 'preview.json', 'trust-any-principal.json', 'stack-export.json', 'identity-assume-any-role.json', 'not-json.json']);
    const input = path.join(tmp, 'check.sarif');
    const output = path.join(tmp, 'validation.sarif');
    fs.writeFileSync(input, JSON.stringify(log));
    fs.writeFileSync(path.join(tmp, 'broken.sarif'), '{"version": "2.1.0", "runs": "none"}');
    execFileSync(path.join(MULTITOOL_DIR, 'Sarif.Multitool'), ['validate', input, path.join(tmp, 'broken.sarif'), '--json-schema', path.join(MULTITOOL_DIR, 'sarif-2.1.0.json'), '--output', output, '--log', 'ForceOverwrite'], {
      stdio: 'pipe',
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
    });
    const found = JSON.parse(fs.readFileSync(output, 'utf8')).runs[0].results.map((r: any) => [path.basename(r.locations[0].physicalLocation.artifactLocation.uri), r.ruleId, r.level ?? 'warning', r.message.id]);
    // The broken control file shows the validator ran and reports; ours has no error and no warning
    // (tool.driver.informationUri and each rule's helpUri point at the README, issue 21).
    expect(found).toEqual([['broken.sarif', 'JSON1001', 'error', 'default']]);
  }, 120_000);

  it('has one run whose rules are the whole rule table: the trust rules, then the provider and stack policies', async () => {
    const { log } = await sarif(['trust-clean.json']);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const rules = log.runs[0].tool.driver.rules;
    expect(rules.map((r: any) => r.id)).toEqual([
      ...RULE_IDS,
      'provider-account',
      'provider-unverifiable-at-preview',
      'stack-provider-per-account',
      'stack-allowed-account-ids',
      'stack-chained-session-duration',
    ]);
    // The same ids, in the same order, as the rule table of the README the helpUri points at.
    expect(rules.map((r: any) => r.id)).toEqual(readmeRuleTable().ids);
    for (const r of rules) expect(r.helpUri).toBe(`${TRUST_GUARD_DOCS_URL}#${RULE_TABLE_ANCHOR}`);
    expect(log.runs[0].tool.driver.informationUri).toBe(TRUST_GUARD_DOCS_URL);
    const stray = rules.find((r: any) => r.id === 'stack-provider-per-account');
    expect(stray).toMatchObject({ defaultConfiguration: { level: 'error' }, fullDescription: { text: stackPolicies.find((p) => p.name === 'stack-provider-per-account')?.description } });
    expect(stray.help.text).toContain(`Fix: ${stackPolicies.find((p) => p.name === 'stack-provider-per-account')?.remediationSteps}`);
    expect(rules.find((r: any) => r.id === 'provider-unverifiable-at-preview').defaultConfiguration).toEqual({ level: 'warning' });
    const notPrincipal = rules.find((r: any) => r.id === 'trust-not-principal');
    expect(notPrincipal).toMatchObject({
      name: 'TrustNotPrincipal',
      shortDescription: { text: 'NotPrincipal with Allow.' },
      fullDescription: { text: RULES['trust-not-principal'].description },
      defaultConfiguration: { level: 'error' },
    });
    expect(notPrincipal.help.text).toBe(
      `${RULES['trust-not-principal'].description} Default enforcement: mandatory. Fix: ${RULES['trust-not-principal'].fix} Each result's message names the principal and the fix. No exemption can silence this rule.`,
    );
    expect(rules.find((r: any) => r.id === 'trust-account-root').defaultConfiguration).toEqual({ level: 'warning' });
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].invocations).toEqual([{ executionSuccessful: true, toolExecutionNotifications: [] }]);
  });

  it('gives one result per finding with level, stable fingerprint and the line and column of the principal', async () => {
    const { code, log } = await sarif(['preview.json', 'trust-any-principal.json', 'stack-export.json']);
    expect(code).toBe(1);
    const results = log.runs[0].results;
    // preview.json holds the policy as a JSON string: the column is that of \"*\" inside the string, escapes counted.
    const previewLine = fs.readFileSync(path.join(FIXTURES, 'preview.json'), 'utf8').split('\n')[19];
    expect(previewLine.indexOf('\\"*\\"') + 1).toBe(120);
    expect(results.map(located)).toEqual([
      ['trust-any-principal', 'error', 'preview.json', 20, 120],
      ['trust-unverifiable-at-preview', 'warning', 'preview.json', 31, 41],
      ['trust-any-principal', 'error', 'trust-any-principal.json', 6, 29],
      ['trust-external-without-external-id', 'error', 'stack-export.json', 12, expect.any(Number)],
      ['identity-assume-any-role', 'warning', 'stack-export.json', 14, expect.any(Number)],
    ]);
    const [first] = results;
    expect(first.message.text).toBe('Principal {"AWS":"*"} lets any AWS account assume this role. Name the role ARNs that need access, or bound it with aws:PrincipalOrgID.');
    expect(first.partialFingerprints).toEqual({
      'findingKey/v1': 'trust-any-principal[Principal::AWS::*]',
      'resourceFindingKey/v1': 'urn:pulumi:dev::dev::aws:iam/role:Role::open-role|assumeRolePolicy|trust-any-principal[Principal::AWS::*]',
    });
    expect(first.locations[0].logicalLocations).toEqual([{ name: 'open-role', fullyQualifiedName: 'urn:pulumi:dev::dev::aws:iam/role:Role::open-role#assumeRolePolicy', kind: 'resource' }]);
    expect(log.runs[0].originalUriBaseIds['%SRCROOT%'].uri).toBe(`file://${FIXTURES}/`);
    expect(log.runs[0].tool.driver.rules[first.ruleIndex].id).toBe(first.ruleId);
  });

  it('points a principal inside a list at its own line', async () => {
    const file = path.join(tmp, 'list.json');
    fs.writeFileSync(file, '{\n "Version": "2012-10-17",\n "Statement": {\n  "Effect": "Allow",\n  "Action": "sts:AssumeRole",\n  "Principal": {"AWS": [\n   "arn:aws:iam::012345678901:role/trustline-hub",\n   "arn:aws:iam::*:role/deploy"\n  ]}\n }\n}\n');
    const { log } = await sarif([file]);
    expect(log.runs[0].results.map((r: any) => [r.ruleId, r.locations[0].physicalLocation.region])).toEqual([['trust-any-principal', { startLine: 8, startColumn: 4 }]]);
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: `file://${file}` });
  });

  it('reports exempted findings with a suppression carrying the reason', async () => {
    const { code, log } = await sarif(['--config', 'config-exempt.json', 'identity-assume-any-role.json']);
    expect(code).toBe(0);
    expect(log.runs[0].results.map((r: any) => [r.ruleId, r.level, r.suppressions])).toEqual([
      ['identity-assume-any-role', 'warning', [{ kind: 'external', status: 'accepted', justification: 'Break-glass automation user; reviewed quarterly by security.', properties: { expires: '2099-12-31' } }]],
    ]);
    expect(log.runs[0].results[0].locations[0].physicalLocation.region).toEqual({ startLine: 4, startColumn: 5 });
  });

  it('lists unreadable files as tool execution notifications with their line and column, and still reports the rest', async () => {
    const { code, log, err } = await sarif(['not-json.json', 'trust-any-principal.json', 'missing.json']);
    expect(code).toBe(2);
    expect(err).toContain('trust-guard: cannot read missing.json');
    expect(log.runs[0].results.map(located)).toEqual([['trust-any-principal', 'error', 'trust-any-principal.json', 6, 29]]);
    expect(log.runs[0].invocations).toEqual([
      {
        executionSuccessful: false,
        toolExecutionNotifications: [
          {
            level: 'error',
            descriptor: { id: 'unreadable-input' },
            message: { text: 'cannot read not-json.json: not valid JSON: line 2, column 1: expected a value (an object, list, string, number, true, false or null), found the end of the file.' },
            locations: [{ physicalLocation: { artifactLocation: { uri: 'not-json.json', uriBaseId: '%SRCROOT%' }, region: { startLine: 2, startColumn: 1 } } }],
          },
          {
            level: 'error',
            descriptor: { id: 'unreadable-input' },
            message: { text: 'cannot read missing.json: no such file.' },
            locations: [{ physicalLocation: { artifactLocation: { uri: 'missing.json', uriBaseId: '%SRCROOT%' } } }],
          },
        ],
      },
    ]);
  });
});

describe('the SARIF rule links', () => {
  it('point at a heading of the README in this repository, and the heading check can fail', () => {
    const { headings } = readmeRuleTable();
    expect(headings).toContain(RULE_TABLE_ANCHOR);
    expect(headings).not.toContain('rule-table');
    expect(githubSlug('Rules')).toBe('rules');
    expect(githubSlug('SARIF output (`--format sarif`)')).toBe('sarif-output---format-sarif');
  });
});
