import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { copyWorkspace } from '@trustline/bench';
import { sampleRegistryJson } from '@trustline/registry';
import { useSampleOrganization } from '@trustline/workspace-plugin';
import { actionValidator, ROOT } from './helpers';

const WORKFLOWS = path.join(ROOT, '.github', 'workflows');

const files = fs.readdirSync(WORKFLOWS).filter((f) => f.endsWith('.yml'));
const load = (name: string): any => parse(fs.readFileSync(path.join(WORKFLOWS, name), 'utf8'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'workflows-'));
const temps: string[] = [];
afterAll(() => {
  for (const dir of [tmp, ...temps]) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the workflows under .github/workflows', () => {
  it('are the pull request, main and live audit workflows', () => {
    expect(files.sort()).toEqual(['live-audit.yml', 'main.yml', 'pull-request.yml']);
  });

  it.each(files)('%s passes @action-validator/cli', (name) => {
    expect(actionValidator(path.join(WORKFLOWS, name))).toEqual({ status: 0, report: '' });
  });

  it('and the validator fails a broken copy (a misspelt key), so the check can fail', () => {
    const broken = path.join(tmp, 'broken.yml');
    fs.writeFileSync(broken, fs.readFileSync(path.join(WORKFLOWS, 'main.yml'), 'utf8').replace('runs-on: ubuntu-latest', 'runs_on: ubuntu-latest'));
    const r = actionValidator(broken);
    expect(r.status).toBe(1);
    expect(r.report).toContain("Additional property 'runs_on' is not allowed");
  });

  it('name no account: the stacks come from scripts/affected-stacks.mjs', () => {
    const registry = sampleRegistryJson() as { identity: { accountId: string }; accounts: { key: string; accountId: string }[] };
    const live = JSON.parse(fs.readFileSync(path.join(ROOT, 'accounts.json'), 'utf8')) as typeof registry;
    for (const name of files) {
      const text = fs.readFileSync(path.join(WORKFLOWS, name), 'utf8');
      for (const r of [registry, live]) {
        for (const id of [r.identity.accountId, ...r.accounts.map((a) => a.accountId)]) expect(text, `${name} names account ${id}`).not.toContain(id);
        for (const a of r.accounts) {
          expect(text, `${name} names account ${a.key}`).not.toMatch(new RegExp(`projects/${a.key}\\b|--stack[ =]+"?${a.key}\\b|\\b${a.key}:(preview|up)\\b`));
        }
      }
      if (name !== 'live-audit.yml') expect(text).toContain('node scripts/affected-stacks.mjs --base "$NX_BASE" --head "$NX_HEAD"');
    }
  });
});

describe('pull request workflow', () => {
  const wf = load('pull-request.yml');
  const steps = (job: string): any[] => wf.jobs[job].steps;
  const run = (job: string) => steps(job).map((s) => s.run).filter(Boolean).join('\n');

  it('runs npm ci and the affected typecheck, lint, test and policy targets', () => {
    expect(wf.on).toEqual({ pull_request: null });
    expect(run('affected')).toContain('npm ci');
    expect(run('affected')).toContain('npx nx affected -t typecheck lint test policy');
    expect(steps('affected')[0]).toEqual({ uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } });
  });

  it('previews each job\'s share of the affected stacks (a matrix entry of scripts/affected-stacks.mjs) with the policy pack, through GitHub OIDC', () => {
    const preview = wf.jobs.preview;
    expect(preview.name).toBe('preview ${{ matrix.name }}');
    expect(preview.needs).toBe('affected');
    expect(preview.strategy).toEqual({ 'fail-fast': false, matrix: '${{ fromJSON(needs.affected.outputs.matrix) }}' });
    expect(preview.permissions).toEqual({ contents: 'read', 'id-token': 'write', 'security-events': 'write' });
    const aws = steps('preview').find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    expect(aws.with).toEqual({ 'role-to-assume': '${{ vars.TRUSTLINE_CI_ROLE_ARN }}', 'aws-region': '${{ vars.TRUSTLINE_AWS_REGION }}', 'role-session-name': 'trustline-preview-${{ github.run_id }}', 'role-duration-seconds': 3600 });
    expect(run('preview')).toContain('pulumi preview --stack "$stack" --policy-pack "$GITHUB_WORKSPACE/policies/trust-guard" --json > "$preview"');
    expect(preview.env.STACKS).toBe('${{ toJSON(matrix.stacks) }}');
  });

  it('uploads trust-guard check --format sarif to code scanning, one category per stack (trust-guard-<stack>)', () => {
    expect(run('preview')).toContain('npx trust-guard check --format sarif "$preview" > "$sarif"');
    const upload = steps('preview').find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    // No `category` input: it would give every run of the upload the same one, which code scanning refuses.
    expect(upload.with).toEqual({ sarif_file: '.trust-guard/sarif' });
    expect(upload.if).toContain('!cancelled()');
  });
});

