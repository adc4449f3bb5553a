// analyzeIdentityPolicy: identity-assume-any-role, and the shapes IAM refuses in an identity policy.
import { describe, expect, it } from 'vitest';
import { analyzeIdentityPolicy, type Finding } from '../src';
import { CONFIG, HUB } from './fixtures';

const identity = (Statement: unknown) => ({ Version: '2012-10-17', Statement });

const keys = (fs: readonly Finding[]) => fs.map((f) => `${f.ruleId} ${f.severity} ${f.key}`);

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

describe('analyzeIdentityPolicy reports shapes IAM refuses as trust-malformed (mandatory), never "no findings"', () => {
  const judge = (doc: unknown) => analyzeIdentityPolicy(doc, CONFIG).map((f) => [f.ruleId, f.severity, f.key, f.message]);
  it.each([
    [
      'an empty statement list',
      { Version: '2012-10-17', Statement: [] },
      [['trust-malformed', 'mandatory', 'trust-malformed[Statement]', 'The identity policy cannot be validated: Statement is an empty list; add at least one statement.']],
    ],
    [
      'a statement that is a list',
      { Version: '2012-10-17', Statement: [[{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]] },
      [['trust-malformed', 'mandatory', 'trust-malformed[Statement::0::Statement]', 'The identity policy cannot be validated: Statement 0 [{"Effect":"Allow","Action":"s3:*","Resource":"*"}] is not an object.']],
    ],
    [
      'a statement that is a number',
      { Version: '2012-10-17', Statement: [1] },
      [['trust-malformed', 'mandatory', 'trust-malformed[Statement::0::Statement]', 'The identity policy cannot be validated: Statement 0 1 is not an object.']],
    ],
    [
      'no Statement',
      { Version: '2012-10-17' },
      [['trust-malformed', 'mandatory', 'trust-malformed[Statement]', 'The identity policy cannot be validated: The policy document has no Statement; add at least one statement.']],
    ],
    [
      'an empty statement',
      { Version: '2012-10-17', Statement: [{}] },
      [
        [
          'trust-malformed',
          'mandatory',
          'trust-malformed[Statement::0]',
          'Statement 0 of the identity policy lacks a valid Effect ("Allow" or "Deny"), an Action or NotAction and a Resource or NotResource; IAM refuses it, so what it grants cannot be judged. Write "Effect", "Action" and "Resource".',
        ],
      ],
    ],
    [
      'a statement without Resource',
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject' }] },
      [['trust-malformed', 'mandatory', 'trust-malformed[Statement::0]', 'Statement 0 of the identity policy lacks a Resource or NotResource; IAM refuses it, so what it grants cannot be judged. Write "Effect", "Action" and "Resource".']],
    ],
  ])('%s', (_name, doc, expected) => {
    expect(judge(doc)).toEqual(expected);
  });

  it('a well-formed identity policy still has no findings', () => {
    expect(judge({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] })).toEqual([]);
  });
});
