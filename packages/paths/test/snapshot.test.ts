import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { unexplainedNodes } from '@trustline/contract';
import { formatProblem, organizationContract, parseAuthorizationDetails, parseOrganization, readSnapshot, type SnapshotFile } from '../src';
import { ORGANIZATION_SCHEMA_FILE, organizationSchemaText } from '../src/snapshot/schema-file';

const ORG = {
  organizationId: 'o-exampleorg01',
  managementAccountId: '000000000001',
  rootId: 'r-ab12',
  organizationalUnits: [{ id: 'ou-ab12-workload', parentId: 'r-ab12', name: 'workloads' }],
  accounts: [
    { accountId: '000000000001', name: 'management', parentId: 'r-ab12' },
    { accountId: '111111111111', name: 'dev', parentId: 'ou-ab12-workload' },
  ],
  policies: [
    {
      id: 'p-FullAWSAccess',
      type: 'SERVICE_CONTROL_POLICY',
      name: 'FullAWSAccess',
      content: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
      targets: ['r-ab12'],
    },
  ],
};

const TRUST = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::012345678901:role/hub' }, Action: 'sts:AssumeRole' }] };
const role = (name: string, account = '111111111111', trust: unknown = TRUST) => ({
  RoleName: name,
  Arn: `arn:aws:iam::${account}:role/${name}`,
  Path: '/',
  AssumeRolePolicyDocument: trust,
  RolePolicyList: [],
  AttachedManagedPolicies: [],
  Tags: [],
});
const gaad = (roles: unknown[], extra: Record<string, unknown> = {}) => ({ RoleDetailList: roles, UserDetailList: [], GroupDetailList: [], Policies: [], IsTruncated: false, ...extra });
const pretty = (v: unknown) => JSON.stringify(v, null, 2);
const messages = (problems: readonly { message: string }[]) => problems.map((p) => p.message);

