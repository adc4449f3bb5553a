import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_HOPS, analyseSnapshot, jsonPath, parsePathsConfig, readSnapshot } from '@trustline/paths';
import { loadRegistry } from '@trustline/registry';
import { declaredFrom } from '@trustline/trust-guard';
import { buildTrustGraph, staleGraphFiles } from '../src/graph';
import type { PreviewResult } from '../src/result';
import { copyWorkspace, REPO, useSampleRegistry } from './workspace-copy';

const CLI = path.join(REPO, 'packages/offline-preview/src/cli.ts');
const TSX = path.join(REPO, 'node_modules/.bin/tsx');

/** Runs the real CLI (`npm start` = tsx packages/offline-preview/src/cli.ts) as a child process. */
function cli(args: string[], cwd = REPO) {
  const env = { ...process.env };
  delete env.TRUSTLINE_REGISTRY;
  const r = spawnSync(TSX, [CLI, ...args], { cwd, env, encoding: 'utf8', timeout: 110_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const temps: string[] = [];
const temp = () => {
  const dir = copyWorkspace();
  useSampleRegistry(dir);
  temps.push(dir);
  return dir;
};
afterAll(() => {
  for (const t of temps) fs.rmSync(t, { recursive: true, force: true });
});

describe('npm start on the repository (the live registry: its accounts change as teams onboard them)', () => {
  /**
   * `npm start -- --json` on the repository, run once on first use: each test asks for it itself, so any test
   * runs alone (`-t`) or in any order, and none reads what another one wrote.
   */
  let repoRun: ReturnType<typeof cli> | undefined;
  const repoPreview = () => (repoRun ??= cli(['--json']));
  const repoJson = (): PreviewResult => {
    const r = repoPreview();
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };

  it('exits 0 and runs the access project and every registry account', () => {
    const r = repoPreview();
    expect(r.stderr).not.toContain('failed:');
    expect(r.code).toBe(0);
    const json: PreviewResult = JSON.parse(r.stdout);
    expect(json.schemaVersion).toBe(1);
    const registry = loadRegistry(path.join(REPO, 'accounts.json'));
    const keys = registry.accounts.map((a) => a.key);
    expect(json.stacks.map((s) => [s.project, s.stack, s.program, s.status])).toEqual([
      ['access', 'identity', 'access/index.ts', 'passed'],
      ...keys.map((k) => [k, k, `projects/${k}/index.ts`, 'passed']),
    ]);
    expect(json.summary.mandatory).toBe(0);
    // Whatever the organization: each account's provider ends in that account, with its ExternalId when it
    // has one, and every chained hop is at most 1h. (The sample's own values: the copies below.)
    for (const account of registry.accounts) {
      const hops = json.stacks.find((s) => s.project === account.key)?.providers.flatMap((p) => p.hops) ?? [];
      expect(hops.at(-1), account.key).toMatchObject({ accountId: account.accountId, externalId: account.externalId !== undefined });
      expect(hops.every((h) => h.durationSeconds !== null && h.durationSeconds <= 3600)).toBe(true);
    }
  });

  it('prints the same JSON, byte for byte, when the stacks run on two worker threads', () => {
    const json = repoJson();
    const r = cli(['--json', '--workers', '2']);
    expect(r.stderr).not.toContain('failed:');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${JSON.stringify(json, null, 2)}\n`);
  });

  it('has a current trust graph in docs/ and the README block', () => {
    const json = repoJson();
    const stale = staleGraphFiles(REPO, buildTrustGraph(json, loadRegistry(path.join(REPO, 'accounts.json'))));
    expect(stale, `The trust graph is out of date (${stale.join(', ')}); run \`npm start -- --graph\` and commit the result.`).toEqual([]);
  });
});

describe('npm start on a changed copy of the workspace', () => {
  it('exits 1 and names the rule when a program adds a role any AWS account may assume', () => {
    const ws = temp();
    const program = path.join(ws, 'projects/dev/index.ts');
    fs.appendFileSync(
      program,
      [
        '',
        "import * as aws from '@pulumi/aws';",
        "new aws.iam.Role('open-to-all', {",
        "  assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] }),",
        '}, { provider });',
        '',
      ].join('\n'),
    );
    const r = cli(['--project', 'dev'], ws);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  [mandatory] trust-any-principal  aws:iam/role:Role "open-to-all"\n');
    expect(r.stdout).toMatch(/dev: failed — \d+ resources, 1 AWS provider, [1-9]\d* mandatory/);
    expect(r.stdout).toContain('failed: mandatory findings (exit 1).');
  });

  it('exits 2 and names the project and cause when a program throws, at load or inside an apply', () => {
    const ws = temp();
    const dev = path.join(ws, 'projects/dev/index.ts');
    fs.writeFileSync(dev, `throw new Error('the dev program broke on purpose');\n${fs.readFileSync(dev, 'utf8')}`);
    const prod = path.join(ws, 'projects/prod/index.ts');
    fs.appendFileSync(prod, "\nimport * as pulumi from '@pulumi/pulumi';\nexport const broken = pulumi.output('x').apply((): string => { throw new Error('prod apply broke'); });\n");
    const r = cli(['--workspace', ws, '--project', 'dev', '--project', 'prod', '--project', 'access'], path.join(REPO, 'packages'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('offline-preview: project "dev" (projects/dev/index.ts) failed: the dev program broke on purpose\n');
    expect(r.stderr).toContain('offline-preview: project "prod" (projects/prod/index.ts) failed: prod apply broke\n');
    expect(r.stdout).toContain('access: passed');
    expect(r.stdout).toContain('2 errors — error: a program could not be run (exit 2).');
  });

  it('keeps default providers disabled without a stack file, and exits 1 on a stack that does not disable them', () => {
    const ws = temp();
    // No Pulumi.dev.yaml: the project-level value in Pulumi.yaml still applies (Pulumi merges project config into every stack).
    fs.rmSync(path.join(ws, 'projects/dev/Pulumi.dev.yaml'));
    const kept = cli(['--json', '--project', 'dev', '--workspace', ws]);
    expect(kept.stderr).not.toContain('failed:');
    const keptDev = (JSON.parse(kept.stdout) as PreviewResult).stacks[0];
    expect(keptDev.findings.filter((f) => f.policy === 'stack-default-providers-disabled')).toEqual([]);

    // Neither file sets it: one mandatory stack finding that names the key and the fix.
    const yamlFile = path.join(ws, 'projects/dev/Pulumi.yaml');
    fs.writeFileSync(yamlFile, fs.readFileSync(yamlFile, 'utf8').replace(/\nconfig:[\s\S]*$/, '\n'));
    const r = cli(['--json', '--project', 'dev', '--workspace', ws]);
    expect(r.code).toBe(1);
    const dev = (JSON.parse(r.stdout) as PreviewResult).stacks[0];
    expect(dev.status).toBe('failed');
    expect(dev.findings.filter((f) => f.severity === 'mandatory')).toEqual([
      {
        ruleId: 'stack-default-providers-disabled',
        policy: 'stack-default-providers-disabled',
        severity: 'mandatory',
        message:
          "The stack does not disable default providers: pulumi:disable-default-providers is not set in Pulumi.yaml or the stack file. Set it for every stack in the project's Pulumi.yaml (config: pulumi:disable-default-providers: value: [aws]), so a resource that forgets { provider } fails instead of deploying with the shell's credentials.",
        fix: "Set it for every stack in the project's Pulumi.yaml (config: pulumi:disable-default-providers: value: [aws]), so a resource that forgets { provider } fails instead of deploying with the shell's credentials.",
        resource: null,
      },
    ]);
  });
});

describe('npm start: the code graph (paths into each deploy role, path rules across stacks)', () => {
  const PROD_DEPLOY = 'arn:aws:iam::333333333333:role/trustline-deploy';
  /** A dev program that creates an administrator role whose trust names `principal` with `effect`. */
  const plantBridge = (ws: string, principal: string, effect: 'Allow' | 'Deny') =>
    fs.appendFileSync(
      path.join(ws, 'projects/dev/index.ts'),
      [
        '',
        "import * as aws from '@pulumi/aws';",
        "const bridge = new aws.iam.Role('bridge', {",
        "  name: 'bridge',",
        `  assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: '${effect}', Principal: { AWS: '${principal}' }, Action: 'sts:AssumeRole' }] }),`,
        '}, { provider });',
        "new aws.iam.RolePolicyAttachment('bridge-admin', { role: bridge.name, policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }, { provider });",
        '',
      ].join('\n'),
    );

  it('prints, on the sample organization, who reaches each deploy role and through which hops', () => {
    const r = cli([], temp());
    expect(r.code, r.stderr).toBe(0);
    const text = r.stdout.slice(r.stdout.indexOf('== paths into each deploy role'));
    expect(text).toContain('dev:trustline-deploy (deploy role of account dev; allows *): 2 paths\n  always      role identity:ci/github-actions-deploy -> dev:trustline-deploy\n  always      role identity:trustline-hub -> dev:trustline-deploy\n');
    expect(text).toContain('test:trustline-deploy (deploy role of account test; allows *): 1 path\n  always      role identity:trustline-hub -> test:trustline-deploy\n');
    // prod's deploy role requires its ExternalId: the path is conditional and says on what.
    expect(text).toMatch(/prod:trustline-deploy \(deploy role of account prod; allows \*\): 1 path\n {2}conditional role identity:trustline-hub -> prod:trustline-deploy\n {14}hop 1: sts:ExternalId StringEquals "trustline-prod-7f3c9a1e"/);
    expect(text).toContain('offline-preview paths (code graph) passed: 0 mandatory findings');
    expect(r.stdout).toContain('path findings 0 mandatory, 0 advisory, 0 errors — passed (exit 0).');
  });

  it('flags a dev role that trusts the prod deploy role (prod reaches a dev administrator) with path-cross-environment, exit 1, and --json carries the paths', () => {
    const ws = temp();
    plantBridge(ws, PROD_DEPLOY, 'Allow');
    const r = cli(['--json', '--project', 'access', '--project', 'dev'], ws);
    const json: PreviewResult = JSON.parse(r.stdout);
    const finding = json.paths.findings.find((f) => f.key === `path-cross-environment[${PROD_DEPLOY}->arn:aws:iam::111111111111:role/bridge]`);
    expect(finding, JSON.stringify(json.paths.findings)).toMatchObject({ ruleId: 'path-cross-environment', severity: 'mandatory' });
    expect(json.summary.pathMandatory).toBeGreaterThan(0);
    expect(json.exitCode).toBe(1);
    expect(r.code).toBe(1);
    const bridge = json.paths.targets.find((t) => t.target === 'arn:aws:iam::111111111111:role/bridge');
    expect(bridge?.paths.map((p) => [p.from.id, ...p.hops])).toEqual([['arn:aws:iam::012345678901:role/trustline-hub', PROD_DEPLOY, 'arn:aws:iam::111111111111:role/bridge']]);
  });

  it('--paths-out writes the code graph as a snapshot folder that gives, read back, the paths and findings npm start reports', () => {
    const ws = temp();
    plantBridge(ws, PROD_DEPLOY, 'Allow');
    const out = path.join(ws, '.trust-guard/code-snapshot');
    const r = cli(['--json', '--paths-out', out], ws);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`offline-preview: code snapshot written to ${out} (4 account files)`);
    const json: PreviewResult = JSON.parse(r.stdout);
    const names = fs.readdirSync(out).sort();
    expect(names).toEqual(['012345678901.json', '111111111111.json', '222222222222.json', '333333333333.json']);
    const read = readSnapshot({ accounts: names.map((n) => ({ name: n, bytes: fs.readFileSync(path.join(out, n)) })) });
    expect(read.problems).toEqual([]);
    const analysis = analyseSnapshot(read.snapshot, declaredFrom(loadRegistry(path.join(ws, 'accounts.json'))), parsePathsConfig(undefined), { maxHops: DEFAULT_MAX_HOPS, all: false });
    if (!analysis.ok) throw new Error(analysis.problems.join('\n'));
    expect(analysis.targets.map((t) => ({ target: t.target, why: t.why, paths: t.paths.map(jsonPath) }))).toEqual(json.paths.targets);
    expect(analysis.judgement.findings.map((f) => f.key)).toEqual(json.paths.findings.map((f) => f.key));
    expect(json.paths.findings.map((f) => f.key)).toContain(`path-cross-environment[${PROD_DEPLOY}->arn:aws:iam::111111111111:role/bridge]`);
    // A program that cannot run leaves the folder as the last complete run wrote it.
    fs.appendFileSync(path.join(ws, 'projects/test/index.ts'), "\nthrow new Error('broken on purpose');\n");
    const broken = cli(['--paths-out', out], ws);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain(`offline-preview: the code snapshot was not written to ${out}, because a program could not be run (it would be incomplete).`);
    expect(fs.readdirSync(out).sort()).toEqual(names);
  });

  it('does not flag the decoy: the same role, its trust statement a Deny, opens no path', () => {
    const ws = temp();
    plantBridge(ws, PROD_DEPLOY, 'Deny');
    const r = cli(['--json', '--project', 'access', '--project', 'dev'], ws);
    const json: PreviewResult = JSON.parse(r.stdout);
    expect(json.paths.findings.filter((f) => f.ruleId === 'path-cross-environment')).toEqual([]);
    expect(json.paths.targets.find((t) => t.target === 'arn:aws:iam::111111111111:role/bridge')?.paths).toEqual([]);
    expect(json.summary.pathMandatory).toBe(0);
  });
});
