import { describe, expect, it } from 'vitest';
import { renderJson, renderText, stackSummaryLine } from '../src/render';
import { progressReporter } from '../src/progress';
import { broadFinding, result, stack } from './fixtures';

describe('renderText', () => {
  it('prints the provider chain, resources by type, findings with rule, severity and fix, and a summary line per stack', () => {
    const text = renderText(result([stack('dev', { status: 'failed', findings: [broadFinding] })]));
    expect(text).toBe(
      [
        '== dev (project dev, stack dev, projects/dev/index.ts) -> account 111111111111',
        'provider chain:',
        '  dev-account  region eu-west-1, allowedAccountIds 111111111111, 1 resource',
        '    1. assume arn:aws:iam::012345678901:role/trustline-hub in account 012345678901; ExternalId no; duration 1h',
        '    2. assume arn:aws:iam::111111111111:role/trustline-deploy in account 111111111111; ExternalId no; duration 1h',
        'resources (3):',
        '  aws:s3/bucket:Bucket  1',
        '  pulumi:providers:aws  1',
        '  pulumi:pulumi:Stack   1',
        'findings (1):',
        '  [mandatory] trust-any-principal  aws:iam/role:Role "open"',
        '      trust-any-principal[Principal::AWS::*] in assumeRolePolicy: Principal {"AWS":"*"} lets any AWS account assume this role.',
        '      fix: Name the role ARNs that need access.',
        'dev: failed — 3 resources, 1 AWS provider, 1 mandatory, 0 advisory',
        '',
        'offline-preview: 1 stack, 3 resources, 1 mandatory, 0 advisory, path findings 0 mandatory, 0 advisory, 0 errors — failed: mandatory findings (exit 1).',
        '',
      ].join('\n'),
    );
  });

  it('prints a fix that closes the message only once, on its own line', () => {
    const finding = { ...broadFinding, message: 'Principal {"AWS":"*"} lets any AWS account assume this role. Name the role ARNs that need access.' };
    const text = renderText(result([stack('dev', { status: 'failed', findings: [finding] })]));
    expect(text).toContain('      Principal {"AWS":"*"} lets any AWS account assume this role.\n      fix: Name the role ARNs that need access.\n');
  });

  it('says ExternalId yes and a default duration, and flags a provider that assumes no role', () => {
    const s = stack('prod');
    const p = s.providers[0];
    const text = renderText(
      result([
        {
          ...s,
          providers: [
            { ...p, hops: [{ ...p.hops[1], durationSeconds: null }] },
            { ...p, name: 'shell', hops: [], accountId: null, allowedAccountIds: [], region: null, problem: 'the provider assumes no role (it uses the shell credentials).' },
          ],
        },
      ]),
    );
    expect(text).toContain('    1. assume arn:aws:iam::333333333333:role/trustline-deploy in account 333333333333; ExternalId yes; duration default (1h)\n');
    expect(text).toContain('  shell  region (default), no allowedAccountIds, 1 resource\n    ! the provider assumes no role (it uses the shell credentials).\n');
    expect(text).toContain('findings: none\nprod: passed — 3 resources, 2 AWS providers, 0 mandatory, 0 advisory\n');
    expect(text).toMatch(/— passed \(exit 0\)\.\n$/);
  });

  it('prints only the error for a stack whose program failed, and exit 2 wins over findings', () => {
    const error = 'offline-preview: project "prod" (projects/prod/index.ts) failed: boom';
    const r = result([stack('dev', { status: 'failed', findings: [broadFinding] }), stack('prod', { status: 'error', error, resourceCount: 0, providers: [], resourcesByType: {} })]);
    expect(r.exitCode).toBe(2);
    const text = renderText(r);
    expect(text).toContain(`== prod (project prod, stack prod, projects/prod/index.ts) -> account 333333333333\nprod: error — ${error}\n`);
    expect(text).toContain('1 error — error: a program could not be run (exit 2).');
  });
});

describe('renderJson', () => {
  it('prints the result object with schemaVersion 1, deterministic and newline-terminated', () => {
    const r = result([stack('dev', { status: 'failed', findings: [broadFinding] })]);
    const json = renderJson(r);
    expect(json.endsWith('}\n')).toBe(true);
    const parsed = JSON.parse(json);
    expect(parsed.schemaVersion).toBe(1);
    expect(parsed.exitCode).toBe(1);
    expect(parsed.summary).toEqual({ stacks: 1, resources: 3, mandatory: 1, advisory: 0, errors: 0, pathMandatory: 0, pathAdvisory: 0 });
    expect(parsed.stacks[0].findings[0]).toEqual(broadFinding);
    expect(Object.keys(parsed)).toEqual(['schemaVersion', 'workspace', 'registry', 'stacks', 'summary', 'paths', 'exitCode']);
    expect(Object.keys(parsed.paths)).toEqual(['targets', 'findings', 'exempted', 'expiredExemptions', 'problems', 'summary']);
    expect(Object.keys(parsed.stacks[0])).not.toContain('iam');
    expect(renderJson(r)).toBe(json);
  });
});

describe('progressReporter', () => {
  const run = (isTTY: boolean) => {
    const written: string[] = [];
    const report = progressReporter({ write: (t: string) => written.push(t), isTTY });
    report({ kind: 'start', project: 'dev', index: 0, total: 2 });
    report({ kind: 'done', project: 'dev', index: 0, total: 2, completed: 1, stack: stack('dev'), ms: 41.6 });
    return written;
  };
  it('on a terminal keeps one live line and replaces it with the summary', () => {
    expect(run(true)).toEqual(['\r\x1b[2K[1/2] running dev...', `\r\x1b[2K[1/2] ${stackSummaryLine(stack('dev'))} (42 ms)\n`]);
  });
  it('in a log prints one plain summary line per stack', () => {
    expect(run(false)).toEqual(['[1/2] dev: passed — 3 resources, 1 AWS provider, 0 mandatory, 0 advisory (42 ms)\n']);
  });
  it('counts stacks as they complete, not by their position (worker threads finish out of order)', () => {
    const written: string[] = [];
    const report = progressReporter({ write: (t: string) => written.push(t), isTTY: false });
    report({ kind: 'done', project: 'prod', index: 1, total: 2, completed: 1, stack: stack('prod'), ms: 10 });
    report({ kind: 'done', project: 'dev', index: 0, total: 2, completed: 2, stack: stack('dev'), ms: 10 });
    expect(written.map((w) => w.slice(0, 11))).toEqual(['[1/2] prod:', '[2/2] dev: ']);
  });
});