describe('organization.json contract', () => {
  it('reads a sound organization, policy text parsed', () => {
    const read = parseOrganization('organization.json', pretty(ORG));
    expect(read.problems).toEqual([]);
    expect(read.organization?.accounts.map((a) => a.accountId)).toEqual(['000000000001', '111111111111']);
    expect(read.organization?.policies[0].content).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
  });

  it('has a sentence on every node (no problem is reported in the validator words)', () => {
    expect(unexplainedNodes(organizationContract.schema)).toEqual([]);
  });

  it('publishes organization.schema.json, and the committed file is current (npm run schemas)', () => {
    expect(fs.readFileSync(ORGANIZATION_SCHEMA_FILE, 'utf8'), 'organization.schema.json is out of date: run npm run schemas').toBe(organizationSchemaText());
  });

  const cases: { name: string; edit: (o: any) => void; line: number; column: number; message: RegExp }[] = [
    {
      name: 'unknown policy type',
      edit: (o) => (o.policies[0].type = 'TAG_POLICY'),
      line: 27,
      column: 15,
      message: /^policies\[0\]\.type "TAG_POLICY" is not a policy type the path engine reads; allowed are "SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"/,
    },
    {
      name: 'policy target naming no root, OU or account',
      edit: (o) => o.policies[0].targets.push('ou-ab12-missing1'),
      line: 32,
      column: 9,
      message: /^policies\[0\]\.targets\[1\] "ou-ab12-missing1" of "FullAWSAccess" names no root, OU or account of this file/,
    },
    {
      name: 'account parent naming no OU',
      edit: (o) => (o.accounts[1].parentId = 'ou-ab12-nowhere1'),
      line: 21,
      column: 19,
      message: /^accounts\[1\]\.parentId "ou-ab12-nowhere1" names no root or OU of this file; known are "r-ab12", "ou-ab12-workload"\.$/,
    },
    {
      name: 'account id as a number',
      edit: (o) => (o.accounts[1].accountId = 111111111111),
      line: 19,
      column: 20,
      message: /^accounts\[1\]\.accountId 111111111111 is a number; write the account id as a 12-digit string/,
    },
    {
      name: 'account listed twice',
      edit: (o) => o.accounts.push({ accountId: '111111111111', parentId: 'r-ab12' }),
      line: 24,
      column: 20,
      message: /^accounts\[2\]\.accountId "111111111111" is listed twice/,
    },
    {
      name: 'a field the contract does not know',
      edit: (o) => (o.accounts[1].parent = 'r-ab12'),
      line: 22,
      column: 17,
      message: /^accounts\[1\]\.parent is not a known field .*allowed are "accountId", "name", "parentId"\.$/,
    },
    {
      name: 'missing policies',
      edit: (o) => delete o.policies,
      line: 1,
      column: 1,
      message: /^policies is missing; write a list of policies/,
    },
    {
      name: 'policy content that does not parse',
      edit: (o) => (o.policies[0].content = '{"Version":"2012-10-17","Statement":[}'),
      line: 29,
      column: 18,
      message: /^policies\[0\]\.content of "FullAWSAccess" does not parse at line 1, column 38 of the document/,
    },
    {
      name: 'policy content repeating a key',
      edit: (o) => (o.policies[0].content = '{"Version":"2012-10-17","Statement":[],"Statement":[]}'),
      line: 29,
      column: 18,
      message: /^policies\[0\]\.content of "FullAWSAccess" repeats a key in one object at line 1, column 40/,
    },
    {
      name: 'OU that is its own ancestor',
      edit: (o) => (o.organizationalUnits[0].parentId = 'ou-ab12-workload'),
      line: 8,
      column: 19,
      message: /^organizationalUnits\[0\] "ou-ab12-workload" is its own ancestor/,
    },
  ];
  it.each(cases)('$name: one problem, at its line and column', ({ edit, line, column, message }) => {
    const org = structuredClone(ORG);
    edit(org);
    const read = parseOrganization('organization.json', pretty(org));
    expect(read.organization).toBeUndefined();
    expect(read.problems).toHaveLength(1);
    expect(read.problems[0]).toMatchObject({ file: 'organization.json', line, column });
    expect(read.problems[0].message).toMatch(message);
  });

  it('a key given twice makes the file unreadable, with its position', () => {
    const text = pretty(ORG).replace('"rootId": "r-ab12",', '"rootId": "r-ab12",\n  "rootId": "r-cd34",');
    const read = parseOrganization('organization.json', text);
    expect(read.organization).toBeUndefined();
    expect(read.problems.map(formatProblem)).toEqual([expect.stringMatching(/^organization\.json:5:3: the organization repeats a key in one object \(.*"rootId".*\); JSON readers disagree/)]);
  });

  it('text that is not JSON: one problem with its position', () => {
    const read = parseOrganization('organization.json', '{"organizationId": "o-exampleorg01",\n  "rootId" "r-ab12"}');
    expect(read.problems.map(formatProblem)).toEqual([expect.stringMatching(/^organization\.json:2:12: the organization is not valid JSON \(/)]);
  });
});

describe('get-account-authorization-details files', () => {
  it('merges a list of pages and keeps URL-encoded documents readable', () => {
    const encoded = encodeURIComponent(JSON.stringify(TRUST));
    const pages = [gaad([role('a')], { IsTruncated: true, Marker: 'm1' }), gaad([role('b', '111111111111', encoded)], { IsTruncated: false })];
    const read = parseAuthorizationDetails('111111111111.json', pretty(pages), '111111111111');
    expect(read.problems).toEqual([]);
    expect(read.account?.roles.map((r) => r.name)).toEqual(['a', 'b']);
    expect(read.account?.roles[1].trustPolicy).toEqual(TRUST);
  });

  it('reads users, groups, managed policies (default version), boundaries and tags', () => {
    const file = gaad([{ ...role('r'), PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: 'arn:aws:iam::111111111111:policy/b' }, Tags: [{ Key: 'team', Value: 'x' }] }], {
      UserDetailList: [{ UserName: 'u', Arn: 'arn:aws:iam::111111111111:user/u', Path: '/', GroupList: ['g'], UserPolicyList: [{ PolicyName: 'p', PolicyDocument: { Version: '2012-10-17', Statement: [] } }], AttachedManagedPolicies: [] }],
      GroupDetailList: [{ GroupName: 'g', Arn: 'arn:aws:iam::111111111111:group/g', GroupPolicyList: [], AttachedManagedPolicies: [{ PolicyName: 'b', PolicyArn: 'arn:aws:iam::111111111111:policy/b' }] }],
      Policies: [
        {
          PolicyName: 'b',
          Arn: 'arn:aws:iam::111111111111:policy/b',
          DefaultVersionId: 'v2',
          PolicyVersionList: [
            { VersionId: 'v1', IsDefaultVersion: false, Document: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] } },
            { VersionId: 'v2', IsDefaultVersion: true, Document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:*', Resource: '*' }] } },
          ],
        },
      ],
    });
    const read = parseAuthorizationDetails('111111111111.json', pretty(file), '111111111111');
    expect(read.problems).toEqual([]);
    const a = read.account!;
    expect(a.roles[0]).toMatchObject({ permissionsBoundaryArn: 'arn:aws:iam::111111111111:policy/b', tags: { team: 'x' } });
    expect(a.users[0]).toMatchObject({ groups: ['g'], inlinePolicies: [{ id: 'arn:aws:iam::111111111111:user/u#inline/p' }] });
    expect(a.groups[0].managedPolicyArns).toEqual(['arn:aws:iam::111111111111:policy/b']);
    expect(a.managedPolicies.get('arn:aws:iam::111111111111:policy/b')).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:*', Resource: '*' }] });
  });

  const cases: { name: string; text: () => string; line?: number; column?: number; message: RegExp; read: boolean }[] = [
    {
      name: 'truncated (IsTruncated true on the last page)',
      text: () => pretty([gaad([role('a')], { IsTruncated: true, Marker: 'm1' }), gaad([role('b')], { IsTruncated: true, Marker: 'm2' })]),
      line: 57,
      column: 20,
      message: /^the IAM of account 111111111111 is truncated: the last page says "IsTruncated": true \(marker "m2"\)/,
      read: true,
    },
    {
      name: 'a URL-encoded trust policy that does not parse',
      text: () => pretty(gaad([role('a', '111111111111', '%7B%22Version%22%3A')])),
      line: 7,
      column: 35,
      message: /^the trust policy of role "a" does not parse at line 1, column 12 of the URL-decoded document/,
      read: true,
    },
    {
      name: 'a malformed %-escape',
      text: () => pretty(gaad([role('a', '111111111111', '%7B%ZZ')])),
      line: 7,
      column: 35,
      message: /^the trust policy of role "a" is URL-encoded but does not decode/,
      read: true,
    },
    {
      name: 'an inline policy repeating a key',
      text: () => pretty(gaad([{ ...role('a'), RolePolicyList: [{ PolicyName: 'p', PolicyDocument: '{"Version":"2012-10-17","Statement":[],"Statement":[]}' }] }])),
      line: 22,
      column: 29,
      message: /^role "a" inline policy "p" repeats a key in one object at line 1, column 40/,
      read: true,
    },
    {
      name: 'a role of another account',
      text: () => pretty(gaad([role('a', '222222222222')])),
      line: 5,
      column: 14,
      message: /^role "a" Arn "arn:aws:iam::222222222222:role\/a" is not in account 111111111111 \(the file is named 111111111111\.json\)/,
      read: true,
    },
    {
      name: 'a key given twice in the file',
      text: () => pretty(gaad([role('a')])).replace('"IsTruncated": false', '"IsTruncated": false,\n  "IsTruncated": true'),
      line: 28,
      column: 3,
      message: /^the IAM of account 111111111111 repeats a key in one object/,
      read: false,
    },
    {
      name: 'not JSON',
      text: () => '{"RoleDetailList": [',
      line: 1,
      column: 21,
      message: /^the IAM of account 111111111111 is not valid JSON/,
      read: false,
    },
    {
      name: 'JSON but not GAAD output',
      text: () => pretty({ Version: '2012-10-17', Statement: [] }),
      line: 1,
      column: 1,
      message: /^111111111111\.json is not aws iam get-account-authorization-details output/,
      read: false,
    },
  ];
  it.each(cases)('$name: one problem at its line and column', ({ text, line, column, message, read }) => {
    const result = parseAuthorizationDetails('111111111111.json', text(), '111111111111');
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ file: '111111111111.json', line, column });
    expect(result.problems[0].message).toMatch(message);
    expect(result.account !== undefined).toBe(read);
  });
});

