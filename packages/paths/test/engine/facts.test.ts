import { normalizePolicy, type NormalizedCondition } from '@trustline/trust';
import { describe, expect, it } from 'vitest';
import { KeyFacts, evalCondition } from '../../src/engine/facts';

/** Three-valued condition evaluation against what the caller's origin fixes. */
const facts = new KeyFacts(
  new Map<string, readonly string[]>([
    ['aws:principalaccount', ['111111111111']],
    ['aws:principalorgid', ['o-aaaa1111bb']],
    ['aws:principalorgpaths', ['o-aaaa1111bb/r-root/ou-dev/']],
    ['aws:principalservicename', []],
  ]),
  new Map([['aws:principaltag/', new Map([['team', 'platform']])]]),
  new Map([['aws:sourceorgid', ['o-aaaa1111bb']]]),
);

const cond = (operator: string, key: string, values: string | string[]): NormalizedCondition => {
  const [s] = normalizePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*', Condition: { [operator]: { [key]: values } } }] }).statements;
  return s.conditions[0];
};

describe('evalCondition', () => {
  it.each([
    ['StringEquals', 'aws:PrincipalOrgID', 'o-aaaa1111bb', true],
    ['StringEquals', 'aws:PrincipalOrgID', 'o-other00000', false],
    ['StringNotEquals', 'aws:PrincipalOrgID', 'o-other00000', true],
    ['StringLike', 'aws:PrincipalAccount', '1111*', true],
    ['StringEqualsIgnoreCase', 'aws:PrincipalTag/Team', 'PLATFORM', true],
    ['StringEquals', 'aws:PrincipalTag/owner', 'x', false],
    ['StringEqualsIfExists', 'aws:PrincipalTag/owner', 'x', true],
    ['StringNotEquals', 'aws:PrincipalTag/owner', 'x', true],
    ['Null', 'aws:PrincipalTag/owner', 'true', true],
    ['Null', 'aws:PrincipalTag/team', 'true', false],
    ['ForAnyValue:StringLike', 'aws:PrincipalOrgPaths', 'o-aaaa1111bb/r-root/ou-dev/*', true],
    ['ForAnyValue:StringLike', 'aws:PrincipalOrgPaths', 'o-aaaa1111bb/r-root/ou-prod/*', false],
    ['ForAllValues:StringEquals', 'aws:PrincipalServiceName', 'x', true],
    ['ForAnyValue:StringEquals', 'aws:PrincipalServiceName', 'x', false],
    ['StringEquals', 'aws:PrincipalAccount', '${aws:PrincipalAccount}', true],
    ['StringEquals', 'sts:ExternalId', 'x', undefined],
    ['Bool', 'aws:MultiFactorAuthPresent', 'true', undefined],
    ['StringEquals', 'aws:SourceOrgID', 'o-aaaa1111bb', false],
    ['StringNotEqualsIfExists', 'aws:SourceOrgID', 'o-aaaa1111bb', true],
    ['StringEquals', 'aws:SourceOrgID', 'o-other00000', undefined],
  ])('%s %s %j -> %s', (op, key, values, expected) => {
    expect(evalCondition(cond(op, key, values), facts)).toBe(expected);
  });
});
