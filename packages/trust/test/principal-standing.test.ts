// Where a principal stands before conditions (principalStanding), the account-root ARN, the account of a principal ARN (principalAccount), the role and user
// name limits of classifyPrincipal, and which aws:PrincipalArn values narrow an account (namesPrincipals).
import { describe, expect, it } from 'vitest';
import { accountRootArn, accountSets, classifyPrincipal, namesPrincipals, principalAccount, principalStanding, type PrincipalStanding } from '../src';
import { CONFIG, HUB } from './fixtures';

describe('principalStanding', () => {
  const accounts = accountSets(CONFIG);
  const cases: Array<[string, string, PrincipalStanding]> = [
    ['AWS', HUB, 'trusted'],
    ['AWS', 'arn:aws:iam::111111111111:root', 'trusted'],
    ['AWS', '111111111111', 'trusted'],
    ['AWS', 'arn:aws:iam::111111111111:user/alice', 'trusted'],
    ['AWS', 'arn:aws-us-gov:sts::012345678901:assumed-role/hub/s1', 'trusted'],
    ['AWS', 'arn:aws:iam::999999999999:role/vendor', 'external'],
    ['AWS', 'arn:aws:iam::999999999999:root', 'external'],
    ['AWS', 'arn:aws:iam::444444444444:role/ci', 'untrusted'],
    ['AWS', '444444444444', 'untrusted'],
    ['AWS', '*', 'broad'],
    ['*', '*', 'broad'],
    ['AWS', 'arn:aws:iam::*:role/x', 'broad'],
    ['AWS', 'arn:aws:iam::012345678901:role/ci-*', 'broad'],
    ['AWS', 'arn:*:iam::012345678901:role/ci', 'broad'],
    ['AWS', 'arn:aws:iam::111111111111:*', 'broad'],
    ['AWS', 'arn:aws:iam::444444444444:role/?', 'broad'],
    ['AWS', 'arn:aws:iam::12345:role/x', 'invalid'],
    ['AWS', 'not-an-arn', 'invalid'],
    ['AWS', 'arn:aws:iam::012345678901:group/admins', 'invalid'],
    ['Service', 'events.amazonaws.com', 'other'],
    ['Federated', 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com', 'other'],
    ['Federated', 'arn:aws:iam::012345678901:saml-provider/okta', 'other'],
  ];
  it.each(cases)('%s %s is %s', (type, value, standing) => {
    expect(principalStanding(classifyPrincipal(type, value), accounts)).toBe(standing);
  });

  it('takes the accounts from the config it is given', () => {
    const vendorTrusted = accountSets({ ...CONFIG, trustedAccounts: ['999999999999'], externalAccounts: [] });
    expect(principalStanding(classifyPrincipal('AWS', 'arn:aws:iam::999999999999:role/vendor'), vendorTrusted)).toBe('trusted');
    expect(principalStanding(classifyPrincipal('AWS', HUB), vendorTrusted)).toBe('untrusted');
  });
});

describe('accountRootArn', () => {
  it.each([
    ['111111111111', undefined, 'arn:aws:iam::111111111111:root'],
    ['111111111111', 'aws-us-gov' as const, 'arn:aws-us-gov:iam::111111111111:root'],
    ['111111111111', 'aws-cn' as const, 'arn:aws-cn:iam::111111111111:root'],
  ])('%s in %s', (account, partition, arn) => {
    expect(accountRootArn(account, partition)).toBe(arn);
    expect(classifyPrincipal('AWS', arn)).toMatchObject({ kind: 'account', accountId: account, wildcard: false });
  });
});

describe('classifyPrincipal refuses role and user names IAM refuses', () => {
  const name64 = 'r'.repeat(64);
  it.each([
    [`arn:aws:iam::012345678901:role/${name64}`, 'role', undefined],
    [`arn:aws:iam::012345678901:role/path/to/${name64}`, 'role', undefined],
    [`arn:aws:iam::012345678901:role/${name64}x`, 'invalid', `has role name "${name64}x" longer than the 64 characters IAM allows`],
    [`arn:aws:iam::012345678901:user/${name64}x`, 'invalid', `has user name "${name64}x" longer than the 64 characters IAM allows`],
    ['arn:aws:iam::012345678901:role//deploy', 'invalid', 'has an empty segment in role path "/deploy"'],
    ['arn:aws:iam::012345678901:user/a//b', 'invalid', 'has an empty segment in user path "a//b"'],
  ])('%s', (arn, kind, problem) => {
    const p = classifyPrincipal('AWS', arn);
    expect(p.kind).toBe(kind);
    expect(p.problem).toBe(problem);
  });
});

describe('namesPrincipals: does an aws:PrincipalArn value narrow an account to named principals?', () => {
  it.each([
    ['arn:aws:iam::111111111111:role/ci/*', true],
    ['arn:aws:iam::111111111111:role/deploy-*', true],
    ['arn:aws:iam::111111111111:user/alice', true],
    ['arn:aws:iam::111111111111:root', true],
    ['arn:aws:iam::111111111111:role/*', false],
    ['arn:aws:iam::111111111111:user/?*', false],
    ['arn:aws:iam::111111111111:*', false],
    ['arn:aws:iam::111111111111:*role/*', false],
    ['*', false],
  ])('%s: %s', (value, narrows) => {
    expect(namesPrincipals(value)).toBe(narrows);
  });
});

describe('principalAccount: the one reader of a principal ARN account outside the analyzer', () => {
  it.each([
    ['arn:aws:iam::111111111111:role/deploy', '111111111111'],
    ['arn:aws-cn:iam::333333333333:role/path/to/a', '333333333333'],
    ['arn:aws:sts::111111111111:assumed-role/a/b', '111111111111'],
    ['arn:aws:iam::111111111111:root', '111111111111'],
    ['arn:aws:iam::111111111111:role/*', '111111111111'],
    ['arn:aws:iam::*:role/deploy', undefined],
    ['arn:aws:s3:::bucket', undefined],
    ['arn:aws:iam::11111111111:role/a', undefined],
    ['not an arn', undefined],
  ])('%s -> %s', (arn, account) => {
    expect(principalAccount(arn)).toBe(account);
  });
});
