import { describe, expect, it } from 'vitest';
import { sampleRegistry } from '../../test/fixtures';
import { checkWithAnalyzer } from './analyzer-guard';
import { buildTrustPolicy, trustContextFromRegistry } from './build-trust-policy';
import type { TrustPolicyDocument, TrustPolicySpec } from './types';

const context = trustContextFromRegistry(sampleRegistry());
const HUB = 'arn:aws:iam::012345678901:role/trustline-hub';
const doc = (principal: string): TrustPolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Sid: 'S', Effect: 'Allow', Principal: { AWS: [principal] }, Action: ['sts:AssumeRole'] }],
});

describe('checkWithAnalyzer reports the analyzer\'s mandatory findings', () => {
  it.each([
    ['any principal', doc('*'), 'trust-any-principal'],
    ['an account outside the registry', doc('arn:aws:iam::444444444444:role/x'), 'trust-untrusted-account'],
    ['an external account without sts:ExternalId', doc('arn:aws:iam::999999999999:role/vendor'), 'trust-external-without-external-id'],
  ])('%s', (_name, document, ruleId) => {
    const messages = checkWithAnalyzer(document, context);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.every((m) => m.startsWith(`${ruleId}: `)), messages.join('\n')).toBe(true);
  });

  it('has nothing to say about a named role in the organization', () => {
    expect(checkWithAnalyzer(doc(HUB), context)).toEqual([]);
  });
});

describe('what the builder builds passes the analyzer', () => {
  const specs: Array<[string, TrustPolicySpec]> = [
    ['role ARNs', { trustedRoleArns: [HUB, 'arn:aws:iam::111111111111:role/ci'] }],
    ['external account with external id', { trustedRoleArns: ['arn:aws:iam::999999999999:role/vendor'], externalId: 'vendor-abc-123' }],
    ['narrowed account root', { accountRoots: [{ accountId: '111111111111', principalArns: ['arn:aws:iam::111111111111:role/ci/*'] }] }],
    [
      'every option',
      {
        trustedRoleArns: [HUB],
        externalId: 'abc-123',
        mfa: { maxAgeSeconds: 900 },
        principalOrgId: 'o-exampleorg01',
        sessionNames: ['alice'],
        sourceIdentities: ['alice'],
        allowTagSession: true,
      },
    ],
  ];
  it.each(specs)('%s', (_name, spec) => {
    expect(checkWithAnalyzer(buildTrustPolicy(spec, context), context)).toEqual([]);
  });
});