describe('readSnapshot: the folder as a whole', () => {
  const file = (name: string, value: unknown): SnapshotFile => ({ name, bytes: pretty(value) });

  it('an account without its file is unreadable, with the reason, and reported', () => {
    const read = readSnapshot({ organization: file('organization.json', ORG), accounts: [file('000000000001.json', gaad([]))] });
    expect(read.snapshot.accounts.find((a) => a.accountId === '111111111111')).toMatchObject({ status: 'unreadable', reason: 'no 111111111111.json in the snapshot' });
    expect(read.problems.map(formatProblem)).toEqual([
      'organization.json: account 111111111111 (dev) is in the organization but its IAM is missing (no 111111111111.json in the snapshot); it is unreadable, and every path through it is reported as "unknown". Add its get-account-authorization-details output as 111111111111.json.',
    ]);
  });

  it("collect.json gives an unreadable account collect's reason, and its problems are reported, not dropped", () => {
    const report = {
      schemaVersion: 1,
      collectedAt: '2026-12-07T21:00:00.000Z',
      caller: 'arn:aws:iam::000000000001:user/admin',
      organizationReadAs: 'arn:aws:iam::000000000001:user/admin',
      accounts: [
        { accountId: '000000000001', status: 'read', readAs: 'arn:aws:iam::000000000001:role/hub' },
        { accountId: '111111111111', status: 'unreadable', readAs: 'arn:aws:iam::111111111111:role/deploy', code: 'access-denied', reason: 'the hub may not assume it.' },
      ],
      problems: [{ code: 'organizations-access-denied', where: 'ListPolicies RESOURCE_CONTROL_POLICY', message: 'ListPolicies RESOURCE_CONTROL_POLICY failed (AccessDenied: no).' }],
    };
    const read = readSnapshot({ organization: file('organization.json', ORG), collect: file('collect.json', report), accounts: [file('000000000001.json', gaad([]))] });
    expect(read.snapshot.accounts.find((a) => a.accountId === '111111111111')).toMatchObject({ status: 'unreadable', reason: 'collect could not read it (access-denied: the hub may not assume it.)' });
    expect(read.problems.map(formatProblem)).toEqual([
      'collect.json: trust-guard collect: organizations-access-denied [ListPolicies RESOURCE_CONTROL_POLICY]: ListPolicies RESOURCE_CONTROL_POLICY failed (AccessDenied: no).',
      'collect.json: account 111111111111 (dev) is in the organization but its IAM is missing (collect could not read it (access-denied: the hub may not assume it.)); it is unreadable, and every path through it is reported as "unknown". Fix what the reason says and collect again.',
    ]);
  });

  it('a collect.json that breaks its contract is a problem with its position, and the accounts fall back to "no file"', () => {
    const read = readSnapshot({ organization: file('organization.json', ORG), collect: file('collect.json', { schemaVersion: 2, accounts: [] }), accounts: [file('000000000001.json', gaad([]))] });
    expect(read.problems[0]).toMatchObject({ file: 'collect.json', line: 1, column: 1 });
    expect(read.problems.map((p) => p.message)).toContain('schemaVersion 2 is not a version this reader knows; it reads 1.');
    expect(read.snapshot.accounts.find((a) => a.accountId === '111111111111')).toMatchObject({ status: 'unreadable', reason: 'no 111111111111.json in the snapshot' });
  });

  it('an account file that cannot be read makes its account unreadable, not absent', () => {
    const read = readSnapshot({ organization: file('organization.json', ORG), accounts: [file('000000000001.json', gaad([])), { name: '111111111111.json', bytes: '{' }] });
    const dev = read.snapshot.accounts.find((a) => a.accountId === '111111111111');
    expect(dev?.status).toBe('unreadable');
    expect(dev?.reason).toMatch(/^111111111111\.json could not be read: the IAM of account 111111111111 is not valid JSON/);
    expect(read.problems).toHaveLength(1);
  });

  it('without organization.json: an account given by id under any label is read, and one given as unreadable is unreadable with its reason, not absent', () => {
    const read = readSnapshot({
      accounts: [{ name: 'account dev (111111111111)', accountId: '111111111111', bytes: pretty(gaad([role('deploy')])) }],
      unreadable: [{ accountId: '222222222222', reason: 'access-denied: the hub may not assume it.' }],
    });
    expect(read.problems).toEqual([]);
    expect(read.snapshot.accounts.map((a) => [a.accountId, a.status, a.reason ?? null, a.roles.map((r) => r.arn)])).toEqual([
      ['111111111111', 'read', null, ['arn:aws:iam::111111111111:role/deploy']],
      ['222222222222', 'unreadable', 'access-denied: the hub may not assume it.', []],
    ]);
    // A problem of the file names its label, not an <accountId>.json that does not exist.
    const broken = readSnapshot({ accounts: [{ name: 'account dev (111111111111)', accountId: '111111111111', bytes: '{' }] });
    expect(broken.problems.map((p) => p.file)).toEqual(['account dev (111111111111)']);
    expect(broken.snapshot.accounts[0]).toMatchObject({ accountId: '111111111111', status: 'unreadable' });
  });

  it('an account given both as unreadable and with its IAM is read, and the contradiction is a problem', () => {
    const read = readSnapshot({ accounts: [file('111111111111.json', gaad([role('deploy')]))], unreadable: [{ accountId: '111111111111', reason: 'timeout' }] });
    expect(read.snapshot.accounts.map((a) => a.status)).toEqual(['read']);
    expect(read.problems.map(formatProblem)).toEqual(['111111111111.json: account 111111111111 is given as unreadable (timeout) and with its IAM; the IAM is read.']);
  });

  it('an account file for an account outside organization.json is read and reported', () => {
    const read = readSnapshot({ organization: file('organization.json', ORG), accounts: [file('000000000001.json', gaad([])), file('111111111111.json', gaad([])), file('222222222222.json', gaad([role('x', '222222222222')]))] });
    expect(read.snapshot.accounts.map((a) => [a.accountId, a.status])).toEqual([
      ['000000000001', 'read'],
      ['111111111111', 'read'],
      ['222222222222', 'read'],
    ]);
    expect(messages(read.problems)).toEqual([expect.stringMatching(/^account 222222222222 has an IAM file but is not in organization\.json/)]);
  });

  it('loose files: GAAD output (account from its ARNs), a trust policy document, and what is neither', () => {
    const read = readSnapshot({
      loose: [
        file('dump.json', gaad([role('a', '333333333333')])),
        file('vendor-trust.json', TRUST),
        file('identity.json', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] }),
        file('preview.json', { steps: [] }),
      ],
    });
    expect(read.snapshot.organization).toBeUndefined();
    expect(read.snapshot.accounts.map((a) => [a.accountId, a.roles.map((r) => r.arn)])).toEqual([
      ['000000000000', ['arn:aws:iam::000000000000:role/vendor-trust']],
      ['333333333333', ['arn:aws:iam::333333333333:role/a']],
    ]);
    expect(read.problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^identity\.json:1:1: identity\.json is an identity policy document: alone it belongs to no principal/),
      expect.stringMatching(/^preview\.json:1:1: preview\.json is JSON but no snapshot input/),
    ]);
  });

  it('the same account in two files: the second is reported, not merged', () => {
    const read = readSnapshot({ accounts: [file('111111111111.json', gaad([role('a')]))], loose: [file('more.json', gaad([role('b')]))] });
    expect(read.snapshot.accounts[0].roles.map((r) => r.name)).toEqual(['a']);
    expect(read.problems.map(formatProblem)).toEqual(['more.json: account 111111111111 is given by more than one file; more.json is not read (keep one file per account).']);
  });
});
