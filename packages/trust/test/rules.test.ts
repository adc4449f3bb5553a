// The rule list (src/rules, one file per rule), the metadata derived from it, and severityFor.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENFORCEMENT, LOCKED_RULES, RULES, RULE_IDS, RULE_LIST, analyzeTrustPolicy, lockedRuleReason, severityFor, type RuleInfo } from '../src';
import { BROAD, CONFIG, HUB, allow, policy } from './fixtures';

describe('RULES and severityFor', () => {
  it('cover every rule id with a description', () => {
    expect(Object.keys(RULES).sort()).toEqual([...RULE_IDS].sort());
    expect(DEFAULT_ENFORCEMENT['trust-any-principal']).toBe('mandatory');
    expect(DEFAULT_ENFORCEMENT['trust-account-root']).toBe('advisory');
    expect(DEFAULT_ENFORCEMENT['trust-unverifiable-at-preview']).toBe('advisory');
  });

  it.each([
    [{}, 'trust-malformed', 'mandatory'],
    [{}, 'identity-assume-any-role', 'advisory'],
    [{ 'trust-malformed': 'advisory' }, 'trust-malformed', 'advisory'],
    [{ 'trust-account-root': 'disabled' }, 'trust-account-root', undefined],
  ] as const)('%j: %s -> %s', (rules, id, expected) => {
    expect(severityFor(id, { rules })).toBe(expected);
  });
});

describe('one file per rule', () => {
  const dir = path.join(__dirname, '..', 'src', 'rules');
  const ruleFiles = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && f !== 'rule.ts')
    .map((f) => f.slice(0, -'.ts'.length));

  it('src/rules holds a file for every rule in the list and nothing else', () => {
    expect(ruleFiles.sort()).toEqual([...RULE_IDS].sort());
  });

  it.each(RULE_LIST.map((r) => [r.id]))('src/rules/%s.ts declares that rule, with its fix', async (id) => {
    const mod = (await import(`../src/rules/${id}`)) as Record<string, unknown>;
    const declared = Object.values(mod).filter((v): v is RuleInfo => typeof v === 'object' && v !== null && typeof (v as RuleInfo).id === 'string');
    expect(declared.map((r) => r.id)).toEqual([id]);
    expect(declared[0]).toBe(RULES[id]);
    expect(declared[0].fix).toMatch(/^[A-Z].*\.$/);
  });

  it('locks exactly the rules whose findings can never be exempted, with the reason from their files', () => {
    expect(LOCKED_RULES).toEqual(['trust-any-principal', 'trust-not-principal']);
    expect(lockedRuleReason('trust-not-principal')).toBe('NotPrincipal with Allow admits everyone except the listed principals');
  });
});

describe('findings carry their fix as data', () => {
  const findings = BROAD.flatMap((c) => analyzeTrustPolicy(c.doc, CONFIG));

  it('every finding has a fix sentence; outside trust-malformed, the message ends with it', () => {
    expect(findings.length).toBeGreaterThan(50);
    for (const f of findings) {
      expect(f.fix, f.key).toMatch(/^[A-Z"].*\.$/);
      if (f.ruleId !== 'trust-malformed') expect(f.message.endsWith(` ${f.fix}`), f.key).toBe(true);
    }
  });

  it('names the finding (the key starts with the rule id) and fills the fix in for the finding', () => {
    const [root] = analyzeTrustPolicy(policy(allow({ AWS: 'arn:aws:iam::111111111111:root' })), CONFIG);
    expect(root.key).toBe('trust-account-root[Principal::AWS::arn:aws:iam::111111111111:root]');
    expect(root.fix).toBe('Name the role ARNs that need access, or add "ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111111111111:role/<name>"}.');
    const [dashes] = analyzeTrustPolicy({ Version: '2012\u201310\u201317', Statement: [allow({ AWS: HUB })] }, CONFIG);
    expect([dashes.message, dashes.fix]).toEqual(['Version "2012\u201310\u201317" contains typographic dashes (often copied from a web page); write "2012-10-17" with plain hyphens.', 'Write "2012-10-17" with plain hyphens.']);
  });
});
