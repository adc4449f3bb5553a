import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectInput, FORMAT_NAMES } from '../src/inputs/detect';
import { readInput } from '../src/inputs/read';
import { resourceSubjects } from '@trustline/trust-guard';
import { fixture, FIXTURES, UNKNOWN } from './helpers';

const load = (name: string): unknown => JSON.parse(fs.readFileSync(fixture(name), 'utf8'));
const ANY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}';
const HUB_TRUST = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::012345678901:role/trustline-hub"},"Action":"sts:AssumeRole"}]}';

describe('detectInput', () => {
  it.each([
    ['trust-any-principal.json', 'policy-document', 'trust'],
    ['trust-clean.json', 'policy-document', 'trust'],
    ['identity-assume-any-role.json', 'policy-document', 'identity'],
    ['identity-clean.json', 'policy-document', 'identity'],
  ])('%s is a %s (%s)', (name, format, kind) => {
    const d = detectInput(load(name), name);
    expect(d).toEqual({
      ok: true,
      format,
      subjects: [{ source: name, name, type: 'IAM policy document', kind, location: 'document', document: load(name) }],
    });
  });

  it('treats a single-statement object with NotPrincipal as a trust policy', () => {
    const doc = { Version: '2012-10-17', Statement: { Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole' } };
    const d = detectInput(doc, 'dir/np.json');
    expect(d.ok && d.subjects.map((s) => [s.name, s.kind])).toEqual([['np.json', 'trust']]);
  });

  it('reads pulumi preview --json: new states of roles, unknown documents marked, deletions and other types skipped', () => {
    const d = detectInput(load('preview.json'), 'preview.json');
    expect(d).toEqual({
      ok: true,
      format: 'pulumi-preview',
      subjects: [
        {
          source: 'preview.json',
          name: 'open-role',
          urn: 'urn:pulumi:dev::dev::aws:iam/role:Role::open-role',
          type: 'aws:iam/role:Role',
          kind: 'trust',
          location: 'assumeRolePolicy',
          document: ANY,
          maxSessionDuration: 3600,
        },
        {
          source: 'preview.json',
          name: 'computed-role',
          urn: 'urn:pulumi:dev::dev::aws:iam/role:Role::computed-role',
          type: 'aws:iam/role:Role',
          kind: 'trust',
          location: 'assumeRolePolicy',
          document: UNKNOWN,
          unknown: true,
        },
        {
          source: 'preview.json',
          name: 'hub-role',
          urn: 'urn:pulumi:dev::dev::aws:iam/role:Role::hub-role',
          type: 'aws:iam/role:Role',
          kind: 'trust',
          location: 'assumeRolePolicy',
          document: HUB_TRUST,
        },
      ],
    });
  });

  it('reads pulumi stack export: role trust and inline policies, managed policies; outputs when inputs are empty', () => {
    const d = detectInput(load('stack-export.json'), 'stack-export.json');
    expect(d.ok && d.format).toBe('pulumi-stack-export');
    expect(d.ok && d.subjects.map((s) => [s.name, s.type, s.kind, s.location])).toEqual([
      ['vendor-role', 'aws:iam/role:Role', 'trust', 'assumeRolePolicy'],
      ['vendor-role', 'aws:iam/role:Role', 'identity', 'inlinePolicies[0].policy'],
      ['read-only', 'aws:iam/policy:Policy', 'identity', 'policy'],
    ]);
    const clean = detectInput(load('stack-export-clean.json'), 'clean.json');
    expect(clean.ok && clean.subjects[0].document).toContain('"sts:ExternalId":"vendor-7f3c9a1e"');
  });

  it('reads get-account-authorization-details: roles (URL-encoded or object), user and group inline policies, default policy versions', () => {
    const d = detectInput(load('authorization-details.json'), 'gaad.json');
    expect(d.ok && d.format).toBe('account-authorization-details');
    expect(d.ok && d.subjects.map((s) => [s.name, s.urn, s.type, s.kind, s.location])).toEqual([
      ['wide-open', 'arn:aws:iam::111111111111:role/wide-open', 'AWS::IAM::Role', 'trust', 'AssumeRolePolicyDocument'],
      ['trustline-deploy', 'arn:aws:iam::111111111111:role/trustline-deploy', 'AWS::IAM::Role', 'trust', 'AssumeRolePolicyDocument'],
      ['deployer', 'arn:aws:iam::111111111111:user/deployer', 'AWS::IAM::User', 'identity', 'UserPolicyList["assume-anything"]'],
      ['old-broad', 'arn:aws:iam::111111111111:policy/old-broad', 'AWS::IAM::ManagedPolicy', 'identity', 'PolicyVersionList["v2"]'],
    ]);
    // The URL-encoded trust policy is passed on as the API returned it; the analyzer decodes it.
    expect(d.ok && d.subjects[0].document).toMatch(/^%7B%22Version/);
  });

  it.each([
    [[1, 2], `it is JSON but not ${FORMAT_NAMES} (the top level is a list, not an object)`],
    ['text', `it is JSON but not ${FORMAT_NAMES} (the top level is "text", not an object)`],
    [{ name: 'x', version: '1' }, `it is JSON but not ${FORMAT_NAMES} (top-level keys: "name", "version")`],
  ])('rejects %j', (json, problem) => {
    expect(detectInput(json, 'x.json')).toEqual({ ok: false, problem });
  });
});

describe('readInput', () => {
  it('names JSON syntax errors', () => {
    const r = readInput('not-json.json', FIXTURES);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problem).toBe('not valid JSON: line 2, column 1: expected a value (an object, list, string, number, true, false or null), found the end of the file');
  });

  it('names a missing file and a directory', () => {
    expect(readInput('nope.json', FIXTURES)).toEqual({ ok: false, problem: 'no such file' });
    expect(readInput('.', FIXTURES)).toEqual({ ok: false, problem: 'it is a directory, not a file' });
  });
});

describe('resourceSubjects', () => {
  const res = (type: string) => ({ source: 'pulumi', type, name: 'r', urn: `urn:pulumi:dev::dev::${type}::r` });

  it('reads aws-native roles (assumeRolePolicyDocument object, policies[].policyDocument)', () => {
    const doc = JSON.parse(HUB_TRUST);
    const subjects = resourceSubjects(res('aws-native:iam:Role'), { assumeRolePolicyDocument: doc, policies: [{ policyName: 'p', policyDocument: { Statement: [] } }] });
    expect(subjects.map((s) => [s.kind, s.location, s.document])).toEqual([
      ['trust', 'assumeRolePolicyDocument', doc],
      ['identity', 'policies[0].policyDocument', { Statement: [] }],
    ]);
  });

  it.each(['aws:iam/policy:Policy', 'aws:iam/rolePolicy:RolePolicy', 'aws:iam/userPolicy:UserPolicy', 'aws:iam/groupPolicy:GroupPolicy'])('reads the policy of %s', (type) => {
    expect(resourceSubjects(res(type), { policy: '{"Statement":[]}' }).map((s) => [s.kind, s.location, s.document])).toEqual([['identity', 'policy', '{"Statement":[]}']]);
  });

  it('marks a document with an unknown value nested inside as unknown, and ignores an unknown maxSessionDuration', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: UNKNOWN }, Action: 'sts:AssumeRole' }] };
    expect(resourceSubjects(res('aws:iam/role:Role'), { assumeRolePolicy: doc, maxSessionDuration: UNKNOWN })).toEqual([
      { source: 'pulumi', name: 'r', urn: 'urn:pulumi:dev::dev::aws:iam/role:Role::r', type: 'aws:iam/role:Role', kind: 'trust', location: 'assumeRolePolicy', document: doc, unknown: true },
    ]);
  });

  it('skips emptied inline policies and other resource types', () => {
    expect(resourceSubjects(res('aws:iam/role:Role'), { assumeRolePolicy: HUB_TRUST, inlinePolicies: [{}] })).toHaveLength(1);
    expect(resourceSubjects(res('aws:s3/bucketV2:BucketV2'), { policy: ANY })).toEqual([]);
  });
});
