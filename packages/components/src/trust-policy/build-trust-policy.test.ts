import { problemsOf as thrownProblems } from '@trustline/contract';
import { describe, expect, it } from 'vitest';
import { sampleRegistry } from '../../test/fixtures';
import { buildTrustPolicy, trustContextFromRegistry } from './build-trust-policy';
import type { TrustPolicySpec } from './types';

const context = trustContextFromRegistry(sampleRegistry());
const HUB = 'arn:aws:iam::012345678901:role/trustline-hub';
const CI = 'arn:aws:iam::012345678901:role/ci/github-actions-deploy';

describe('trustContextFromRegistry', () => {
  it('takes the organization accounts, organization id, external accounts and partition from the registry', () => {
    expect(context).toEqual({
      trustedAccountIds: ['012345678901', '111111111111', '333333333333'],
      organizationId: 'o-exampleorg01',
      externalAccounts: [{ accountId: '999999999999', name: 'example-monitoring-vendor' }],
      partition: 'aws',
    });
  });
});

describe('buildTrustPolicy builds exactly what the spec asks for', () => {
  const allow = (extra: object) => ({ Sid: 'TrustedRoles', Effect: 'Allow', Principal: { AWS: [HUB] }, Action: ['sts:AssumeRole'], ...extra });
  const cases: Array<[string, TrustPolicySpec, unknown[]]> = [
    ['role ARNs only, no conditions', { trustedRoleArns: [HUB, CI] }, [{ Sid: 'TrustedRoles', Effect: 'Allow', Principal: { AWS: [HUB, CI] }, Action: ['sts:AssumeRole'] }]],
    ['duplicate role ARNs collapse', { trustedRoleArns: [HUB, HUB] }, [allow({})]],
    ['external id', { trustedRoleArns: [HUB], externalId: 'trustline-prod-7f3c9a1e' }, [allow({ Condition: { StringEquals: { 'sts:ExternalId': 'trustline-prod-7f3c9a1e' } } })]],
    [
      'MFA with a maximum age',
      { trustedRoleArns: [HUB], mfa: { maxAgeSeconds: 3600 } },
      [allow({ Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } } })],
    ],
    ['organization', { trustedRoleArns: [HUB], principalOrgId: 'o-exampleorg01' }, [allow({ Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-exampleorg01' } } })]],
    ['one pinned session name is a string', { trustedRoleArns: [HUB], sessionNames: ['trustline-deploy-dev'] }, [allow({ Condition: { StringEquals: { 'sts:RoleSessionName': 'trustline-deploy-dev' } } })]],
    ['several pinned session names are a list', { trustedRoleArns: [HUB], sessionNames: ['a1', 'b2'] }, [allow({ Condition: { StringEquals: { 'sts:RoleSessionName': ['a1', 'b2'] } } })]],
    [
      'source identity pinning adds sts:SetSourceIdentity',
      { trustedRoleArns: [HUB], sourceIdentities: ['alice@example.com'] },
      [allow({ Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'], Condition: { StringEquals: { 'sts:SourceIdentity': 'alice@example.com' } } })],
    ],
    ['sts:TagSession only when asked', { trustedRoleArns: [HUB], allowTagSession: true }, [allow({ Action: ['sts:AssumeRole', 'sts:TagSession'] })]],
    ['allowTagSession false adds nothing', { trustedRoleArns: [HUB], allowTagSession: false }, [allow({})]],
    [
      'account root narrowed with ArnLike (the default)',
      { accountRoots: [{ accountId: '111111111111', principalArns: ['arn:aws:iam::111111111111:role/ci/*'] }] },
      [
        {
          Sid: 'AccountRoot111111111111',
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::111111111111:root'] },
          Action: ['sts:AssumeRole'],
          Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/ci/*' } },
        },
      ],
    ],
    [
      'account root narrowed with ArnEquals, plus shared conditions and a role statement',
      {
        trustedRoleArns: [HUB],
        accountRoots: [{ accountId: '111111111111', operator: 'ArnEquals', principalArns: ['arn:aws:iam::111111111111:role/a', 'arn:aws:iam::111111111111:role/b'] }],
        principalOrgId: 'o-exampleorg01',
      },
      [
        allow({ Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-exampleorg01' } } }),
        {
          Sid: 'AccountRoot111111111111',
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::111111111111:root'] },
          Action: ['sts:AssumeRole'],
          Condition: {
            StringEquals: { 'aws:PrincipalOrgID': 'o-exampleorg01' },
            ArnEquals: { 'aws:PrincipalArn': ['arn:aws:iam::111111111111:role/a', 'arn:aws:iam::111111111111:role/b'] },
          },
        },
      ],
    ],
    [
      'an external account role with its external id',
      { trustedRoleArns: ['arn:aws:iam::999999999999:role/vendor-reader'], externalId: 'vendor-abc-123' },
      [
        {
          Sid: 'TrustedRoles',
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::999999999999:role/vendor-reader'] },
          Action: ['sts:AssumeRole'],
          Condition: { StringEquals: { 'sts:ExternalId': 'vendor-abc-123' } },
        },
      ],
    ],
  ];
  it.each(cases)('%s', (_name, spec, statements) => {
    expect(buildTrustPolicy(spec, context)).toEqual({ Version: '2012-10-17', Statement: statements });
  });

  it('uses the registry partition for account roots', () => {
    const gov = trustContextFromRegistry(
      sampleRegistry((r) => {
        r.identity.region = 'us-gov-west-1';
      }),
    );
    const doc = buildTrustPolicy({ accountRoots: [{ accountId: '111111111111', principalArns: ['arn:aws-us-gov:iam::111111111111:role/ci'] }] }, gov);
    expect(doc.Statement[0].Principal.AWS).toEqual(['arn:aws-us-gov:iam::111111111111:root']);
  });
});

/** The problems a spec is refused with, or [] when it builds. */
function problemsOf(spec: TrustPolicySpec): readonly string[] {
  return thrownProblems(() => buildTrustPolicy(spec, context));
}

describe('buildTrustPolicy refuses broad or malformed specs, naming field and value', () => {
  const ROOT = (principalArns: string[] | undefined, extra: object = {}): TrustPolicySpec => ({
    accountRoots: [{ accountId: '111111111111', principalArns: principalArns as string[], ...extra }],
  });
  /** A case refusing the one narrowing value `arn`: the expected sentence starts with field and value, then `rest`. */
  const NARROW = (name: string, arn: string, rest: string, extra: object = {}): [string, TrustPolicySpec, string] => [
    name,
    ROOT([arn], extra),
    `accountRoots[0].principalArns[0] ${JSON.stringify(arn)} ${rest}`,
  ];
  const cases: Array<[string, TrustPolicySpec, string]> = [
    ['no principals at all', {}, 'the spec trusts no principal; set trustedRoleArns (exact role ARNs) or accountRoots (an account narrowed by principalArns).'],
    ['empty role list', { trustedRoleArns: [] }, 'trustedRoleArns [] is empty; leave it out or name the role ARNs that may assume the role.'],
    ['empty account-root list', { trustedRoleArns: [HUB], accountRoots: [] }, 'accountRoots [] is empty; leave it out or name the accounts with their principalArns.'],
    ['any principal', { trustedRoleArns: ['*'] }, 'trustedRoleArns[0] "*" contains a wildcard; name each role ARN exactly, or trust a family of roles with accountRoots and an ArnLike principalArns pattern.'],
    ['wildcard role name', { trustedRoleArns: [HUB, 'arn:aws:iam::012345678901:role/ci-*'] }, 'trustedRoleArns[1] "arn:aws:iam::012345678901:role/ci-*" contains a wildcard;'],
    ['wildcard account', { trustedRoleArns: ['arn:aws:iam::*:role/x'] }, 'trustedRoleArns[0] "arn:aws:iam::*:role/x" contains a wildcard;'],
    [
      'account root as a role ARN',
      { trustedRoleArns: ['arn:aws:iam::111111111111:root'] },
      'trustedRoleArns[0] "arn:aws:iam::111111111111:root" is not a role ARN (arn:aws:iam::<12-digit account>:role/<name>); to trust an account root use accountRoots with principalArns.',
    ],
    [
      'role outside the registry',
      { trustedRoleArns: ['arn:aws:iam::444444444444:role/ci'] },
      'trustedRoleArns[0] "arn:aws:iam::444444444444:role/ci" names account 444444444444, which is not in the registry; trust only the identity account, the registry\'s accounts, or a registry external account together with externalId.',
    ],
    [
      'external account without an external id',
      { trustedRoleArns: ['arn:aws:iam::999999999999:role/vendor'] },
      'trustedRoleArns[0] "arn:aws:iam::999999999999:role/vendor" is in external account 999999999999 ("example-monitoring-vendor"); a third party may be trusted only with externalId set (the confused-deputy guard).',
    ],
    [
      'root without narrowing',
      ROOT(undefined),
      'accountRoots[0].principalArns missing must name principals: an account root alone trusts every principal of account "111111111111" that its own IAM policies allow, so narrow it with aws:PrincipalArn (e.g. "arn:aws:iam::111111111111:role/ci/*").',
    ],
    ['root with an empty narrowing list', ROOT([]), 'accountRoots[0].principalArns [] must name principals: an account root alone trusts every principal'],
    ['root outside the registry', { accountRoots: [{ accountId: '444444444444', principalArns: ['arn:aws:iam::444444444444:role/x'] }] }, 'accountRoots[0].accountId "444444444444" names account 444444444444, which is not in the registry;'],
    ['root account id malformed', { accountRoots: [{ accountId: '*', principalArns: ['arn:aws:iam::111111111111:role/x'] }] }, 'accountRoots[0].accountId "*" is not a 12-digit AWS account id (keep it a string: "012345678901").'],
    NARROW('narrowing in another account', 'arn:aws:iam::333333333333:role/ci', 'is not in account "111111111111"; aws:PrincipalArn must narrow to principals of the trusted account.'),
    NARROW('narrowing with an account wildcard', 'arn:aws:iam::*:role/ci', 'is not in account "111111111111";'),
    NARROW('narrowing that matches everything', 'arn:aws:iam::111111111111:*', 'matches every principal of the account; narrow it to a path or name such as "arn:aws:iam::111111111111:role/ci/*".'),
    NARROW('narrowing that matches every role', 'arn:aws:iam::111111111111:role/*', 'matches every role of the account;'),
    NARROW('narrowing role* (no slash: every role)', 'arn:aws:iam::111111111111:role*', 'matches every role of the account;'),
    NARROW('narrowing *role/* (leading wildcard)', 'arn:aws:iam::111111111111:*role/*', 'matches every role of the account;'),
    NARROW('narrowing r* (prefix of role)', 'arn:aws:iam::111111111111:r*', 'matches every principal of the account;'),
    NARROW('narrowing that is a bare wildcard', '*', 'is not an IAM ARN in account "111111111111"; write a role or user ARN such as "arn:aws:iam::111111111111:role/ci/*".'),
    NARROW('ArnEquals with a pattern', 'arn:aws:iam::111111111111:role/ci/*', 'contains a wildcard but accountRoots[0].operator is "ArnEquals", which is for exact ARNs; use "ArnLike" for patterns.', { operator: 'ArnEquals' }),
    NARROW('narrowing with a wildcard partition', 'arn:*:iam::111111111111:role/ci', 'is not an IAM ARN in account "111111111111";'),
    NARROW('narrowing with a bare account id', '111111111111', 'is not an IAM ARN in account "111111111111";'),
    NARROW('narrowing to the account root', 'arn:aws:iam::111111111111:root', 'matches every principal of the account;'),
    NARROW('narrowing to a session', 'arn:aws:sts::111111111111:assumed-role/ci/*', 'matches every role of the account;'),
    // Refused since principalArns are read by the trust library: no IAM principal has such an ARN, so the narrowing matched nothing.
    NARROW('narrowing to a group (not a principal)', 'arn:aws:iam::111111111111:group/ci', 'is not an IAM ARN in account "111111111111" (it names "group", but an AWS principal must be an account root, role, user or assumed-role session); write a role or user ARN such as "arn:aws:iam::111111111111:role/ci/*".'),
    NARROW('narrowing to a role ARN under sts', 'arn:aws:sts::111111111111:role/ci', 'is not an IAM ARN in account "111111111111" (it names "role", but'),
    NARROW('narrowing with characters IAM refuses in names', 'arn:aws:iam::111111111111:role/a:b', 'is not an IAM ARN in account "111111111111" (it has resource "role/a:b" with characters IAM does not allow in names);'),
    NARROW('narrowing with an empty path segment', 'arn:aws:iam::111111111111:role//ci', 'is not an IAM ARN in account "111111111111" (it has an empty segment in role path "/ci");'),
    ['unknown operator', ROOT(['arn:aws:iam::111111111111:role/ci'], { operator: 'StringLike' }), 'accountRoots[0].operator "StringLike" must be "ArnLike" (patterns) or "ArnEquals" (exact ARNs).'],
    // Conditions never excuse a principal: the builder asks where each one stands before any condition.
    ['role outside the registry, with our organization', { trustedRoleArns: ['arn:aws:iam::444444444444:role/ci'], principalOrgId: 'o-exampleorg01' }, 'trustedRoleArns[0] "arn:aws:iam::444444444444:role/ci" names account 444444444444, which is not in the registry;'],
    ['wildcard role, with our organization', { trustedRoleArns: ['arn:aws:iam::012345678901:role/ci-*'], principalOrgId: 'o-exampleorg01' }, 'trustedRoleArns[0] "arn:aws:iam::012345678901:role/ci-*" contains a wildcard;'],
    ['root outside the registry, with an external id', { accountRoots: [{ accountId: '444444444444', principalArns: ['arn:aws:iam::444444444444:role/x'] }], externalId: 'abc-123' }, 'accountRoots[0].accountId "444444444444" names account 444444444444, which is not in the registry;'],
    ['role name longer than IAM allows', { trustedRoleArns: [`arn:aws:iam::012345678901:role/${'r'.repeat(65)}`] }, `trustedRoleArns[0] "arn:aws:iam::012345678901:role/${'r'.repeat(65)}" is not a role ARN (arn:aws:iam::<12-digit account>:role/<name>);`],
    ['wildcard partition', { trustedRoleArns: ['arn:*:iam::012345678901:role/ci'] }, 'trustedRoleArns[0] "arn:*:iam::012345678901:role/ci" contains a wildcard;'],
    ['bad external id', { trustedRoleArns: [HUB], externalId: 'x' }, 'externalId "x" is not a valid sts:ExternalId (2 to 1224 of letters, digits and +=,.@:/_-).'],
    ['MFA age zero', { trustedRoleArns: [HUB], mfa: { maxAgeSeconds: 0 } }, 'mfa.maxAgeSeconds 0 must be a whole number of seconds from 1 to 129600 (36 hours, the longest STS session).'],
    ['MFA age fractional', { trustedRoleArns: [HUB], mfa: { maxAgeSeconds: 1.5 } }, 'mfa.maxAgeSeconds 1.5 must be a whole number of seconds'],
    ['bad organization id', { trustedRoleArns: [HUB], principalOrgId: 'org-1' }, 'principalOrgId "org-1" is not an AWS Organizations id ("o-" then 10 to 32 lower-case letters or digits).'],
    ['another organization', { trustedRoleArns: [HUB], principalOrgId: 'o-otherorg999' }, 'principalOrgId "o-otherorg999" is not the registry\'s organization "o-exampleorg01"; use the registry\'s organizationId.'],
    ['empty session names', { trustedRoleArns: [HUB], sessionNames: [] }, 'sessionNames [] is empty; leave it out or list the exact sts:RoleSessionName values to allow.'],
    ['wildcard session name', { trustedRoleArns: [HUB], sessionNames: ['ci-*'] }, 'sessionNames[0] "ci-*" is not an exact sts:RoleSessionName (2 to 64 of letters, digits and +=,.@_-; no wildcards, pinning is exact).'],
    ['empty source identities', { trustedRoleArns: [HUB], sourceIdentities: [] }, 'sourceIdentities [] is empty; leave it out or list the exact sts:SourceIdentity values to allow.'],
    ['wildcard source identity', { trustedRoleArns: [HUB], sourceIdentities: ['*'] }, 'sourceIdentities[0] "*" is not an exact sts:SourceIdentity'],
  ];
  it.each(cases)('%s', (_name, spec, expected) => {
    const problems = problemsOf(spec);
    expect(problems.some((p) => p.startsWith(expected)), `expected one of\n${problems.join('\n')}\nto start with\n${expected}`).toBe(true);
  });

  it('lists every problem in one error, naming the source', () => {
    const spec: TrustPolicySpec = { trustedRoleArns: ['*', 'arn:aws:iam::444444444444:role/ci'], externalId: 'x', sessionNames: [] };
    expect(() => buildTrustPolicy(spec, { ...context, source: 'CrossAccountRole "dev-deploy"' })).toThrowError(
      [
        'CrossAccountRole "dev-deploy": the trust policy was refused with 4 problems:',
        '  - trustedRoleArns[0] "*" contains a wildcard; name each role ARN exactly, or trust a family of roles with accountRoots and an ArnLike principalArns pattern.',
        '  - trustedRoleArns[1] "arn:aws:iam::444444444444:role/ci" names account 444444444444, which is not in the registry; trust only the identity account, the registry\'s accounts, or a registry external account together with externalId.',
        '  - externalId "x" is not a valid sts:ExternalId (2 to 1224 of letters, digits and +=,.@:/_-).',
        '  - sessionNames [] is empty; leave it out or list the exact sts:RoleSessionName values to allow.',
      ].join('\n'),
    );
  });

  it('accepts every option together', () => {
    expect(
      problemsOf({
        trustedRoleArns: [HUB],
        accountRoots: [{ accountId: '111111111111', principalArns: ['arn:aws:iam::111111111111:role/ci/*'] }],
        externalId: 'abc-123',
        mfa: { maxAgeSeconds: 900 },
        principalOrgId: 'o-exampleorg01',
        sessionNames: ['alice'],
        sourceIdentities: ['alice'],
        allowTagSession: true,
      }),
    ).toEqual([]);
  });
});
