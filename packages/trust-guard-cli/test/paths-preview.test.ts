/**
 * `trust-guard paths` on `pulumi preview --json` files: one file per stack, several files several accounts.
 *
 * The files in examples/pulumi-preview/ (shown in the README) are written field by field from Pulumi's own structs at tag
 * v3.248.0: pkg/display/json.go `PreviewDigest` (config, steps, duration, changeSummary) and `PreviewStep`
 * (op, urn, provider, oldState, newState, detailedDiff), the states being sdk/go/common/apitype/core.go
 * `ResourceV3` (urn, custom, id, type, inputs, outputs, parent, provider, dependencies, propertyDependencies),
 * as pkg/backend/display/json.go `getPreviewMetadataStep` serialises them (a value not known before deploy
 * is the string 04da6b54-80e4-46f7-96ec-b56ff0331ba9). They are previews run with --show-sames: without it
 * an unchanged resource (the stack's provider, often) has no step (`shouldShow`, pkg/backend/display/display.go).
 *
 * The story: a dev CI runner (EC2) may assume prod's release-relay, which has AdministratorAccess and trusts
 * it. The decoy, batch-runner, is the same role trusted the same way, whose identity policy allows
 * s3:GetObject instead of sts:AssumeRole: its one missing fact.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/main';
import { recordingIO, TEST_REGISTRY } from './helpers';

const DIR = path.resolve(__dirname, '../../../examples/pulumi-preview');
const DEV_PREVIEW = path.join(DIR, 'dev.json');
const PROD_PREVIEW = path.join(DIR, 'prod.json');
const CI_RUNNER = 'arn:aws:iam::111111111111:role/ci-runner';
const BATCH_RUNNER = 'arn:aws:iam::111111111111:role/batch-runner';
const RELAY = 'arn:aws:iam::333333333333:role/release-relay';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-guard-paths-preview-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function paths(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = recordingIO({}, tmp);
  const code = await runCli(['paths', '--registry', TEST_REGISTRY, ...args], io);
  return { code, out: io.out, err: io.err };
}
async function pathsJson(args: string[]) {
  const r = await paths([...args, '--format', 'json']);
  return { ...r, json: JSON.parse(r.out) };
}
type Target = { target: string; paths: { from: { kind: string; id: string }; hops: string[]; verdict: string }[] };
const hopLists = (json: { targets: Target[] }) => json.targets.flatMap((t) => t.paths.map((p) => [`${p.from.kind}:${p.from.id}`, ...p.hops]));

/** A copy of a fixture with one edit. */
let copies = 0;
function edited(file: string, edit: (preview: any) => void): string {
  const preview = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(preview);
  const out = path.join(tmp, `${++copies}-${path.basename(file)}`);
  fs.writeFileSync(out, `${JSON.stringify(preview, null, 4)}\n`);
  return out;
}
const stepOf = (preview: any, urnEnd: string) => preview.steps.find((s: any) => s.urn.endsWith(urnEnd));

describe('trust-guard paths on pulumi preview --json files', () => {
  it('reports the planted cross-account path (dev CI runner into prod AdministratorAccess) from the two stacks\' previews, and exits 1', async () => {
    const { code, json, err } = await pathsJson([DEV_PREVIEW, PROD_PREVIEW]);
    expect(err).toBe('');
    expect(code).toBe(1);
    const relay = json.targets.find((t: Target) => t.target === RELAY);
    expect(relay.why).toBe('allows *');
    expect(relay.paths).toEqual([expect.objectContaining({ from: { kind: 'service', id: 'ec2.amazonaws.com' }, hops: [CI_RUNNER, RELAY], verdict: 'always' })]);
    expect(json.findings).toContainEqual(expect.objectContaining({ ruleId: 'path-cross-environment', severity: 'mandatory', key: `path-cross-environment[${CI_RUNNER}->${RELAY}]` }));
    // The registry's declared hub (no program of these stacks creates it) reaches the deploy roles the registry names.
    expect(json.problems).toEqual([]);
  });

  it('does not report the decoy, whose identity policy lacks sts:AssumeRole; undoing that one fact opens its path', async () => {
    // --all: every simple path, not only the shortest per entry point (both runners start from EC2).
    const { json } = await pathsJson([DEV_PREVIEW, PROD_PREVIEW, '--all']);
    expect(hopLists(json)).toContainEqual(['service:ec2.amazonaws.com', CI_RUNNER, RELAY]);
    expect(hopLists(json).filter((h) => h.includes(BATCH_RUNNER))).toEqual([]);
    expect(JSON.stringify(json.findings)).not.toContain(BATCH_RUNNER);
    const opened = edited(DEV_PREVIEW, (p) => {
      const policy = stepOf(p, 'aws:iam/rolePolicy:RolePolicy::batch-runner-assume').newState.inputs;
      policy.policy = policy.policy.replace('s3:GetObject', 'sts:AssumeRole');
    });
    const again = await pathsJson([opened, PROD_PREVIEW, '--all']);
    expect(hopLists(again.json)).toContainEqual(['service:ec2.amazonaws.com', BATCH_RUNNER, RELAY]);
    expect(again.json.findings.map((f: { key: string }) => f.key)).toContain(`path-cross-environment[${BATCH_RUNNER}->${RELAY}]`);
  });

  it('one file is one stack: the dev preview alone has no prod role, so no path into it', async () => {
    const { json, code } = await pathsJson([DEV_PREVIEW]);
    expect(json.targets.map((t: Target) => t.target)).not.toContain(RELAY);
    expect(JSON.stringify(json.findings)).not.toContain('path-cross-environment');
    expect(code).toBe(0);
  });

  it('pulumi stack export files (apitype DeploymentV3: deployment.resources, the same ResourceV3 states) give the same path', async () => {
    const asExport = (file: string) => {
      const preview = JSON.parse(fs.readFileSync(file, 'utf8'));
      const out = path.join(tmp, `export-${path.basename(file)}`);
      const resources = preview.steps.map((s: any) => s.newState);
      fs.writeFileSync(out, JSON.stringify({ version: 3, deployment: { manifest: { time: '2026-12-07T23:00:00Z', magic: '', version: 'v3.248.0' }, resources } }, null, 4));
      return out;
    };
    const { json, code } = await pathsJson([asExport(DEV_PREVIEW), asExport(PROD_PREVIEW)]);
    expect(code).toBe(1);
    expect(json.findings.map((f: { key: string }) => f.key)).toContain(`path-cross-environment[${CI_RUNNER}->${RELAY}]`);
  });

  it('SARIF points a finding about a role at the role\'s step in the preview', async () => {
    const { code, out } = await paths([DEV_PREVIEW, PROD_PREVIEW, '--format', 'sarif']);
    expect(code).toBe(1);
    const result = JSON.parse(out).runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'path-cross-environment');
    const location = result.locations[0].physicalLocation;
    expect(location.artifactLocation.uri).toMatch(/pulumi-preview\/prod\.json$/);
    const lines = fs.readFileSync(PROD_PREVIEW, 'utf8').split('\n');
    expect(lines[location.region.startLine - 1]).toMatch(/"newState": \{/);
    expect(lines[location.region.startLine]).toContain('"urn": "urn:pulumi:prod::prod::aws:iam/role:Role::release-relay"');
  });
});

