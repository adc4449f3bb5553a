import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ISSUERS, RULE_IDS, analyzeTrustPolicy, parseConfig, trustEdges, type TrustGuardConfig } from '../src';
import { CORPUS_CONFIG, judge, loadCorpus, score } from './corpus/corpus';

const corpus = loadCorpus();
const judgements = corpus.map((e) => judge(e, analyzeTrustPolicy));

describe('the real-world corpus', () => {
  it('holds at least 100 policies with unique ids, broad and fine ones', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(100);
    expect(new Set(corpus.map((e) => e.id)).size).toBe(corpus.length);
    expect(corpus.filter((e) => e.verdict === 'broad').length).toBeGreaterThanOrEqual(10);
  });

  it.each(corpus.map((e) => [e.id, e] as const))('%s cites its source, says what was substituted and why it is labelled so', (_id, e) => {
    const s = e.source;
    expect(s.url !== undefined || (typeof s.repository === 'string' && /^[\w.-]+\/[\w.-]+$/.test(s.repository) && typeof s.path === 'string' && s.path !== '')).toBe(true);
    if (s.commit !== undefined) expect(s.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(e.substituted.trim()).not.toBe('');
    expect(e.reason.trim().length).toBeGreaterThanOrEqual(10);
    expect(['broad', 'fine']).toContain(e.verdict);
    for (const r of [...e.rules, ...e.advisory]) expect(RULE_IDS).toContain(r);
    expect(e.rules.length > 0).toBe(e.verdict === 'broad');
  });

  it.each(judgements.map((j) => [`${j.entry.id} (${j.entry.verdict})`, j] as const))('%s', (_name, j) => {
    // Mandatory rule ids decide the verdict; advisory ones are allowed only where the label lists them.
    expect({ mandatory: j.mandatory, advisory: j.advisory }).toEqual({ mandatory: [...j.entry.rules].sort(), advisory: [...j.entry.advisory].sort() });
  });

  it('scores precision 1 and recall 1: no mandatory finding on a fine policy, none missing on a broad one', () => {
    const s = score(judgements);
    expect({ precision: s.precision, recall: s.recall, disagreements: s.disagreements.map((d) => d.entry.id) }).toEqual({ precision: 1, recall: 1, disagreements: [] });
  });
});

describe('issue 11 fixes on corpus policies', () => {
  const byId = (id: string) => {
    const e = corpus.find((x) => x.id === id);
    if (e === undefined) throw new Error(`corpus entry ${id} is missing`);
    return e;
  };

  it('AFT\'s "allow" backup role is judged as Allow and reported as casing only', () => {
    const findings = analyzeTrustPolicy(byId('aft-backup-lowercase-allow').policy, CORPUS_CONFIG);
    expect(findings.map((f) => `${f.ruleId} ${f.severity} ${f.key}`).sort()).toEqual([
      'trust-malformed informational trust-malformed[Statement::0::EffectCase]',
      'trust-service-confused-deputy advisory trust-service-confused-deputy[Principal::Service::backup.amazonaws.com]',
    ]);
  });

  it('CircleCI pinned by aud alone has no finding; the same role with another organization id in aud is reported', () => {
    const policy = byId('circleci-awesomecicd-eks-module').policy as { Statement: { Condition: { StringEquals: Record<string, string> } }[] };
    expect(analyzeTrustPolicy(policy, CORPUS_CONFIG)).toEqual([]);
    const other = structuredClone(policy);
    const key = Object.keys(other.Statement[0].Condition.StringEquals)[0];
    other.Statement[0].Condition.StringEquals[key] = '22222222-2222-3333-4444-555555555555';
    const [f] = analyzeTrustPolicy(other, CORPUS_CONFIG);
    expect(f.message).toContain('aud value "22222222-2222-3333-4444-555555555555" is not the organization id "11111111-2222-3333-4444-555555555555" of the issuer');
  });

  it('a Spacelift pattern is accepted only when declared for Spacelift, and the trust edge shows it', () => {
    const policy = byId('spacelift-docs-account-wide').policy;
    expect(analyzeTrustPolicy(policy, CORPUS_CONFIG)).toEqual([]);
    expect(trustEdges(policy, CORPUS_CONFIG).map((e) => [e.principal, e.conditions, e.broad])).toEqual([['AWS::324880187172', ['ExternalId like acme@*'], false]]);
    const undeclared: TrustGuardConfig = { ...CORPUS_CONFIG, externalAccounts: CORPUS_CONFIG.externalAccounts.map(({ externalIdPatterns: _p, ...rest }) => rest) };
    const [f] = analyzeTrustPolicy(policy, undeclared);
    expect(f.ruleId).toBe('trust-external-without-external-id');
    expect(f.message).toContain('The StringLike sts:ExternalId ["acme@*"] is a pattern, and no ExternalId pattern is declared for this vendor');
  });

  it('a pattern declared for one vendor does not cover another vendor', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '464622532012' }, Action: 'sts:AssumeRole', Condition: { StringLike: { 'sts:ExternalId': 'acme@*' } } }] };
    const [f] = analyzeTrustPolicy(doc, CORPUS_CONFIG);
    expect(f.key).toBe('trust-external-without-external-id[Principal::AWS::464622532012]');
  });

  it.each([
    ['a wider pattern than declared', 'acme*', false],
    ['another tenant whose name starts with ours', 'acme-evil@*', false],
    ['IfExists', 'acme@*', false],
    ['a narrower pattern', 'acme@01GE7K9SR2DQBCRQ90DH70JF6Y@*', true],
    ['a literal the pattern matches', 'acme@01GE7K9SR2DQBCRQ90DH70JF6Y@infra@write', true],
  ])('ExternalId patterns: %s', (name, value, fine) => {
    const op = name === 'IfExists' ? 'StringLikeIfExists' : 'StringLike';
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::324880187172:root' }, Action: 'sts:AssumeRole', Condition: { [op]: { 'sts:ExternalId': value } } }] };
    expect(analyzeTrustPolicy(doc, CORPUS_CONFIG).map((f) => f.ruleId)).toEqual(fine ? [] : ['trust-external-without-external-id']);
  });

  it('parseConfig keeps declared patterns and the schema describes them', () => {
    const c = parseConfig({ externalAccounts: [{ accountId: '324880187172', name: 'Spacelift', externalIdPatterns: ['acme@*'] }] });
    expect(c.externalAccounts).toEqual([{ accountId: '324880187172', name: 'Spacelift', externalIdPatterns: ['acme@*'] }]);
  });
});

describe('the issuer table', () => {
  it('is documented in the README row by row', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    for (const i of ISSUERS) expect(readme).toContain(`| \`${i.issuer}\` | ${i.tenant} | ${i.workload} | ${i.required} |`);
  });
});