describe('pull request workflow: the path report of the code', () => {
  const wf = load('pull-request.yml');
  const job = wf.jobs.paths;

  it('writes the code\'s snapshot with npm start -- --paths-out, then scripts/paths-summary.sh of it into the job summary, and uploads its SARIF, without AWS credentials', () => {
    expect(job.permissions).toEqual({ contents: 'read', 'security-events': 'write' });
    // The report is of the pull request's code, not of a folder named by a variable.
    expect(job.env).toEqual({ CODE_SNAPSHOT: '${{ github.workspace }}/.trust-guard/code-snapshot', PATHS_OUT: '${{ github.workspace }}/.trust-guard/paths' });
    const runs = job.steps.map((s: any) => s.run).filter(Boolean);
    expect(runs).toEqual([
      'npm ci',
      'npm start -- --paths-out "$CODE_SNAPSHOT" || test $? -eq 1',
      'bash scripts/paths-summary.sh --report-input-problems "$CODE_SNAPSHOT" "$PATHS_OUT" "the code of this pull request (npm start -- --paths-out, every program under mocks, with the registry\'s hub)" >> "$GITHUB_STEP_SUMMARY"',
    ]);
    expect(job.steps.some((s: any) => s.uses?.startsWith('aws-actions/'))).toBe(false);
    const upload = job.steps.find((s: any) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload.with).toEqual({ sarif_file: '${{ env.PATHS_OUT }}/paths.sarif', category: 'trust-guard-paths' });
    expect(upload.if).toContain("hashFiles('.trust-guard/paths/paths.sarif')");
    const artifact = job.steps.find((s: any) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(artifact.with.path).toBe('.trust-guard/code-snapshot');
  });

  it('its commands, run as the job runs them on a copy of the sample workspace whose dev program plants a role the prod deploy role may assume: the summary shows the path and the finding, and the SARIF carries it', () => {
    const ws = copyWorkspace(ROOT, 'trustline-ci-paths-');
    temps.push(ws);
    useSampleOrganization(ws);
    const PROD_DEPLOY = 'arn:aws:iam::333333333333:role/trustline-deploy';
    fs.appendFileSync(
      path.join(ws, 'projects/dev/index.ts'),
      [
        '',
        "import * as aws from '@pulumi/aws';",
        "const bridge = new aws.iam.Role('bridge', {",
        "  name: 'bridge',",
        `  assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '${PROD_DEPLOY}' }, Action: 'sts:AssumeRole' }] }),`,
        '}, { provider });',
        "new aws.iam.RolePolicyAttachment('bridge-admin', { role: bridge.name, policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }, { provider });",
        // An AWS-managed policy the code graph has no document for: named in the summary, the job goes on.
        "new aws.iam.RolePolicyAttachment('bridge-read', { role: bridge.name, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, { provider });",
        '',
      ].join('\n'),
    );
    const summaryFile = path.join(ws, 'summary.md');
    const env: Record<string, string> = { ...(process.env as Record<string, string>), CODE_SNAPSHOT: path.join(ws, '.trust-guard/code-snapshot'), PATHS_OUT: path.join(ws, '.trust-guard/paths'), GITHUB_STEP_SUMMARY: summaryFile, NX_NO_CLOUD: 'true', NX_DAEMON: 'false' };
    delete env.TRUSTLINE_REGISTRY;
    for (const step of job.steps.filter((s: any) => s.run && s.run !== 'npm ci')) {
      // GitHub runs a `run` step with `bash -e {0}`.
      const r = spawnSync('bash', ['-e', '-c', step.run], { cwd: ws, env, encoding: 'utf8', timeout: 170_000 });
      expect(r.status, `${step.name}: ${r.stderr}`).toBe(0);
    }
    const text = fs.readFileSync(summaryFile, 'utf8');
    expect(text).toContain("Snapshot: the code of this pull request (npm start -- --paths-out");
    expect(text).toMatch(/```mermaid\nflowchart LR\n[^`]*\["bridge"\]/);
    expect(text).toContain('dev:bridge (allows *): 1 path\n  conditional role identity:trustline-hub -> prod:trustline-deploy -> dev:bridge\n');
    expect(text).toContain(`path-cross-environment[${PROD_DEPLOY}->arn:aws:iam::111111111111:role/bridge]`);
    expect(text).toContain('**Input problems:** trust-guard paths could not judge everything in the snapshot');
    expect(text).toContain('attaches managed policy arn:aws:iam::aws:policy/ReadOnlyAccess, which the account\'s file does not hold; it is judged as granting nothing.');
    const sarif = JSON.parse(fs.readFileSync(path.join(ws, '.trust-guard/paths/paths.sarif'), 'utf8'));
    expect(sarif.runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toContain('path-cross-environment');
  }, 180_000);

  const summary = (snapshot: string) => {
    const out = fs.mkdtempSync(path.join(tmp, 'paths-'));
    const r = spawnSync('bash', [path.join(ROOT, 'scripts', 'paths-summary.sh'), snapshot, out], { cwd: ROOT, encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, out };
  };

  it('the script, on the example snapshot: a Mermaid picture, the findings, and SARIF with the same findings', () => {
    const r = summary('examples/org-snapshot');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^## Access paths into deploy and privileged roles\n/);
    expect(r.stdout).toContain('```mermaid\nflowchart LR\n');
    expect(r.stdout).toContain('path-undeclared[arn:aws:iam::222222222222:role/test-ops->arn:aws:iam::222222222222:role/trustline-deploy]');
    const sarif = JSON.parse(fs.readFileSync(path.join(r.out, 'paths.sarif'), 'utf8'));
    const ruleIds = new Set<string>(sarif.runs[0].results.map((x: { ruleId: string }) => x.ruleId));
    expect(ruleIds).toContain('path-undeclared');
    expect(ruleIds).toContain('path-declared-dead');
  });

  it('the script with --report-input-problems: a snapshot read but not whole is reported with its problems named, exit 0; without the flag it fails (2)', () => {
    const copy = path.join(tmp, 'snapshot-missing-policy');
    fs.cpSync(path.join(ROOT, 'examples/org-snapshot'), copy, { recursive: true });
    const file = path.join(copy, '333333333333.json');
    const gaad = JSON.parse(fs.readFileSync(file, 'utf8'));
    const pages = Array.isArray(gaad) ? gaad : [gaad];
    pages[0].RoleDetailList[0].AttachedManagedPolicies.push({ PolicyName: 'NotInTheFile', PolicyArn: 'arn:aws:iam::333333333333:policy/NotInTheFile' });
    fs.writeFileSync(file, JSON.stringify(gaad, null, 2));
    const strict = summary(copy);
    expect(strict.status).toBe(2);
    expect(strict.stdout).toBe('');
    const out = fs.mkdtempSync(path.join(tmp, 'paths-'));
    const r = spawnSync('bash', [path.join(ROOT, 'scripts', 'paths-summary.sh'), '--report-input-problems', copy, out, 'a copy of the example'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Snapshot: a copy of the example (`trust-guard paths`');
    expect(r.stdout).toContain('**Input problems:** trust-guard paths could not judge everything in the snapshot');
    expect(r.stdout).toContain('attaches managed policy arn:aws:iam::333333333333:policy/NotInTheFile');
    expect(r.stdout).toContain('path-cross-environment');
    // A folder that does not exist is no partial snapshot: it fails with the flag too.
    const missing = spawnSync('bash', [path.join(ROOT, 'scripts', 'paths-summary.sh'), '--report-input-problems', 'no/such/snapshot', out], { cwd: ROOT, encoding: 'utf8' });
    expect(missing.status).toBe(2);
  });

  it('the script fails (2) on a snapshot it cannot read, and says which', () => {
    const r = summary('no/such/snapshot');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('scripts/paths-summary.sh: trust-guard paths no/such/snapshot --format mermaid exited 2.');
  });
});

describe('main workflow', () => {
  const wf = load('main.yml');

  it('updates each job\'s share of the affected account stacks as a bounded matrix, one run of the workflow at a time', () => {
    const up = wf.jobs.up;
    expect(wf.on).toEqual({ push: { branches: ['main'] } });
    expect(up.name).toBe('up ${{ matrix.name }}');
    expect(up.strategy).toEqual({ 'fail-fast': false, 'max-parallel': 4, matrix: '${{ fromJSON(needs.affected.outputs.accounts) }}' });
    expect(up.env.STACKS).toBe('${{ toJSON(matrix.stacks) }}');
    // A stack is in one job of a run; runs queue behind each other instead of cancelling an update in flight.
    expect(wf.concurrency).toEqual({ group: 'pulumi-up-${{ github.ref }}', 'cancel-in-progress': false });
    expect(up.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    const runs = up.steps.map((s: any) => s.run).filter(Boolean);
    expect(runs[0]).toBe('npm ci');
    expect(runs[1]).toContain('pulumi up --yes --stack "$stack" --policy-pack "$GITHUB_WORKSPACE/policies/trust-guard"');
    expect(runs).toHaveLength(2);
  });

  it('creates the deploy roles (access project) before the account stacks, and never after it failed', () => {
    expect(wf.jobs.access.if).toBe("needs.affected.outputs.access == 'true'");
    expect(wf.jobs.up.needs).toEqual(['affected', 'access']);
    expect(wf.jobs.up.if).toContain("(needs.access.result == 'success' || needs.access.result == 'skipped')");
  });
});

describe('live audit workflow', () => {
  const wf = load('live-audit.yml');
  const steps: any[] = wf.jobs.audit.steps;
  const runs = steps.map((s) => s.run).filter(Boolean);

  it('runs nightly (and by hand) with GitHub OIDC, read-only: no Pulumi, no deploy role', () => {
    expect(wf.on).toEqual({ schedule: [{ cron: '17 3 * * *' }], workflow_dispatch: null });
    expect(wf.jobs.audit.permissions).toEqual({ contents: 'read', 'id-token': 'write', 'security-events': 'write' });
    const aws = steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    expect(aws.with['role-to-assume']).toBe('${{ vars.TRUSTLINE_AUDIT_CI_ROLE_ARN }}');
    expect(runs.join('\n')).not.toMatch(/pulumi|trustline-deploy/);
  });

  it('collects through the read-only audit role, going on to report an incomplete snapshot (exit 1)', () => {
    const collect = steps.find((s) => s.run?.includes('trust-guard collect'));
    expect(collect.run).toBe('npx trust-guard collect --out snapshot --role-name "$AUDIT_ROLE_NAME" ${ORG_ROLE_ARN:+--org-role "$ORG_ROLE_ARN"} || [ $? -eq 1 ]');
    expect(collect.env).toEqual({ AUDIT_ROLE_NAME: '${{ vars.TRUSTLINE_AUDIT_ROLE_NAME }}', ORG_ROLE_ARN: '${{ vars.TRUSTLINE_ORG_ROLE_ARN }}' });
  });

  it('writes the Mermaid picture to the job summary, uploads SARIF, and ends with the path report that fails the job on a mandatory finding', () => {
    expect(runs.find((r) => r.includes('--format mermaid'))).toContain('>> "$GITHUB_STEP_SUMMARY"');
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload.with).toEqual({ sarif_file: 'paths.sarif', category: 'trust-guard-live-paths' });
    expect(runs[runs.length - 1]).toBe('npx trust-guard paths snapshot');
  });
});

/**
 * The shell of the stack-by-stack steps, run as GitHub runs a `run:` step (bash -e) on one job's share, with
 * stand-ins for pulumi and npx on PATH that log where and how they were called.
 */
describe('the stack-by-stack steps, run on a share of three stacks', () => {
  const share = [
    { project: 'access', stack: 'identity', dir: '.' },
    { project: 'broken', stack: 'broken', dir: 'projects/broken' },
    { project: 'qa', stack: 'qa', dir: 'projects/qa' },
  ];
  const SARIF = '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"trust-guard"}},"results":[]}]}';

  function runStep(workflow: string, job: string, stepName: string) {
    const step = load(workflow).jobs[job].steps.find((s: any) => s.name === stepName);
    expect(step, `${workflow} has no step "${stepName}" in job ${job}`).toBeDefined();
    const ws = fs.mkdtempSync(path.join(tmp, 'ws-'));
    const bin = fs.mkdtempSync(path.join(tmp, 'bin-'));
    for (const s of share) fs.mkdirSync(path.join(ws, s.dir), { recursive: true });
    const log = path.join(tmp, `${path.basename(ws)}.log`);
    // pulumi fails for the stack "broken" (as a preview with mandatory findings does, after writing its JSON).
    fs.writeFileSync(path.join(bin, 'pulumi'), `#!/bin/bash\necho "pulumi $* (in $PWD)" >> "${log}"\necho '{"steps":[]}'\ncase "$*" in *"--stack broken "*) exit 255;; esac\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(bin, 'npx'), `#!/bin/bash\necho "npx $*" >> "${log}"\necho '${SARIF}'\n`, { mode: 0o755 });
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));
    const r = spawnSync('/bin/bash', ['-e', '-c', step.run], {
      cwd: ws,
      encoding: 'utf8',
      env: { PATH: `${bin}:/usr/bin:/bin`, HOME: tmp, GITHUB_WORKSPACE: ws, STACKS: JSON.stringify(share) },
    });
    return { ...r, ws, calls: fs.readFileSync(log, 'utf8').replaceAll(ws, '$WS').trimEnd().split('\n') };
  }

  it('pull request: previews every stack in order, in its folder, even after one failed; labels each SARIF with its stack; fails naming the stack', () => {
    const r = runStep('pull-request.yml', 'preview', 'pulumi preview and trust-guard check, stack by stack');
    expect(r.calls).toEqual([
      'pulumi preview --stack identity --policy-pack $WS/policies/trust-guard --json (in $WS)',
      'npx trust-guard check --format sarif $WS/.trust-guard/preview-identity.json',
      'pulumi preview --stack broken --policy-pack $WS/policies/trust-guard --json (in $WS/projects/broken)',
      'npx trust-guard check --format sarif $WS/.trust-guard/preview-broken.json',
      'pulumi preview --stack qa --policy-pack $WS/policies/trust-guard --json (in $WS/projects/qa)',
      'npx trust-guard check --format sarif $WS/.trust-guard/preview-qa.json',
    ]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('::error::preview failed for: broken\n');
    const sarif = path.join(r.ws, '.trust-guard/sarif');
    expect(fs.readdirSync(sarif).sort()).toEqual(['trust-guard-broken.sarif', 'trust-guard-identity.sarif', 'trust-guard-qa.sarif']);
    for (const s of share) {
      const logFile = JSON.parse(fs.readFileSync(path.join(sarif, `trust-guard-${s.stack}.sarif`), 'utf8'));
      expect(logFile.runs.map((run: any) => run.automationDetails)).toEqual([{ id: `trust-guard-${s.stack}/` }]);
    }
  });

  it('main: updates every stack in order, in its folder, even after one failed, and fails naming the stack', () => {
    const r = runStep('main.yml', 'up', 'pulumi up with the trust-guard policy pack, stack by stack');
    expect(r.calls).toEqual(share.map((s) => `pulumi up --yes --stack ${s.stack} --policy-pack $WS/policies/trust-guard (in ${s.dir === '.' ? '$WS' : `$WS/${s.dir}`})`));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('::error::pulumi up failed for: broken\n');
  });
});
