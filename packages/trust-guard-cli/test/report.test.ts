import { describe, expect, it } from 'vitest';
import type { Report } from '@trustline/trust-guard';
import { renderJson, renderText, summaryLine } from '../src/cli/report';

// The parts the input report and the JSON written for it share.
const openRole = { name: 'open-role', urn: 'urn:pulumi:dev::dev::aws:iam/role:Role::open-role', type: 'aws:iam/role:Role' };
const quiet = { name: 'quiet', urn: 'urn:pulumi:dev::dev::aws:iam/role:Role::quiet', type: 'aws:iam/role:Role' };
const anyPrincipal = {
  ruleId: 'trust-any-principal',
  severity: 'mandatory',
  key: 'trust-any-principal[Principal::AWS::*]',
  location: 'assumeRolePolicy',
  statementIndex: 0,
  principal: 'AWS::*',
  message: 'Principal {"AWS":"*"} lets any AWS account assume this role. Name the role ARNs that need access.',
} as const;
const accountRoot = {
  ruleId: 'trust-account-root',
  severity: 'advisory',
  key: 'trust-account-root[Principal::AWS::arn:aws:iam::111111111111:root]',
  location: 'assumeRolePolicy',
} as const;
const exemption = { reason: 'Break-glass role reviewed by security.', expires: '2099-01-01' };

const report: Report = {
  files: [
    {
      file: 'preview.json',
      format: 'pulumi-preview',
      resources: [
        {
          ...openRole,
          findings: [{ ...anyPrincipal, fix: 'Name the role ARNs that need access.' }],
          exempted: [{ finding: { ...accountRoot, statementIndex: 1, message: 'root', fix: 'Name the role ARNs that need access.' }, ...exemption }],
        },
        { ...quiet, findings: [], exempted: [] },
      ],
    },
    { file: 'clean.json', format: 'policy-document', resources: [{ name: 'clean.json', type: 'IAM policy document', findings: [], exempted: [] }] },
  ],
  summary: { files: 2, resources: 3, documents: 3, mandatory: 1, advisory: 0, informational: 0, exempted: 1 },
};

describe('renderText', () => {
  it('groups by file and resource with severity, rule, principal, location, message, key and a summary', () => {
    expect(renderText(report)).toBe(
      [
        'preview.json (pulumi-preview):',
        '  aws:iam/role:Role "open-role" (urn:pulumi:dev::dev::aws:iam/role:Role::open-role)',
        '    MANDATORY trust-any-principal principal AWS::* [assumeRolePolicy, statement 0]',
        '      Principal {"AWS":"*"} lets any AWS account assume this role. Name the role ARNs that need access.',
        '      key: trust-any-principal[Principal::AWS::*]',
        '    exempted trust-account-root[Principal::AWS::arn:aws:iam::111111111111:root]: Break-glass role reviewed by security. (until 2099-01-01)',
        'clean.json (policy-document): 1 resource, no findings',
        'trust-guard FAILED: 1 mandatory finding, 0 advisory, 0 informational, 1 exempted (2 files, 3 resources, 3 documents checked).',
        '',
      ].join('\n'),
    );
  });
});

describe('renderJson', () => {
  it('writes schemaVersion 1 with files, resources, findings, the exempted list and the summary', () => {
    const json = JSON.parse(renderJson(report));
    expect(json).toEqual({
      schemaVersion: 1,
      files: [
        { file: 'preview.json', format: 'pulumi-preview', resources: [{ ...openRole, findings: [anyPrincipal] }, { ...quiet, findings: [] }] },
        { file: 'clean.json', format: 'policy-document', resources: [{ name: 'clean.json', urn: null, type: 'IAM policy document', findings: [] }] },
      ],
      // Without the finding's statement index, message and fix.
      exempted: [{ file: 'preview.json', resource: openRole.urn, ...accountRoot, ...exemption }],
      expiredExemptions: [],
      zone: null,
      errors: [],
      summary: { files: 2, resources: 3, documents: 3, mandatory: 1, advisory: 0, informational: 0, exempted: 1, errors: 0, passed: false },
    });
  });
});

describe('inputs that could not be read fail the run', () => {
  const clean = { files: [], summary: { files: 0, resources: 0, documents: 0, mandatory: 0, advisory: 0, informational: 0, exempted: 0 } };
  const failed = { ...clean, summary: { ...clean.summary, mandatory: 2 } };
  const unread = [{ file: 'account dev (111111111111)', problem: 'No AWS credentials were found.', code: 'no-credentials', fix: 'Sign in first.' }];
  const tail = '0 advisory, 0 informational, 0 exempted (0 files, 0 resources, 0 documents checked).';

  it.each([
    [clean, [], 'account', `trust-guard passed: 0 mandatory findings, ${tail}`],
    [clean, unread, 'account', `trust-guard could not scan 1 account: 0 mandatory findings, ${tail}`],
    [clean, [...unread, { ...unread[0], file: 'account prod (333333333333)' }], 'account', `trust-guard could not scan 2 accounts: 0 mandatory findings, ${tail}`],
    [failed, unread, 'account', `trust-guard FAILED and could not scan 1 account: 2 mandatory findings, ${tail}`],
    [clean, [{ file: 'x.json', problem: 'no such file' }], 'file', `trust-guard could not read 1 file: 0 mandatory findings, ${tail}`],
  ] as const)('%#: %s', (report, errors, noun, line) => {
    expect(summaryLine(report, errors, noun)).toBe(line);
  });

  it('JSON lists them in "errors" and summary.passed is false although nothing mandatory was found', () => {
    const json = JSON.parse(renderJson(clean, unread));
    expect(json.errors).toEqual([{ file: 'account dev (111111111111)', problem: 'No AWS credentials were found.', code: 'no-credentials', fix: 'Sign in first.' }]);
    expect([json.summary.errors, json.summary.passed]).toEqual([1, false]);
    expect(JSON.parse(renderJson(clean)).summary.passed).toBe(true);
  });
});
