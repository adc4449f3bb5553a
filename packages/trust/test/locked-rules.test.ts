// Rules whose findings can never be exempted are locked: no configuration may lower them.
import { describe, expect, it } from 'vitest';
import { LOCKED_RULES, parseConfig, trustGuardConfigSchema } from '../src';
import { configProblems } from './fixtures';

describe('the rules whose findings can never be exempted cannot be lowered either', () => {
  it('are trust-any-principal (unbounded "*") and trust-not-principal', () => {
    expect(LOCKED_RULES).toEqual(['trust-any-principal', 'trust-not-principal']);
  });

  it.each([
    [
      'trust-any-principal',
      'disabled',
      'rules.trust-any-principal "disabled" would lower a rule that is always "mandatory": an unbounded "*" principal lets anyone assume the role, and no setting or exemption may let that through; remove rules.trust-any-principal and fix the policy instead.',
    ],
    [
      'trust-any-principal',
      'advisory',
      'rules.trust-any-principal "advisory" would lower a rule that is always "mandatory": an unbounded "*" principal lets anyone assume the role, and no setting or exemption may let that through; remove rules.trust-any-principal and fix the policy instead.',
    ],
    [
      'trust-not-principal',
      'disabled',
      'rules.trust-not-principal "disabled" would lower a rule that is always "mandatory": NotPrincipal with Allow admits everyone except the listed principals, and no setting or exemption may let that through; remove rules.trust-not-principal and fix the policy instead.',
    ],
  ])('rules.%s "%s" is refused, naming the file, field and value', (id, level, expected) => {
    expect(configProblems({ rules: { [id]: level } })).toEqual([expected]);
    expect(() => parseConfig({ rules: { [id]: level } }, 'cfg.json')).toThrowError(`cfg.json: ${expected}`);
  });

  it('accepts "mandatory" for them, and lowering any other rule', () => {
    expect(parseConfig({ rules: { 'trust-any-principal': 'mandatory', 'trust-account-root': 'disabled', 'trust-untrusted-account': 'advisory' } }).rules).toMatchObject({
      'trust-any-principal': 'mandatory',
      'trust-account-root': 'disabled',
      'trust-untrusted-account': 'advisory',
    });
  });

  it('the schema allows only "mandatory" for them', () => {
    const rules = trustGuardConfigSchema.properties.rules.properties as unknown as Record<string, { enum: string[] }>;
    expect(rules['trust-any-principal'].enum).toEqual(['mandatory']);
    expect(rules['trust-not-principal'].enum).toEqual(['mandatory']);
    expect(rules['trust-account-root'].enum).toEqual(['mandatory', 'advisory', 'disabled']);
  });
});
