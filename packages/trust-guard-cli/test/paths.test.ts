import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import { PATH_RULE_IDS } from '@trustline/paths';
import { runCli } from '../src/cli/main';
import { recordingIO } from './helpers';

/** The example snapshot shipped in the repository (organization.json, one GAAD file per account, its own accounts.json). */
const EXAMPLE = path.resolve(__dirname, '../../../examples/org-snapshot');
const ROOT = path.resolve(EXAMPLE, '../..');
const arn = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
const IDN = '012345678901';
const DEV = '111111111111';
const TEST = '222222222222';
const PROD = '333333333333';
const SBX = '444444444444';
const HUB = arn(IDN, 'trustline-hub');
const CI = arn(IDN, 'ci/github-actions-deploy');
const PROD_DEPLOY = arn(PROD, 'trustline-deploy');
const SIX_HOPS = [arn(DEV, 'ci-runner'), arn(TEST, 'build-relay'), arn(SBX, 'sandbox-relay'), arn(DEV, 'dev-relay'), arn(PROD, 'release-relay'), arn(PROD, 'break-glass-admin')];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-guard-paths-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// No TRUSTLINE_REGISTRY: the registry must come from the snapshot folder's accounts.json.
async function paths(args: string[], cwd = ROOT): Promise<{ code: number; out: string; err: string }> {
  const io = recordingIO({}, cwd);
  const code = await runCli(['paths', ...args], io);
  return { code, out: io.out, err: io.err };
}
async function pathsJson(args: string[], cwd = ROOT) {
  const r = await paths([...args, '--format', 'json'], cwd);
  return { ...r, json: JSON.parse(r.out) };
}
type JsonPath = { from: { kind: string; id: string }; hops: string[]; verdict: string; guards: { hop: number; key: string }[] };
const hopLists = (json: any, target?: string): string[][] =>
  (json.targets as { target: string; paths: JsonPath[] }[]).filter((t) => target === undefined || t.target === target).flatMap((t) => t.paths.map((p) => p.hops));

/** A copy of the example with one edit: the one fact a decoy differs in, undone. */
let copies = 0;
function editedCopy(edit: (files: Map<string, any>) => void, drop: string[] = []): string {
  const dir = path.join(tmp, `copy-${++copies}`);
  fs.mkdirSync(dir);
  const files = new Map<string, any>();
  for (const f of fs.readdirSync(EXAMPLE)) if (!drop.includes(f)) files.set(f, JSON.parse(fs.readFileSync(path.join(EXAMPLE, f), 'utf8')));
  edit(files);
  for (const [f, v] of files) fs.writeFileSync(path.join(dir, f), JSON.stringify(v, null, 2));
  return dir;
}
const roleIn = (gaad: any, name: string) => (Array.isArray(gaad) ? gaad.flatMap((p: any) => p.RoleDetailList) : gaad.RoleDetailList).find((r: any) => r.RoleName === name);

