import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  LOCKED_RULES,
  analyzeIdentityPolicy,
  analyzeTrustPolicy,
  applyExemptions,
  expiredExemptionNote,
  parseConfig,
  policyDocumentKind,
  trustGuardConfigSchema,
  type Exemption,
} from '../src';
import { CONFIG } from './fixtures';

function problems(input: unknown): string[] {
  try {
    parseConfig(input, 'cfg.json');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return [...(e as ConfigError).problems];
  }
  return [];
}

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
    expect(problems({ rules: { [id]: level } })).toEqual([expected]);
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
    const rules = trustGuardConfigSchema.properties.rules.properties as Record<string, { enum: string[] }>;
    expect(rules['trust-any-principal'].enum).toEqual(['mandatory']);
    expect(rules['trust-not-principal'].enum).toEqual(['mandatory']);
    expect(rules['trust-account-root'].enum).toEqual(['mandatory', 'advisory', 'disabled']);
  });
});

describe('expired exemptions are reported, not silently dropped', () => {
  const ROOT = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole' }] };
  const KEY = 'trust-account-root[Principal::AWS::arn:aws:iam::111111111111:root]';
  const lapsed: Exemption = { ruleId: 'trust-account-root', findingKey: KEY, reason: 'Legacy role, replaced by the hub in Q3.', expires: '2026-01-31' };
  const findings = analyzeTrustPolicy(ROOT, CONFIG);

  it('lists the finding an expired exemption no longer covers, with that exemption', () => {
    const r = applyExemptions(findings, { name: 'legacy' }, { exemptions: [lapsed] }, new Date('2026-02-01T00:00:00Z'));
    expect(r.findings.map((f) => f.key)).toEqual([KEY]);
    expect(r.exempted).toEqual([]);
    expect(r.expired).toEqual([{ finding: findings[0], exemption: lapsed }]);
  });

  it('still applies on its last day, and then lists nothing as expired', () => {
    const r = applyExemptions(findings, { name: 'legacy' }, { exemptions: [lapsed] }, new Date('2026-01-31T23:59:59Z'));
    expect([r.findings, r.expired, r.exempted.length]).toEqual([[], [], 1]);
  });

  it('an expired exemption of another resource is not reported against this one', () => {
    const r = applyExemptions(findings, { name: 'other' }, { exemptions: [{ ...lapsed, resource: 'legacy' }] }, new Date('2026-02-01T00:00:00Z'));
    expect(r.expired).toEqual([]);
  });

  it('says which exemption expired, when, and what it no longer covers', () => {
    expect(expiredExemptionNote(lapsed, KEY)).toBe(
      `The exemption of ${KEY} ("Legacy role, replaced by the hub in Q3.") expired on 2026-01-31; it no longer covers ${KEY}. Fix the finding, or renew the exemption with a new "expires" date.`,
    );
    expect(expiredExemptionNote({ ruleId: 'trust-account-root', resource: 'legacy', reason: 'Legacy role, replaced by the hub.', expires: '2026-01-31' }, KEY)).toBe(
      `The exemption of trust-account-root on resource "legacy" ("Legacy role, replaced by the hub.") expired on 2026-01-31; it no longer covers ${KEY}. Fix the finding, or renew the exemption with a new "expires" date.`,
    );
  });
});

const ANY = { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' };

describe('policyDocumentKind: a lone document is a trust policy when it names a principal or grants a trust action', () => {
  it.each([
    ['Principal in a statement', { Statement: [ANY] }, 'trust'],
    ['NotPrincipal in a single statement object', { Statement: { Effect: 'Allow', NotPrincipal: { AWS: '111111111111' }, Action: 'sts:AssumeRole' } }, 'trust'],
    ['Principal nested one list deeper', { Statement: [[ANY]] }, 'trust'],
    ['principal in another letter case', { Statement: [{ Effect: 'Allow', principal: '*', Action: 'sts:AssumeRole' }] }, 'trust'],
    ['sts:AssumeRole without Resource or Principal', { Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] }, 'trust'],
    ['sts:TagSession without Resource', { Statement: [{ Effect: 'Allow', Action: ['sts:TagSession'] }] }, 'trust'],
    ['sts:SetSourceIdentity without Resource', { Statement: [{ Effect: 'Allow', Action: 'sts:SetSourceIdentity' }] }, 'trust'],
    ['sts:* without Resource', { Statement: [{ Effect: 'Allow', Action: 'sts:*' }] }, 'trust'],
    ['* without Resource', { Statement: [{ Effect: 'Allow', Action: '*' }] }, 'trust'],
    ['NotAction without Resource', { Statement: [{ Effect: 'Allow', NotAction: 's3:*' }] }, 'trust'],
    ['JSON text with a principal', JSON.stringify({ Statement: [ANY] }), 'trust'],
    ['text that is not JSON (the trust analyzer reports it)', '{"Statement": [', 'trust'],
    ['sts:AssumeRole on a Resource (an identity policy)', { Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] }, 'identity'],
    ['s3 actions', { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }, 'identity'],
    ['an empty statement list', { Statement: [] }, 'identity'],
    ['an empty statement', { Statement: [{}] }, 'identity'],
  ])('%s: %s', (_name, doc, kind) => {
    expect(policyDocumentKind(doc)).toBe(kind);
  });

  it('reads a deeply nested document without overflowing the stack', () => {
    let deep: unknown = ANY;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expect(policyDocumentKind({ Statement: deep })).toBe('trust');
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
