// Inputs of hostile size are judged completely, without quadratic blow-up.
import { describe, expect, it } from 'vitest';
import { analyzeTrustPolicy, type Finding } from '../src';
import { CONFIG, HUB } from './fixtures';

const keys = (fs: readonly Finding[]) => fs.map((f) => `${f.ruleId} ${f.severity} ${f.key}`);

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