describe('trust-guard paths on the example snapshot', () => {
  it('finds the planted paths into prod, by hop list, and exits 1 on the mandatory findings', async () => {
    const { code, json, err } = await pathsJson(['examples/org-snapshot']);
    expect(err).toBe('');
    expect(code).toBe(1);
    expect(json.schemaVersion).toBe(1);
    const prod = json.targets.find((t: any) => t.target === PROD_DEPLOY);
    expect(prod.why).toBe('deploy role of account prod; allows *');
    // Any EC2 instance in dev takes AdministratorAccess in prod through the hub.
    expect(prod.paths).toContainEqual(expect.objectContaining({ from: { kind: 'service', id: 'ec2.amazonaws.com' }, hops: [arn(DEV, 'workload-ec2'), HUB, PROD_DEPLOY], verdict: 'always', guards: [] }));
    // The declared chain: GitHub OIDC (subject pinned) -> CI role -> hub -> deploy role.
    const ci = prod.paths.find((p: JsonPath) => p.from.kind === 'federated');
    expect(ci).toMatchObject({ hops: [CI, HUB, PROD_DEPLOY], verdict: 'conditional' });
    expect(ci.guards.map((g: any) => g.key).sort()).toEqual(['token.actions.githubusercontent.com:aud', 'token.actions.githubusercontent.com:sub']);
    // The six-hop chain from a dev role with NotAction iam:* through test, sandbox and dev again into prod.
    expect(hopLists(json, arn(PROD, 'break-glass-admin'))).toEqual([SIX_HOPS]);
  });

  it('reports the findings the story calls for, each by its key', async () => {
    const { json } = await pathsJson(['examples/org-snapshot']);
    expect(json.findings.map((f: any) => [f.severity, f.key])).toEqual([
      ['mandatory', `path-cross-environment[${arn(DEV, 'ci-runner')}->${arn(PROD, 'break-glass-admin')}]`],
      ['mandatory', `path-cross-environment[${arn(DEV, 'workload-ec2')}->${PROD_DEPLOY}]`],
      ['mandatory', `path-cross-environment[${arn(DEV, 'workload-ec2')}->${arn(SBX, 'trustline-deploy')}]`],
      ['mandatory', `path-cross-environment[${arn(DEV, 'workload-ec2')}->${arn('555555555555', 'trustline-deploy')}]`],
      ['mandatory', `path-undeclared[${arn(TEST, 'test-ops')}->${arn(TEST, 'trustline-deploy')}]`],
      ['advisory', `path-declared-dead[${arn(IDN, 'legacy-deployer')}->${arn(TEST, 'trustline-deploy')}]`],
      ['advisory', `path-cycle[${arn(TEST, 'build-relay')},${arn(SBX, 'sandbox-relay')}]`],
      ['advisory', `path-long-chain[service:ec2.amazonaws.com->${arn(PROD, 'break-glass-admin')}]`],
    ]);
    expect(json.findings[1].message).toContain(`${arn(DEV, 'workload-ec2')} (environment dev) reaches ${PROD_DEPLOY} (environment prod; deploy role of account prod; allows *) in 3 hops, with no condition to meet.`);
  });

  it('no decoy reaches anything: every simple path into the hub, by hop list, is the workload and the CI role', async () => {
    const { json } = await pathsJson(['examples/org-snapshot', '--to', HUB, '--all']);
    expect(hopLists(json).sort()).toEqual([
      [CI, HUB],
      [arn(DEV, 'workload-ec2'), HUB],
    ]);
  });

  it('no decoy reaches a privileged role, over every simple path: no hop list holds a decoy, the vendor and the RCP-guarded admin have none', async () => {
    const { json } = await pathsJson(['examples/org-snapshot', '--all']);
    const decoys = ['report-reader', 'deny-runner', 'bounded-runner', 'legacy-runner', 'sandbox-poker', 'quarantined-runner'];
    for (const hops of hopLists(json)) for (const d of decoys) expect(hops.some((h) => h.endsWith(`:role/${d}`)), `${hops.join(' -> ')} passes the decoy ${d}`).toBe(false);
    expect(hopLists(json, arn(PROD, 'vendor-monitoring'))).toEqual([]);
    expect(hopLists(json, arn(SBX, 'sandbox-admin'))).toEqual([]);
    expect(json.targets.flatMap((t: any) => t.paths).filter((p: JsonPath) => p.from.kind === 'account')).toEqual([]);
  });

  // Each decoy differs from a real hop in one fact: undo it in a copy, and its path appears.
  const controls: { decoy: string; undo: (files: Map<string, any>) => void; to: string; hops: string[] }[] = [
    { decoy: 'no identity allow', undo: (f) => (roleIn(f.get(`${DEV}.json`), 'report-reader').RolePolicyList = [{ PolicyName: 'hub', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: HUB }] } }]), to: HUB, hops: [arn(DEV, 'report-reader'), HUB] },
    { decoy: 'explicit Deny', undo: (f) => (roleIn(f.get(`${DEV}.json`), 'deny-runner').RolePolicyList.length = 1), to: HUB, hops: [arn(DEV, 'deny-runner'), HUB] },
    { decoy: 'boundary without sts:*', undo: (f) => delete roleIn(f.get(`${DEV}.json`), 'bounded-runner').PermissionsBoundary, to: HUB, hops: [arn(DEV, 'bounded-runner'), HUB] },
    { decoy: "SCP on the caller's OU", undo: (f) => (f.get('organization.json').policies = f.get('organization.json').policies.filter((p: any) => p.name !== 'quarantine-deny-all')), to: HUB, hops: [arn('555555555555', 'quarantined-runner'), HUB] },
    { decoy: "RCP on the target's OU", undo: (f) => (f.get('organization.json').policies = f.get('organization.json').policies.filter((p: any) => p.name !== 'sandbox-from-test-only')), to: arn(SBX, 'sandbox-admin'), hops: [arn(DEV, 'sandbox-poker'), arn(SBX, 'sandbox-admin')] },
    {
      decoy: 'aws:PrincipalOrgID of another organization',
      undo: (f) => {
        const hub = roleIn(f.get(`${IDN}.json`), 'trustline-hub');
        hub.AssumeRolePolicyDocument.Statement[2].Condition.StringEquals['aws:PrincipalOrgID'] = 'o-exampleorg01';
      },
      to: HUB,
      hops: [arn(DEV, 'legacy-runner'), HUB],
    },
    { decoy: 'vendor trust the prod RCP blocks', undo: (f) => (f.get('organization.json').policies = f.get('organization.json').policies.filter((p: any) => p.name !== 'prod-org-only')), to: arn(PROD, 'vendor-monitoring'), hops: [arn(PROD, 'vendor-monitoring')] },
  ];
  it.each(controls)('control for the decoy "$decoy": with that one fact undone, its path appears', async ({ undo, to, hops }) => {
    const dir = editedCopy(undo);
    const before = await pathsJson(['examples/org-snapshot', '--to', to, '--all']);
    const after = await pathsJson([dir, '--to', to, '--all']);
    expect(hopLists(before.json)).not.toContainEqual(hops);
    expect(hopLists(after.json)).toContainEqual(hops);
  });

  it('the same snapshot given file by file (and a loose trust policy document) reads as the folder does', async () => {
    const folder = await pathsJson(['examples/org-snapshot', '--all']);
    const files = fs.readdirSync(EXAMPLE).filter((f) => f !== 'accounts.json').map((f) => `examples/org-snapshot/${f}`);
    const loose = path.join(tmp, 'vendor-trust.json');
    fs.writeFileSync(loose, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: arn(DEV, 'ci-runner') }, Action: 'sts:AssumeRole' }] }));
    const byFile = await pathsJson([...files, loose, '--registry', 'examples/org-snapshot/accounts.json', '--all']);
    expect(byFile.json.targets).toEqual(folder.json.targets);
    const asked = await pathsJson([...files, loose, '--registry', 'examples/org-snapshot/accounts.json', '--to', 'arn:aws:iam::000000000000:role/vendor-trust']);
    // ci-runner may assume any role (NotAction iam:*); the hub only trustline-deploy roles, so it is no way in.
    expect(hopLists(asked.json)).toEqual([[arn(DEV, 'ci-runner'), 'arn:aws:iam::000000000000:role/vendor-trust']]);
    expect(asked.code).toBe(0); // an asked-for role of no environment: only the advisory findings of the organization
  });

  it('--from: what one principal can reach, by hop list (the dev workload reaches every deploy role but its own through the hub)', async () => {
    const { json } = await pathsJson(['examples/org-snapshot', '--from', arn(DEV, 'workload-ec2')]);
    const reached = json.targets.flatMap((t: any) => t.paths.map((p: JsonPath) => [p.from.id, ...p.hops]));
    expect(reached).toEqual(['111111111111', '222222222222', PROD, SBX, '555555555555'].map((a) => [arn(DEV, 'workload-ec2'), HUB, arn(a, 'trustline-deploy')]));
  });

  it('the vendor, once the RCP is gone, is an entry outside the zone of trust: path-outside-to-privileged', async () => {
    const dir = editedCopy((f) => (f.get('organization.json').policies = f.get('organization.json').policies.filter((p: any) => p.name !== 'prod-org-only')));
    const { json, code } = await pathsJson([dir, '--to', 'prod']);
    expect(code).toBe(1);
    expect(json.findings.map((f: any) => f.key)).toContain(`path-outside-to-privileged[account:999999999999->${arn(PROD, 'vendor-monitoring')}]`);
  });
});

