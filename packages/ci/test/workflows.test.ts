import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { sampleRegistryJson } from '@trustline/registry';
import { actionValidator, ROOT } from './helpers';

const WORKFLOWS = path.join(ROOT, '.github', 'workflows');

const files = fs.readdirSync(WORKFLOWS).filter((f) => f.endsWith('.yml'));
const load = (name: string): any => parse(fs.readFileSync(path.join(WORKFLOWS, name), 'utf8'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'workflows-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

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

  it('previews each affected stack in its own matrix job with the policy pack, through GitHub OIDC', () => {
    const preview = wf.jobs.preview;
    expect(preview.needs).toBe('affected');
    expect(preview.strategy).toEqual({ 'fail-fast': false, matrix: '${{ fromJSON(needs.affected.outputs.matrix) }}' });
    expect(preview.permissions).toEqual({ contents: 'read', 'id-token': 'write', 'security-events': 'write' });
    const aws = steps('preview').find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    expect(aws.with).toEqual({ 'role-to-assume': '${{ vars.TRUSTLINE_CI_ROLE_ARN }}', 'aws-region': '${{ vars.TRUSTLINE_AWS_REGION }}', 'role-session-name': 'trustline-preview-${{ github.run_id }}', 'role-duration-seconds': 3600 });
    expect(run('preview')).toContain('pulumi preview --stack "$STACK" --policy-pack "$GITHUB_WORKSPACE/policies/trust-guard" --json > "$PREVIEW"');
    expect(preview.env.STACK).toBe('${{ matrix.stack }}');
  });

  it('uploads trust-guard check --format sarif to code scanning, per stack', () => {
    expect(run('preview')).toContain('npx trust-guard check --format sarif "$PREVIEW" > "$SARIF" || [ $? -eq 1 ]');
    const upload = steps('preview').find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload.with).toEqual({ sarif_file: '${{ env.SARIF }}', category: 'trust-guard-${{ matrix.stack }}' });
    expect(upload.if).toContain('!cancelled()');
  });
});

describe('main workflow', () => {
  const wf = load('main.yml');

  it('updates each affected account stack as a bounded matrix, one update per stack at a time', () => {
    const up = wf.jobs.up;
    expect(wf.on).toEqual({ push: { branches: ['main'] } });
    expect(up.strategy).toEqual({ 'fail-fast': false, 'max-parallel': 4, matrix: '${{ fromJSON(needs.affected.outputs.accounts) }}' });
    expect(up.concurrency).toEqual({ group: 'pulumi-up-${{ matrix.project }}-${{ matrix.stack }}', 'cancel-in-progress': false });
    expect(up.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(up.steps.map((s: any) => s.run).filter(Boolean)).toEqual(['npm ci', 'pulumi up --yes --stack "$STACK" --policy-pack "$GITHUB_WORKSPACE/policies/trust-guard"']);
  });

  it('creates the deploy roles (access project) before the account stacks, and never after it failed', () => {
    expect(wf.jobs.access.if).toBe("needs.affected.outputs.access == 'true'");
    expect(wf.jobs.access.concurrency).toEqual({ group: 'pulumi-up-access', 'cancel-in-progress': false });
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
