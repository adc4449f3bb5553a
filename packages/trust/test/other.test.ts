import { describe, expect, it } from 'vitest';
import { analyzeIdentityPolicy, analyzeTrustPolicy, checkMaxSessionDuration, normalizePolicy, type Finding } from '../src';
import { likeMatches } from '../src/conditions';
import { repeatedKey } from '../src/normalize';
import { CONFIG, GH, HUB } from './fixtures';

const keys = (fs: readonly Finding[]) => fs.map((f) => `${f.ruleId} ${f.severity} ${f.key}`);
const identity = (Statement: unknown) => ({ Version: '2012-10-17', Statement });

describe('analyzeIdentityPolicy', () => {
  it.each<[string, unknown, string[]]>([
    ['AssumeRole on "*"', identity({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }), ['identity-assume-any-role advisory identity-assume-any-role[Resource::*]']],
    ['"*" on "*"', identity({ Effect: 'Allow', Action: '*', Resource: '*' }), ['identity-assume-any-role advisory identity-assume-any-role[Resource::*]']],
    ['sts:* on any role in any account', identity([{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }, { Effect: 'Allow', Action: 'sts:*', Resource: 'arn:aws:iam::*:role/*' }]), ['identity-assume-any-role advisory identity-assume-any-role[Resource::arn:aws:iam::*:role/*]']],
    ['sts:Assume* with a wildcard partition', identity({ Effect: 'Allow', Action: 'sts:Assume*', Resource: ['arn:*:iam::*:role/deploy'] }), ['identity-assume-any-role advisory identity-assume-any-role[Resource::arn:*:iam::*:role/deploy]']],
    ['NotResource', identity({ Effect: 'Allow', Action: 'sts:AssumeRole', NotResource: HUB }), ['identity-assume-any-role advisory identity-assume-any-role[Resource::NotResource]']],
    ['one named role', identity({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: HUB }), []],
    ['any role of one account', identity({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::111111111111:role/*' }), []],
    ['bounded by aws:ResourceOrgID', identity({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*', Condition: { StringEquals: { 'aws:ResourceOrgID': 'o-exampleorg01' } } }), []],
    ['ResourceOrgID with IfExists does not bound', identity({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*', Condition: { StringEqualsIfExists: { 'aws:ResourceOrgID': 'o-exampleorg01' } } }), ['identity-assume-any-role advisory identity-assume-any-role[Resource::*]']],
    // ${aws:PrincipalAccount} / ${aws:PrincipalOrgID} are the holder's own account and organization: same-account, same-org roles only.
    ['bounded by aws:ResourceAccount = ${aws:PrincipalAccount}', identity({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*', Condition: { StringEquals: { 'aws:ResourceAccount': '${aws:PrincipalAccount}' } } }), []],
    ['bounded by aws:ResourceOrgID = ${aws:PrincipalOrgID}', identity({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*', Condition: { StringEquals: { 'aws:ResourceOrgID': '${aws:PrincipalOrgID}' } } }), []],
    ['a foreign ResourceAccount does not bound', identity({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*', Condition: { StringEquals: { 'aws:ResourceAccount': '444444444444' } } }), ['identity-assume-any-role advisory identity-assume-any-role[Resource::*]']],
    ['"s*" on "*" (expands to sts:AssumeRole)', identity({ Effect: 'Allow', Action: 's*', Resource: '*' }), ['identity-assume-any-role advisory identity-assume-any-role[Resource::*]']],
    ['a Deny', identity({ Effect: 'Deny', Action: 'sts:AssumeRole', Resource: '*' }), []],
    ['only TagSession', identity({ Effect: 'Allow', Action: 'sts:TagSession', Resource: '*' }), []],
    ['unreadable', 'nope', ['trust-malformed mandatory trust-malformed[Document]']],
  ])('%s', (_name, doc, expected) => {
    expect(keys(analyzeIdentityPolicy(doc, CONFIG))).toEqual(expected);
  });

  it('says what is wrong and how to fix it', () => {
    expect(analyzeIdentityPolicy(identity({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }), CONFIG)[0].message).toBe(
      'Statement 0 allows sts:AssumeRole on Resource "*": the holder can assume any role, in any account, that trusts its account. List the role ARNs it needs, or add "StringEquals": {"aws:ResourceOrgID": "o-exampleorg01"}.',
    );
  });
});

describe('checkMaxSessionDuration', () => {
  it.each<[number | undefined, number, string[]]>([
    [3600, 3600, []],
    [undefined, 3600, []],
    [43200, 3600, ['trust-max-session-duration advisory trust-max-session-duration[MaxSessionDuration]']],
    [undefined, 900, ['trust-max-session-duration advisory trust-max-session-duration[MaxSessionDuration]']],
    [100, 3600, ['trust-malformed mandatory trust-malformed[MaxSessionDuration]']],
    [1800, 3600, ['trust-malformed mandatory trust-malformed[MaxSessionDuration]']],
    [3600.5, 43200, ['trust-malformed mandatory trust-malformed[MaxSessionDuration]']],
  ])('%s seconds against a maximum of %s', (seconds, max, expected) => {
    expect(keys(checkMaxSessionDuration(seconds, { ...CONFIG, maxSessionDurationSeconds: max }))).toEqual(expected);
  });

  it('names the value, the limit and the fix', () => {
    expect(checkMaxSessionDuration(43200, CONFIG)[0].message).toBe(
      'MaxSessionDuration 43200 seconds exceeds the configured maximum of 3600 seconds; long sessions outlive revoked access. Set maxSessionDuration to 3600 or less.',
    );
    expect(checkMaxSessionDuration(100, CONFIG)[0].message).toBe('MaxSessionDuration 100 is not a whole number of seconds from 3600 to 43200; IAM refuses it.');
  });

  it('is dropped when the rule is disabled', () => {
    expect(checkMaxSessionDuration(43200, { ...CONFIG, rules: { 'trust-max-session-duration': 'disabled' } })).toEqual([]);
  });
});

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

describe('hostile sizes', () => {
  // No timing assertion: a quadratic duplicate check made these take tens of seconds, past the test timeout.
  it('judges 20,000 distinct principals once each, and 20,000 copies of one principal once', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => `arn:aws:iam::444444444444:role/r${i}`);
    const distinct = analyzeTrustPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: many }, Action: 'sts:AssumeRole' }] }, CONFIG);
    expect(distinct.length).toBe(20_000);
    expect(distinct[19_999].key).toBe('trust-untrusted-account[Principal::AWS::arn:aws:iam::444444444444:role/r19999]');
    const copies = analyzeTrustPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: new Array(20_000).fill('*') }, Action: new Array(20_000).fill('sts:*') }] }, CONFIG);
    expect(keys(copies)).toEqual([
      'trust-wildcard-action mandatory trust-wildcard-action[Action::sts:*]',
      'trust-any-principal mandatory trust-any-principal[Principal::AWS::*]',
      'trust-tag-session-broad advisory trust-tag-session-broad[Principal::AWS::*]',
    ]);
  });

  it('reports a condition key repeated in another case among many keys', () => {
    const block = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`aws:k${i}`, 'v']));
    const findings = analyzeTrustPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: HUB }, Action: 'sts:AssumeRole', Condition: { StringEquals: { ...block, 'AWS:K7': 'w' } } }] }, CONFIG);
    expect(findings.map((f) => f.message)).toEqual(['Statement 0: Condition.StringEquals names the key "AWS:K7" more than once in different letter case; IAM compares condition keys case-insensitively and refuses the duplicate. Write the key once.']);
  });
});