describe('what trust-guard check says about the same files (the README claim)', () => {
  it('its one mandatory finding is the vendor trust the RCP already blocks; the dev-to-prod path is not mentioned', async () => {
    const files = fs.readdirSync(EXAMPLE).filter((f) => /^\d{12}\.json$/.test(f) && f !== `${TEST}.json`); // check reads one GAAD page per file
    const io = recordingIO({}, ROOT);
    const code = await runCli(['check', '--format', 'json', '--registry', 'examples/org-snapshot/accounts.json', ...files.map((f) => `examples/org-snapshot/${f}`)], io);
    expect(code).toBe(1);
    const findings = JSON.parse(io.out).files.flatMap((f: any) => f.resources.flatMap((r: any) => r.findings.map((x: any) => ({ ...x, resource: r.urn }))));
    expect(findings.filter((f: any) => f.severity === 'mandatory').map((f: any) => [f.ruleId, f.resource])).toEqual([['trust-external-without-external-id', arn(PROD, 'vendor-monitoring')]]);
  });
});

describe('trust-guard paths: bad input', () => {
  it('a missing account file: exit 2, reported with the file, and the paths through it are "unknown", not dropped', async () => {
    const dir = editedCopy(() => undefined, [`${SBX}.json`]);
    const { code, json, err } = await pathsJson([dir, '--to', arn(PROD, 'break-glass-admin')]);
    expect(code).toBe(2);
    expect(json.problems).toEqual([
      expect.objectContaining({ file: path.join(dir, 'organization.json').replace(`${ROOT}${path.sep}`, ''), accountId: SBX, message: expect.stringMatching(/^account 444444444444 \(sandbox\) is in the organization but its IAM is missing \(no 444444444444\.json in the snapshot\)/) }),
    ]);
    expect(err).toMatch(/account 444444444444 \(sandbox\) is in the organization but its IAM is missing/);
    const paths = json.targets[0].paths as JsonPath[];
    expect(paths.length).toBeGreaterThan(0);
    for (const p of paths) expect(p.verdict).toBe('unknown');
  });

  it('a truncated GAAD and a document that does not parse: one problem each, with file, line and column, exit 2', async () => {
    const dir = editedCopy((f) => {
      const test = f.get(`${TEST}.json`);
      test[1].IsTruncated = true;
      test[1].Marker = 'page-3';
      roleIn(f.get(`${DEV}.json`), 'workload-ec2').AssumeRolePolicyDocument = '%7B%22Version%22';
    });
    const { code, out } = await paths([dir]);
    expect(code).toBe(2);
    const problems = out.slice(out.indexOf('Input problems:'), out.indexOf('\ntrust-guard paths')).trim().split('\n').slice(1);
    expect(problems).toEqual([
      expect.stringMatching(/111111111111\.json:\d+:\d+: the trust policy of role "workload-ec2" does not parse at line 1, column 11 of the URL-decoded document/),
      expect.stringMatching(/222222222222\.json:\d+:\d+: the IAM of account 222222222222 is truncated: the last page says "IsTruncated": true \(marker "page-3"\)/),
    ]);
  });

  it('an organization.json that does not keep its contract: reported at its position, and the header says no SCP or RCP was applied', async () => {
    const dir = editedCopy((f) => (f.get('organization.json').policies[1].type = 'TAG_POLICY'));
    const { code, out } = await paths([dir, '--to', 'prod']);
    expect(code).toBe(2);
    expect(out.split('\n')[0]).toMatch(/^Snapshot: organization NOT READ \(no SCP or RCP is applied, so more paths may show than exist; see the input problems\)/);
    expect(out).toMatch(/organization\.json:\d+:\d+: policies\[1\]\.type "TAG_POLICY" is not a policy type the path engine reads/);
  });

  it('Pulumi output and a snapshot folder together: exit 2, saying which is which and to give one kind', async () => {
    const preview = path.join(tmp, 'preview.json');
    fs.writeFileSync(preview, JSON.stringify({ steps: [] }));
    const { code, err } = await paths(['examples/org-snapshot', preview]);
    expect(code).toBe(2);
    expect(err).toContain(`${preview} is Pulumi output (the code's resources) and examples/org-snapshot/organization.json, examples/org-snapshot/012345678901.json, examples/org-snapshot/111111111111.json, ... are not; give either Pulumi previews or stack exports (one per stack), or an organization snapshot`);
  });

  it.each([
    [['examples/org-snapshot', '--to', 'staging'], /--to "staging" is neither a role ARN nor an account of the registry; the account keys are dev, prod, quarantine, sandbox, test\./],
    [['examples/org-snapshot', '--to', arn(PROD, 'nope')], /--to arn:aws:iam::333333333333:role\/nope names no role of the snapshot/],
    [['examples/org-snapshot', '--max-hops', '0'], /--max-hops "0" must be a whole number of hops from 1 to 64\./],
    [['examples/org-snapshot', '--from', 'nobody'], /--from "nobody" is not a role or user ARN/],
    [['examples/org-snapshot', '--format', 'dot'], /--format "dot" is not supported; use "text", "json", "sarif" or "mermaid"\./],
    [['no-such-folder', '--registry', 'examples/org-snapshot/accounts.json'], /no-such-folder: cannot read no-such-folder: no such file or folder\./],
  ])('usage %j: exit 2 with a sentence', async (args, message) => {
    const { code, err, out } = await paths(args);
    expect(code).toBe(2);
    expect(err + out).toMatch(message);
  });
});

