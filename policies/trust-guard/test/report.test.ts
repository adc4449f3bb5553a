import { describe, expect, it } from 'vitest';
import type { Report } from '../src/analyze';
import { renderJson, renderText } from '../src/cli/report';

const report: Report = {
  files: [
    {
      file: 'preview.json',
      format: 'pulumi-preview',
      resources: [
        {
          name: 'open-role',
          urn: 'urn:pulumi:dev::dev::aws:iam/role:Role::open-role',
          type: 'aws:iam/role:Role',
          findings: [
            {
              ruleId: 'trust-any-principal',
              severity: 'mandatory',
              key: 'trust-any-principal[Principal::AWS::*]',
              statementIndex: 0,
              principal: 'AWS::*',
              message: 'Principal {"AWS":"*"} lets any AWS account assume this role. Name the role ARNs that need access.',
              location: 'assumeRolePolicy',
            },
          ],
          exempted: [
            {
              finding: {
                ruleId: 'trust-account-root',
                severity: 'advisory',
                key: 'trust-account-root[Principal::AWS::arn:aws:iam::111111111111:root]',
                statementIndex: 1,
                message: 'root',
                location: 'assumeRolePolicy',
              },
              reason: 'Break-glass role reviewed by security.',
              expires: '2099-01-01',
            },
          ],
        },
        { name: 'quiet', urn: 'urn:pulumi:dev::dev::aws:iam/role:Role::quiet', type: 'aws:iam/role:Role', findings: [], exempted: [] },
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
        {
          file: 'preview.json',
          format: 'pulumi-preview',
          resources: [
            {
              name: 'open-role',
              urn: 'urn:pulumi:dev::dev::aws:iam/role:Role::open-role',
              type: 'aws:iam/role:Role',
              findings: [
                {
                  ruleId: 'trust-any-principal',
                  severity: 'mandatory',
                  key: 'trust-any-principal[Principal::AWS::*]',
                  location: 'assumeRolePolicy',
                  statementIndex: 0,
                  principal: 'AWS::*',
                  message: 'Principal {"AWS":"*"} lets any AWS account assume this role. Name the role ARNs that need access.',
                },
              ],
            },
            { name: 'quiet', urn: 'urn:pulumi:dev::dev::aws:iam/role:Role::quiet', type: 'aws:iam/role:Role', findings: [] },
          ],
        },
        { file: 'clean.json', format: 'policy-document', resources: [{ name: 'clean.json', urn: null, type: 'IAM policy document', findings: [] }] },
      ],
      exempted: [
        {
          file: 'preview.json',
          resource: 'urn:pulumi:dev::dev::aws:iam/role:Role::open-role',
          ruleId: 'trust-account-root',
          severity: 'advisory',
          key: 'trust-account-root[Principal::AWS::arn:aws:iam::111111111111:root]',
          location: 'assumeRolePolicy',
          reason: 'Break-glass role reviewed by security.',
          expires: '2099-01-01',
        },
      ],
      summary: { files: 2, resources: 3, documents: 3, mandatory: 1, advisory: 0, informational: 0, exempted: 1, passed: false },
    });
  });
});