describe('trust-guard paths on pulumi preview --json files: bad input', () => {
  it('a malformed state: exit 2, naming the file, line, field and value', async () => {
    const bad = edited(PROD_PREVIEW, (p) => {
      stepOf(p, 'aws:iam/role:Role::release-relay').newState.type = 42;
    });
    const { code, out } = await paths([DEV_PREVIEW, bad]);
    expect(code).toBe(2);
    const line = fs.readFileSync(bad, 'utf8').split('\n').findIndex((l) => l.includes('"type": 42')) + 1;
    expect(out).toMatch(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}:\\d+: steps\\[2\\]\\.newState\\.type 42 is not a resource type token such as "aws:iam/role:Role"; the resource is not read\\.`));
  });

  it('inputs that are not an object: exit 2, naming the field and value', async () => {
    const bad = edited(DEV_PREVIEW, (p) => {
      stepOf(p, 'aws:iam/role:Role::ci-runner').newState.inputs = 'assumeRolePolicy';
    });
    const { code, out } = await paths([bad, PROD_PREVIEW]);
    expect(code).toBe(2);
    expect(out).toContain('steps[2].newState.inputs "assumeRolePolicy" is not an object of the resource\'s properties; aws:iam/role:Role "ci-runner" is not read.');
  });

  it('a preview without --show-sames (the unchanged provider has no step): exit 2, naming the provider reference and the flag', async () => {
    const bad = edited(DEV_PREVIEW, (p) => {
      p.steps = p.steps.filter((s: any) => s.op !== 'same');
    });
    const { code, out } = await paths([bad, PROD_PREVIEW]);
    expect(code).toBe(2);
    expect(out).toContain(
      `steps[0].newState.provider "urn:pulumi:dev::dev::pulumi:providers:aws::dev::5b0e8a6c-3f57-4d8e-9a44-0c6f2f0e6a11" names provider urn:pulumi:dev::dev::pulumi:providers:aws::dev, which is not in ${bad}, so the account aws:iam/role:Role "ci-runner" is created in is not known; it is not read. \`pulumi preview --json\` lists unchanged resources (the provider, often) only with --show-sames`,
    );
  });

  it('a provider whose role chain cannot be read: exit 2, with the reader\'s sentence', async () => {
    const bad = edited(PROD_PREVIEW, (p) => {
      stepOf(p, 'pulumi:providers:aws::prod').newState.inputs.assumeRoles = '[{"roleArn": "not-an-arn"}]';
    });
    const { code, out } = await paths([DEV_PREVIEW, bad]);
    expect(code).toBe(2);
    expect(out).toContain('steps[1].newState.inputs of provider urn:pulumi:prod::prod::pulumi:providers:aws::prod: roleArn "not-an-arn" is not an IAM role ARN');
  });

  it('a trust policy not known before deploy: listed with the resource\'s URN and place, exit 2', async () => {
    const bad = edited(PROD_PREVIEW, (p) => {
      stepOf(p, 'aws:iam/role:Role::release-relay').newState.inputs.assumeRolePolicy = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';
    });
    const { code, out } = await paths([DEV_PREVIEW, bad]);
    expect(code).toBe(2);
    expect(out).toContain('aws:iam/role:Role "release-relay": assumeRolePolicy is not known before deploy (computed from another resource); it is judged as granting nothing, so paths it would open are not shown. (urn:pulumi:prod::prod::aws:iam/role:Role::release-relay)');
  });

  it('an AWS-managed policy the code graph has no document for: named, in the preview that attaches it, exit 2', async () => {
    const bad = edited(PROD_PREVIEW, (p) => {
      stepOf(p, 'rolePolicyAttachment:RolePolicyAttachment::release-relay-admin').newState.inputs.policyArn = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
    });
    const { code, out } = await paths([DEV_PREVIEW, bad]);
    expect(code).toBe(2);
    expect(out).toContain(`${bad}: role ${RELAY}: role ${RELAY} attaches managed policy arn:aws:iam::aws:policy/ReadOnlyAccess, which the account's file does not hold; it is judged as granting nothing.`);
  });
});