describe('trust-guard paths: exemptions, formats', () => {
  it('an exemption in the config\'s "paths" section silences one finding by key; an expired one is reported', async () => {
    const config = path.join(tmp, 'paths-config.json');
    const key = `path-undeclared[${arn(TEST, 'test-ops')}->${arn(TEST, 'trustline-deploy')}]`;
    const cycle = `path-cycle[${arn(TEST, 'build-relay')},${arn(SBX, 'sandbox-relay')}]`;
    fs.writeFileSync(config, JSON.stringify({ paths: { exemptions: [{ ruleId: 'path-undeclared', findingKey: key, reason: 'Ops break-glass until the hub covers test.', expires: '2999-01-01' }, { ruleId: 'path-cycle', findingKey: cycle, reason: 'Relay pair kept for the migration.', expires: '2020-01-01' }] } }));
    const { json } = await pathsJson(['examples/org-snapshot', '--config', config]);
    expect(json.exempted.map((e: any) => [e.key, e.reason])).toEqual([[key, 'Ops break-glass until the hub covers test.']]);
    expect(json.findings.map((f: any) => f.key)).not.toContain(key);
    expect(json.expiredExemptions.map((e: any) => e.key)).toEqual([cycle]);
  });

  it('a bad "paths" section is refused with its field named', async () => {
    const config = path.join(tmp, 'bad-paths-config.json');
    fs.writeFileSync(config, JSON.stringify({ paths: { rules: { 'path-cycles': 'disabled' }, exemptions: [{ ruleId: 'path-cycle', findingKey: 'path-undeclared[x]', reason: 'too short' }] } }));
    const { code, err } = await paths(['examples/org-snapshot', '--config', config]);
    expect(code).toBe(2);
    expect(err).toContain('paths.rules.path-cycles is not a path rule id');
    expect(err).toContain('paths.exemptions[0].reason "too short" must be at least 10 characters');
    expect(err).toContain('paths.exemptions[0].findingKey "path-undeclared[x]" belongs to another rule; it must start with "path-cycle[".');
  });

  it('mermaid: a flowchart with stable node ids, one box per account, guard keys on edges, targets marked', async () => {
    const a = await paths(['examples/org-snapshot', '--to', 'prod', '--format', 'mermaid']);
    const b = await paths(['examples/org-snapshot', '--to', 'prod', '--format', 'mermaid']);
    expect(a.out).toBe(b.out);
    expect(a.out.split('\n')[0]).toBe('flowchart LR');
    expect(a.out).toContain('subgraph a333333333333["prod (333333333333)"]');
    expect(a.out).toMatch(/n\d+ -->\|"token\.actions\.githubusercontent\.com:aud, token\.actions\.githubusercontent\.com:sub"\| n\d+/);
    expect(a.out).toMatch(/classDef target/);
  });

  it('sarif: valid SARIF 2.1.0 whose rules are the path rules, one result per finding with its key', async () => {
    const { out, code } = await paths(['examples/org-snapshot', '--format', 'sarif']);
    expect(code).toBe(1);
    const log = JSON.parse(out);
    const multitool = path.dirname(require.resolve(`@microsoft/sarif-multitool-${process.platform}/package.json`));
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(multitool, 'sarif-2.1.0.json'), 'utf8')));
    expect(validate(log) ? [] : validate.errors).toEqual([]);
    expect(log.runs[0].tool.driver.rules.map((r: any) => r.id)).toEqual([...PATH_RULE_IDS]);
    const results = log.runs[0].results;
    expect(results.map((r: any) => r.partialFingerprints['findingKey/v1'])).toContain(`path-cross-environment[${arn(DEV, 'workload-ec2')}->${PROD_DEPLOY}]`);
    const located = results.find((r: any) => r.ruleId === 'path-cross-environment').locations[0].physicalLocation;
    expect(located.artifactLocation).toEqual({ uri: 'examples/org-snapshot/333333333333.json', uriBaseId: '%SRCROOT%' });
    // The region is the target role's entry in RoleDetailList: its line holds the opening brace, the next its "Path".
    const lines = fs.readFileSync(path.join(EXAMPLE, '333333333333.json'), 'utf8').split('\n');
    expect(lines[located.region.startLine - 1].slice(located.region.startColumn - 1)).toBe('{');
    expect(lines.slice(located.region.startLine, located.region.startLine + 4).join('\n')).toContain('"RoleName": "break-glass-admin"');
  });
});

