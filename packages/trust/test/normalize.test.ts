// The normaliser: the canonical model, wildcard matching, and repeated keys in JSON text.
import { describe, expect, it } from 'vitest';
import { normalizePolicy } from '../src';
import { likeMatches } from '../src/conditions';
import { repeatedKey } from '../src/normalize';
import { GH, HUB } from './fixtures';

describe('normalizePolicy', () => {
  it('types principals with partition, account, name and wildcard flag', () => {
    const doc = normalizePolicy({
      Version: '2012-10-17',
      Statement: {
        Effect: 'Allow',
        Principal: {
          AWS: ['*', '111111111111', 'arn:aws-us-gov:iam::222222222222:role/a/b/deploy', 'arn:aws:iam::333333333333:user/alice', 'arn:aws-cn:sts::012345678901:assumed-role/hub/s1', 'arn:aws:iam::*:role/ci'],
          Federated: [GH, 'arn:aws:iam::012345678901:saml-provider/Okta', 'cognito-identity.amazonaws.com'],
          Service: 'events.amazonaws.com.cn',
          CanonicalUser: 'f'.repeat(64),
        },
        Action: ['STS:AssumeRole', 'sts:Assume*'],
        Condition: { 'ForAnyValue:StringLikeIfExists': { 'AWS:PrincipalOrgID': 'o-exampleorg01' }, Bool: { 'aws:MultiFactorAuthPresent': true } },
      },
    });
    expect(doc.problems).toEqual([]);
    const [s] = doc.statements;
    expect(s.principals.map((p) => [p.ref, p.kind, p.partition, p.accountId, p.name, p.wildcard])).toEqual([
      ['AWS::*', 'any', undefined, undefined, undefined, false],
      ['AWS::111111111111', 'account', undefined, '111111111111', undefined, false],
      ['AWS::arn:aws-us-gov:iam::222222222222:role/a/b/deploy', 'role', 'aws-us-gov', '222222222222', 'deploy', false],
      ['AWS::arn:aws:iam::333333333333:user/alice', 'user', 'aws', '333333333333', 'alice', false],
      ['AWS::arn:aws-cn:sts::012345678901:assumed-role/hub/s1', 'assumed-role', 'aws-cn', '012345678901', 'hub', false],
      ['AWS::arn:aws:iam::*:role/ci', 'role', 'aws', undefined, 'ci', true],
      [`Federated::${GH}`, 'web-identity', 'aws', '111111111111', 'token.actions.githubusercontent.com', false],
      ['Federated::arn:aws:iam::012345678901:saml-provider/Okta', 'saml', 'aws', '012345678901', 'Okta', false],
      ['Federated::cognito-identity.amazonaws.com', 'web-identity', undefined, undefined, 'cognito-identity.amazonaws.com', false],
      ['Service::events.amazonaws.com.cn', 'service', undefined, undefined, 'events.amazonaws.com', false],
      [`CanonicalUser::${'f'.repeat(64)}`, 'canonical-user', undefined, undefined, undefined, false],
    ]);
    expect(s.actions).toEqual(['sts:assumerole', 'sts:assume*']);
    expect(s.trustActions).toEqual(['sts:assumerole', 'sts:assumerolewithwebidentity', 'sts:assumerolewithsaml']);
    expect(s.conditions).toEqual([
      { operator: 'ForAnyValue:StringLikeIfExists', baseOperator: 'StringLike', ifExists: true, qualifier: 'ForAnyValue', negated: false, key: 'aws:principalorgid', values: ['o-exampleorg01'] },
      { operator: 'Bool', baseOperator: 'Bool', ifExists: false, qualifier: undefined, negated: false, key: 'aws:multifactorauthpresent', values: ['true'] },
    ]);
  });

  it('expands NotAction to the trust actions it leaves', () => {
    const [s] = normalizePolicy({ Statement: [{ Effect: 'Allow', Principal: '*', NotAction: ['sts:TagSession', 'sts:SetSourceIdentity', 'sts:SetContext'] }] }).statements;
    expect(s.trustActions).toEqual(['sts:assumerole', 'sts:assumerolewithwebidentity', 'sts:assumerolewithsaml']);
    expect(s.notAction).toBe(true);
  });

  it('reads URL-encoded and double-encoded JSON', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: HUB }, Action: 'sts:AssumeRole' }] };
    expect(normalizePolicy(encodeURIComponent(JSON.stringify(doc))).statements[0].principals[0].ref).toBe(`AWS::${HUB}`);
    expect(normalizePolicy(JSON.stringify(JSON.stringify(doc))).statements[0].principals[0].ref).toBe(`AWS::${HUB}`);
  });

  it('reports problems instead of throwing', () => {
    const doc = normalizePolicy({ Version: 1, Extra: true, Statement: [7, { Effect: 'Allow', Principal: { AWS: [null] }, Action: 5, Condition: { StringEquals: { k: { a: 1 } } } }] });
    expect(doc.problems.map((p) => p.message)).toEqual([
      'The policy document has unknown field "Extra"; allowed are Version, Id and Statement.',
      'Version 1 must be the string "2012-10-17".',
      'Statement 0 7 is not an object.',
      'Statement 1: Principal.AWS value null is not a string; write principals as strings.',
      'Statement 1: Action 5 must be a string or a list of strings such as "sts:AssumeRole".',
      'Statement 1: Condition.StringEquals.k {"a":1} must be a string, number, boolean or a list of them.',
    ]);
  });
});

describe('likeMatches (StringLike and action wildcards)', () => {
  it.each<[string, string, boolean]>([
    ['sts:*', 'sts:assumerole', true],
    ['st?:*', 'sts:tagsession', true],
    ['*e*', 'sts:setcontext', true],
    ['sts:assume*', 'sts:tagsession', false],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'acb', false],
    ['a*b', 'ab', true],
    ['*', '', true],
    ['?', '', false],
    ['a?', 'a', false],
    ['unauth*', 'unauthenticated', true],
    ['*authenticated', 'unauthenticated', true],
    ['authenticated', 'unauthenticated', false],
  ])('%s against %s is %s', (pattern, value, expected) => {
    expect(likeMatches(pattern, value)).toBe(expected);
  });
});

describe('repeatedKey', () => {
  const keys20 = Array.from({ length: 20 }, (_, i) => `"k${i}":1`).join(',');
  it.each<[string, string, string | undefined]>([
    ['no repeat', '{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]}', undefined],
    ['a repeat at the top', '{"a":1,"b":2,"a":3}', 'a'],
    ['a repeat in a nested object', '{"a":{"x":1,"x":2}}', 'x'],
    ['a repeat hidden by an escape', '{"Effect":"Deny","Eff\\u0065ct":"Allow"}', 'Effect'],
    ['keys inside string values are not keys', '{"a":"{\\"a\\":1}","b":"\\"a\\":"}', undefined],
    ['a repeat after many keys (set lookup)', `{${keys20},"k3":2}`, 'k3'],
    ['many keys without repeat', `{${keys20}}`, undefined],
    ['whitespace before the colon', '{"a" : 1, "a"\n:2}', 'a'],
  ])('%s', (_name, text, expected) => {
    JSON.parse(text);
    expect(repeatedKey(text)).toBe(expected);
  });
});
