import { describe, expect, it } from 'vitest';
import { RegistryError, sampleRegistryJson, validateRegistry } from '../src';

/** Every problem `mutate` causes in a copy of the frozen sample registry, in the order reported. */
function problemsOf(mutate: (r: any) => void): string[] {
  const r: any = sampleRegistryJson();
  mutate(r);
  try {
    validateRegistry(r, 'accounts.json');
  } catch (e) {
    expect(e).toBeInstanceOf(RegistryError);
    return [...(e as RegistryError).problems];
  }
  return [];
}

const rename = (obj: any, from: string, to: string) => {
  obj[to] = obj[from];
  delete obj[from];
};

const ALLOWED_ENTRY = 'key, accountId, environment, region, deployRoleName, trustedPrincipals, externalId, maxSessionDurationSeconds';

describe('registry messages: a missing field says "is missing", a wrong type says which type, one typo is one problem', () => {
  it.each([
    ['region missing', (r: any) => delete r.accounts[0].region, ['accounts[0] ("dev").region is missing; name the AWS region, for example "eu-west-1" or "us-east-1".']],
    ['identity region missing', (r: any) => delete r.identity.region, ['identity.region is missing; name the AWS region, for example "eu-west-1" or "us-east-1".']],
    ['region a number', (r: any) => (r.accounts[0].region = 1), ['accounts[0] ("dev").region 1 is a number, not a string; name the AWS region, for example "eu-west-1" or "us-east-1".']],
    ['session seconds as a string', (r: any) => (r.accounts[0].maxSessionDurationSeconds = '3600'), ['accounts[0] ("dev").maxSessionDurationSeconds "3600" is a string; write it as a number without quotes: 3600.']],
    [
      'session seconds missing',
      (r: any) => delete r.accounts[0].maxSessionDurationSeconds,
      ['accounts[0] ("dev").maxSessionDurationSeconds is missing; set the deploy role\'s MaxSessionDuration, a whole number of seconds from 3600 to 43200 seconds (IAM\'s limits for a role\'s MaxSessionDuration), e.g. 3600.'],
    ],
    ['session seconds fractional', (r: any) => (r.accounts[0].maxSessionDurationSeconds = 3600.5), ['accounts[0] ("dev").maxSessionDurationSeconds 3600.5 is not a whole number of seconds; write a whole number from 3600 to 43200 seconds (IAM\'s limits for a role\'s MaxSessionDuration).']],
    ['session seconds too short (unchanged)', (r: any) => (r.accounts[0].maxSessionDurationSeconds = 900), ['accounts[0] ("dev").maxSessionDurationSeconds 900 is outside 3600..43200 seconds (IAM\'s limits for a role\'s MaxSessionDuration).']],
    ['environment missing', (r: any) => delete r.accounts[0].environment, ['accounts[0] ("dev").environment is missing; set one of the registry\'s environments ("dev", "test", "prod").']],
    ['deploy role missing', (r: any) => delete r.accounts[0].deployRoleName, ['accounts[0] ("dev").deployRoleName is missing; name the IAM role, for example "trustline-deploy".']],
    ['account id missing', (r: any) => delete r.accounts[2].accountId, ['accounts[2] ("test").accountId is missing; write the 12-digit account id as a string, e.g. "012345678901".']],
    ['organization missing', (r: any) => delete r.organizationId, ['organizationId is missing; set the AWS Organizations id ("o-" then 10 to 32 lower-case letters or digits).']],
    ['key missing', (r: any) => delete r.accounts[0].key, ['accounts[0].key is missing; write a key of lower-case letters, digits and dashes, 2 to 40 characters, starting with a letter.']],
    [
      'a misspelt entry field is one problem, not "unknown" plus "missing"',
      (r: any) => rename(r.accounts[0], 'region', 'regoin'),
      [`accounts[0] ("dev").regoin is not a known field; did you mean "region" (which is missing)? Allowed: ${ALLOWED_ENTRY}.`],
    ],
    [
      'a misspelt identity field: one problem, and no trustedPrincipals cascade',
      (r: any) => rename(r.identity, 'accountId', 'acountId'),
      ['identity.acountId is not a known field; did you mean "accountId" (which is missing)? Allowed: key, accountId, region, hubRoleName.'],
    ],
    [
      'a misspelt identity entry: one problem, and no trustedPrincipals cascade',
      (r: any) => rename(r, 'identity', 'identiy'),
      ['identiy is not a known field; did you mean "identity" (which is missing)? Allowed: organizationId, bootstrapRoleName, environments, identity, externalAccounts, accounts.'],
    ],
    [
      'a mistyped identity account id: its own problem only, the principals naming the real one are not each reported',
      (r: any) => (r.identity.accountId = '01234567890'),
      ['identity.accountId "01234567890" is not a 12-digit AWS account id (keep it a string: "012345678901"); trustedPrincipals naming other accounts are checked once it is fixed.'],
    ],
    [
      'a well-formed but wrong identity account id: one problem naming every principal that names the real one',
      (r: any) => (r.identity.accountId = '012345678902'),
      [
        'accounts[0] ("dev").trustedPrincipals[0], accounts[0] ("dev").trustedPrincipals[1], accounts[1] ("prod").trustedPrincipals[0] and accounts[2] ("test").trustedPrincipals[0] name account 012345678901, which is neither the identity account (012345678902) nor an account in this registry.',
      ],
    ],
    [
      'identity missing altogether',
      (r: any) => delete r.identity,
      ['identity is missing; add the identity account as an object with "key", "accountId" and "region" (trustedPrincipals naming other accounts are checked once it is there).'],
    ],
  ])('%s', (_name, mutate, expected) => {
    expect(problemsOf(mutate)).toEqual(expected);
  });

  it('an unknown field that is no near miss is still reported as unknown', () => {
    expect(problemsOf((r) => (r.accounts[0].owner = 'team-a'))).toEqual([`accounts[0] ("dev").owner is not a known field; allowed: ${ALLOWED_ENTRY}.`]);
  });
});