describe('trust-guard paths --declared: declared vs the snapshot, both ways', () => {
  const EXT = 'trustline-prod-7f3a';
  const declareExternalId = (f: Map<string, any>) => (f.get('accounts.json').accounts.find((a: any) => a.key === 'prod').externalId = EXT);
  const requireExternalId = (f: Map<string, any>) => (roleIn(f.get(`${PROD}.json`), 'trustline-deploy').AssumeRolePolicyDocument.Statement[0].Condition = { StringEquals: { 'sts:ExternalId': EXT } });
  const declaredKeys = async (dir: string) => {
    const r = await pathsJson([dir, '--declared']);
    expect(r.err).toBe('');
    return { ...r, keys: (r.json.findings as { key: string }[]).map((f) => f.key) };
  };

  it('on the example: only the deploy roles and the drift rules (the undeclared test-ops edge, the dead legacy-deployer)', async () => {
    const { json, keys, code } = await declaredKeys(EXAMPLE);
    expect(code).toBe(1);
    expect(json.targets.map((t: any) => t.target).sort()).toEqual([DEV, TEST, PROD, SBX, '555555555555'].map((a) => arn(a, 'trustline-deploy')).sort());
    expect(keys).toEqual([`path-undeclared[${arn(TEST, 'test-ops')}->${arn(TEST, 'trustline-deploy')}]`, `path-declared-dead[${arn(IDN, 'legacy-deployer')}->${arn(TEST, 'trustline-deploy')}]`]);
    // The edges themselves, declared vs snapshot, per deploy role.
    const test = json.deployRoles.find((d: any) => d.account === 'test');
    expect(test).toMatchObject({ deployRoleArn: arn(TEST, 'trustline-deploy'), inSnapshot: true, declaredPrincipals: [HUB, arn(IDN, 'legacy-deployer')], externalId: null });
    expect(test.edges.map((e: any) => [e.caller, e.declared])).toEqual([
      [HUB, true],
      [arn(TEST, 'test-ops'), false],
    ]);
    const text = (await paths(['examples/org-snapshot', '--declared'])).out;
    expect(text).toContain(['  test:trustline-deploy', `    declared   ${HUB}`, `    UNDECLARED ${arn(TEST, 'test-ops')}`, `    MISSING    ${arn(IDN, 'legacy-deployer')}`].join('\n'));
  });

  it('a declared ExternalId the deploy role does not require: path-guard-weaker; the decoy that requires it: none', async () => {
    const weaker = await declaredKeys(editedCopy(declareExternalId));
    expect(weaker.keys).toContain(`path-guard-weaker[${HUB}->${PROD_DEPLOY}]`);
    expect(weaker.json.findings.find((f: any) => f.ruleId === 'path-guard-weaker').message).toContain(`requires sts:ExternalId "${EXT}", but ${HUB} assumes it with no sts:ExternalId condition`);
    const decoy = await declaredKeys(editedCopy((f) => (declareExternalId(f), requireExternalId(f))));
    expect(decoy.keys.filter((k) => k.startsWith('path-guard-weaker'))).toEqual([]);
  });

  it('a declared principal the snapshot lacks: path-declared-dead; the decoy that does not declare it: none', async () => {
    const gone = arn(IDN, 'release-bot');
    const dead = await declaredKeys(editedCopy((f) => f.get('accounts.json').accounts.find((a: any) => a.key === 'prod').trustedPrincipals.push(gone)));
    expect(dead.keys).toContain(`path-declared-dead[${gone}->${PROD_DEPLOY}]`);
    const decoy = await declaredKeys(editedCopy(() => undefined));
    expect(decoy.keys.filter((k) => k.includes(PROD_DEPLOY))).toEqual([]);
  });

  it('an undeclared edge into a deploy role: path-undeclared; the same edge declared: none', async () => {
    // dev's ci-runner may assume any role (NotAction iam:*): trusted by the prod deploy role, it is an edge.
    const runner = arn(DEV, 'ci-runner');
    const trustRunner = (f: Map<string, any>) => (roleIn(f.get(`${PROD}.json`), 'trustline-deploy').AssumeRolePolicyDocument.Statement[0].Principal.AWS = [HUB, runner]);
    const undeclared = await declaredKeys(editedCopy(trustRunner));
    expect(undeclared.keys).toContain(`path-undeclared[${runner}->${PROD_DEPLOY}]`);
    const decoy = await declaredKeys(editedCopy((f) => (trustRunner(f), f.get('accounts.json').accounts.find((a: any) => a.key === 'prod').trustedPrincipals.push(runner))));
    expect(decoy.keys.filter((k) => k.includes(PROD_DEPLOY))).toEqual([]);
  });

  it('--declared takes no --to', async () => {
    const r = await paths(['examples/org-snapshot', '--declared', '--to', 'prod']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('trust-guard paths: --declared compares every deploy role of the registry with the snapshot; it takes no --to or --from.\n');
  });
});
