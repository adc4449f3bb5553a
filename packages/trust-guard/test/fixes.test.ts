import { RULE_LIST } from '@trustline/trust';
import { describe, expect, it } from 'vitest';
import { resourcePolicies, stackPolicies } from '../src/policies';

/** A fix is a sentence: a capital letter, some words, a full stop (never empty, never a placeholder). */
const SENTENCE = /^[A-Z][^\n]{15,}[.)]$/;

const missingFix = (items: readonly { readonly name: string; readonly fix: string | undefined }[]) => items.filter((i) => typeof i.fix !== 'string' || !SENTENCE.test(i.fix)).map((i) => i.name);

describe('every rule and every policy of the pack carries its fix as data', () => {
  it('every trust rule has a fix sentence', () => {
    expect(RULE_LIST.length).toBeGreaterThan(0);
    expect(missingFix(RULE_LIST.map((r) => ({ name: r.id, fix: r.fix })))).toEqual([]);
  });

  it('every resource and stack policy has remediationSteps, and a rule policy has its rule\'s fix', () => {
    const policies = [...resourcePolicies, ...stackPolicies];
    // 13 rule policies, 2 provider policies, 3 stack policies.
    expect(policies).toHaveLength(RULE_LIST.length + 5);
    expect(missingFix(policies.map((p) => ({ name: p.name, fix: p.remediationSteps })))).toEqual([]);
    for (const rule of RULE_LIST) expect(resourcePolicies.find((p) => p.name === rule.id)?.remediationSteps).toBe(rule.fix);
  });

  it('the check fails on a policy without a fix, and on an empty or unfinished one', () => {
    expect(missingFix([{ name: 'no-fix', fix: undefined }, { name: 'empty', fix: '' }, { name: 'fragment', fix: 'pass the provider' }, { name: 'ok', fix: 'Pass the account\'s provider explicitly.' }])).toEqual([
      'no-fix',
      'empty',
      'fragment',
    ]);
  });
});
