import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { unexplainedNodes } from '@trustline/contract';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_ENFORCEMENT,
  RULE_IDS,
  parseConfig,
  trustGuardConfigContract,
  trustGuardConfigSchema,
} from '../src';
import { configProblems } from './fixtures';

const VALID = {
  $schema: './node_modules/@trustline/trust/schema.json',
  trustedAccounts: ['012345678901', '111111111111'],
  organizationId: 'o-exampleorg01',
  externalAccounts: [{ accountId: '999999999999', name: 'vendor' }],
  rules: { 'trust-account-root': 'mandatory' },
  maxSessionDurationSeconds: 7200,
  exemptions: [{ ruleId: 'trust-account-root', findingKey: 'trust-account-root[Principal::AWS::111111111111]', resource: 'legacy-role', reason: 'Legacy role, replaced in Q3 by the hub.', expires: '2030-01-31' }],
  paths: { rules: { 'path-cycle': 'disabled' } },
};

describe('parseConfig', () => {
  it('fills defaults', () => {
    expect(parseConfig({})).toEqual({ trustedAccounts: [], externalAccounts: [], rules: DEFAULT_ENFORCEMENT, maxSessionDurationSeconds: 3600, exemptions: [] });
  });

  it('keeps a full valid config and merges rule levels over the defaults', () => {
    const c = parseConfig(VALID);
    expect(c.rules['trust-account-root']).toBe('mandatory');
    expect(c.rules['trust-any-principal']).toBe('mandatory');
    expect(c.rules['trust-tag-session-broad']).toBe('advisory');
    expect(c).toMatchObject({ organizationId: 'o-exampleorg01', maxSessionDurationSeconds: 7200, externalAccounts: [{ accountId: '999999999999', name: 'vendor' }], exemptions: VALID.exemptions, paths: VALID.paths });
  });

  it('accepts JSON text', () => {
    expect(parseConfig(JSON.stringify(VALID)).trustedAccounts).toEqual(['012345678901', '111111111111']);
  });

  it('names the source, key path and value, and says what is allowed', () => {
    expect(() => parseConfig({ exemptions: [{ ruleId: 'trust-account-root', resource: 'r', reason: 'short' }] }, 'trust-guard.json')).toThrow(
      new ConfigError('trust-guard.json', ['exemptions[0].reason "short" must be at least 10 characters saying why the finding is acceptable.']),
    );
    try {
      parseConfig({ exemptions: [{ ruleId: 'trust-account-root', resource: 'r', reason: 'short' }] }, 'trust-guard.json');
    } catch (e) {
      expect((e as Error).message).toBe('trust-guard.json: exemptions[0].reason "short" must be at least 10 characters saying why the finding is acceptable.');
    }
  });

  const REASON = 'Accepted until the vendor migrates.';
  it.each<[string, unknown, string[]]>([
    ['not an object', [], ['the config [] must be a JSON object with "trustedAccounts", "organizationId", "externalAccounts", "rules", "maxSessionDurationSeconds", "exemptions" and "paths".']],
    ['unknown top-level key', { trustedAccount: [] }, ['trustedAccount is not a known setting (a typo would silently change what is checked); allowed are "$schema", "trustedAccounts", "organizationId", "externalAccounts", "rules", "maxSessionDurationSeconds", "exemptions", "paths".']],
    ['trustedAccounts not a list', { trustedAccounts: '111111111111' }, ['trustedAccounts "111111111111" must be a list of 12-digit account ids as strings, e.g. ["111111111111"].']],
    ['account id as a number', { trustedAccounts: [111111111111] }, ['trustedAccounts[0] 111111111111 is a number; write the account id as a 12-digit string so leading zeros survive (e.g. "012345678901").']],
    ['short account id', { trustedAccounts: ['12345'] }, ['trustedAccounts[0] "12345" is not a 12-digit AWS account id (keep it a string: "012345678901").']],
    ['duplicate account', { trustedAccounts: ['111111111111', '111111111111'] }, ['trustedAccounts[1] "111111111111" is listed twice; list each account once.']],
    ['bad organization id', { organizationId: 'o-ABC' }, ['organizationId "o-ABC" is not an AWS Organizations id ("o-" then 10 to 32 lower-case letters or digits).']],
    ['external also trusted', { trustedAccounts: ['999999999999'], externalAccounts: [{ accountId: '999999999999' }] }, ['externalAccounts[0].accountId "999999999999" is also in trustedAccounts; an account is either ours or external, not both.']],
    ['external unknown key', { externalAccounts: [{ accountId: '999999999999', externalId: 'x' }] }, ['externalAccounts[0].externalId is not a known setting (a typo would silently change what is checked); allowed are "accountId", "name", "externalIdPatterns".']],
    [
      'ExternalId pattern without a separator before the wildcard',
      { externalAccounts: [{ accountId: '324880187172', externalIdPatterns: ['acme*'] }] },
      ['externalAccounts[0].externalIdPatterns[0] "acme*" must be a StringLike pattern with a fixed tenant part, a separator (@ : / #) and then a wildcard, e.g. "acme@*" (a pattern without that separator, such as "acme*", also matches the vendor\'s other tenants like "acme-evil").'],
    ],
    ['ExternalId pattern that is a bare wildcard', { externalAccounts: [{ accountId: '324880187172', externalIdPatterns: ['*@*'] }] }, [expect.stringContaining('externalAccounts[0].externalIdPatterns[0] "*@*" must be a StringLike pattern')]],
    ['ExternalId pattern with no wildcard', { externalAccounts: [{ accountId: '324880187172', externalIdPatterns: ['acme@stack'] }] }, [expect.stringContaining('externalAccounts[0].externalIdPatterns[0] "acme@stack" must be a StringLike pattern')]],
    ['ExternalId patterns empty', { externalAccounts: [{ accountId: '324880187172', externalIdPatterns: [] }] }, ['externalAccounts[0].externalIdPatterns [] must be a non-empty list of ExternalId patterns the vendor documents, e.g. ["acme@*"].']],
    ['ExternalId pattern twice', { externalAccounts: [{ accountId: '324880187172', externalIdPatterns: ['acme@*', 'acme@*'] }] }, ['externalAccounts[0].externalIdPatterns[1] "acme@*" is listed twice; list each pattern once.']],
    ['external without id', { externalAccounts: [{ name: 'vendor' }] }, ['externalAccounts[0].accountId is missing; write the 12-digit account id as a string, e.g. "012345678901".']],
    ['unknown rule id', { rules: { 'trust-any-principle': 'disabled' } }, [`rules.trust-any-principle is not a rule id (a typo would leave the real rule at its default); allowed are ${RULE_IDS.map((r) => `"${r}"`).join(', ')}.`]],
    ['bad enforcement level', { rules: { 'trust-any-principal': 'off' } }, ['rules.trust-any-principal "off" must be "mandatory", "advisory" or "disabled".']],
    ['session too long', { maxSessionDurationSeconds: 86400 }, ['maxSessionDurationSeconds 86400 must be a whole number of seconds from 3600 to 43200.']],
    ['session as a string', { maxSessionDurationSeconds: '3600' }, ['maxSessionDurationSeconds "3600" must be a whole number of seconds from 3600 to 43200.']],
    ['exemption of an unknown rule', { exemptions: [{ ruleId: 'nope', resource: 'r', reason: REASON }] }, [`exemptions[0].ruleId "nope" is not a rule id; allowed are ${RULE_IDS.map((r) => `"${r}"`).join(', ')}.`]],
    ['exemption of NotPrincipal', { exemptions: [{ ruleId: 'trust-not-principal', resource: 'r', reason: REASON }] }, ['exemptions[0].ruleId "trust-not-principal" can never be exempted: NotPrincipal with Allow admits everyone except the listed principals; fix the policy instead.']],
    [
      'exemption of {"AWS":"*"}',
      { exemptions: [{ ruleId: 'trust-any-principal', findingKey: 'trust-any-principal[Principal::AWS::*]', reason: REASON }] },
      ['exemptions[0].findingKey "trust-any-principal[Principal::AWS::*]" can never be exempted: an unbounded "*" principal lets anyone assume the role; name the principals or bound it with aws:PrincipalOrgID.'],
    ],
    ['exemption of "*"', { exemptions: [{ ruleId: 'trust-any-principal', findingKey: 'trust-any-principal[Principal::*]', reason: REASON }] }, ['exemptions[0].findingKey "trust-any-principal[Principal::*]" can never be exempted: an unbounded "*" principal lets anyone assume the role; name the principals or bound it with aws:PrincipalOrgID.']],
    ['finding key of another rule', { exemptions: [{ ruleId: 'trust-account-root', findingKey: 'trust-untrusted-account[Principal::AWS::444444444444]', reason: REASON }] }, ['exemptions[0].findingKey "trust-untrusted-account[Principal::AWS::444444444444]" belongs to another rule; it must start with "trust-account-root[".']],
    ['finding key not a key', { exemptions: [{ ruleId: 'trust-account-root', findingKey: 'root', reason: REASON }] }, ['exemptions[0].findingKey "root" must be a finding key such as "trust-account-root[Principal::AWS::arn:aws:iam::111111111111:root]".']],
    ['neither key nor resource', { exemptions: [{ ruleId: 'trust-account-root', reason: REASON }] }, ['exemptions[0] has neither "findingKey" nor "resource"; name the finding key, the resource (URN or logical name), or both.']],
    ['empty resource', { exemptions: [{ ruleId: 'trust-account-root', resource: ' ', reason: REASON }] }, ['exemptions[0].resource " " must be a resource URN or logical name (a non-empty string).']],
    ['missing reason', { exemptions: [{ ruleId: 'trust-account-root', resource: 'r' }] }, ['exemptions[0].reason missing must be at least 10 characters saying why the finding is acceptable.']],
    ['bad expiry date', { exemptions: [{ ruleId: 'trust-account-root', resource: 'r', reason: REASON, expires: '2025-02-30' }] }, ['exemptions[0].expires "2025-02-30" must be a calendar date written YYYY-MM-DD (the exemption stops applying after that day).']],
    ['typo in an exemption', { exemptions: [{ ruleId: 'trust-account-root', resource: 'r', reason: REASON, expiry: '2030-01-01' }] }, ['exemptions[0].expiry is not a known setting (a typo would silently change what is checked); allowed are "ruleId", "findingKey", "resource", "reason", "expires".']],
  ])('%s', (_name, input, expected) => {
    expect(configProblems(input)).toEqual(expected);
  });

  it('collects every problem into one error', () => {
    expect(configProblems({ trustedAccounts: ['1'], organizationId: 'x', maxSessionDurationSeconds: 1 })).toHaveLength(3);
  });

  it('reports invalid JSON text with the source', () => {
    expect(() => parseConfig('{', 'cfg.json')).toThrow(/^cfg\.json: the config is not valid JSON/);
  });
});

describe('trustGuardConfigSchema', () => {
  const props = trustGuardConfigSchema.properties;
  // The schema and parseConfig come from one definition; this runs the schema as published (JSON text,
  // read by a separate draft-07 validator) and checks it agrees with parseConfig on every case.
  const published = new Ajv({ allErrors: true, strict: false });
  addFormats(published);
  const schemaAccepts = published.compile(JSON.parse(JSON.stringify(trustGuardConfigSchema)));
  it.each([
    ['every key', VALID, true],
    ['empty', {}, true],
    ['unknown top-level key', { trustedAcounts: [] }, false],
    ['unknown vendor key', { externalAccounts: [{ accountId: '999999999999', nmae: 'x' }] }, false],
    ['unknown exemption key', { exemptions: [{ ruleId: 'trust-account-root', resource: 'r', reason: 'long enough reason', until: '2030-01-01' }] }, false],
    ['unknown rule id', { rules: { 'trust-acount-root': 'advisory' } }, false],
    ['numeric account id', { trustedAccounts: [111111111111] }, false],
    ['repeated account', { trustedAccounts: ['111111111111', '111111111111'] }, false],
    ['lowered locked rule', { rules: { 'trust-not-principal': 'advisory' } }, false],
    ['session above IAM', { maxSessionDurationSeconds: 43201 }, false],
    ['fractional session', { maxSessionDurationSeconds: 3600.5 }, false],
    ['exemption without target', { exemptions: [{ ruleId: 'trust-account-root', reason: 'long enough reason' }] }, false],
    ['exemption of NotPrincipal', { exemptions: [{ ruleId: 'trust-not-principal', resource: 'r', reason: 'long enough reason' }] }, false],
    ['blank reason', { exemptions: [{ ruleId: 'trust-account-root', resource: 'r', reason: '            ' }] }, false],
    ['vendor pattern without separator', { externalAccounts: [{ accountId: '999999999999', externalIdPatterns: ['acme*'] }] }, false],
    ['blank vendor name', { externalAccounts: [{ accountId: '999999999999', name: '  ' }] }, false],
    // null used to mean "the default" to parseConfig while the published schema refused it; both refuse it now.
    ['null for a list', { trustedAccounts: null }, false],
    ['null for a number', { maxSessionDurationSeconds: null }, false],
  ])('the published schema agrees with parseConfig: %s', (_, config, ok) => {
    expect(schemaAccepts(config), JSON.stringify(schemaAccepts.errors)).toBe(ok);
    expect(configProblems(config).length === 0).toBe(ok);
  });

  it('lists every rule, and parseConfig accepts a document that uses every schema property', () => {
    expect(Object.keys(props.rules.properties).sort()).toEqual([...RULE_IDS].sort());
    expect(() => parseConfig(VALID)).not.toThrow();
    expect(Object.keys(VALID).sort()).toEqual(Object.keys(props).sort());
    expect(Object.keys(props)).toEqual(['$schema', 'trustedAccounts', 'organizationId', 'externalAccounts', 'rules', 'maxSessionDurationSeconds', 'exemptions', 'paths']);
    // Every node has its own sentence: no problem is reported in the validator's words.
    expect(unexplainedNodes(trustGuardConfigContract.schema)).toEqual([]);
  });

  it('is a draft-07 object schema that refuses unknown keys and describes every property', () => {
    expect(trustGuardConfigSchema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(trustGuardConfigSchema.additionalProperties).toBe(false);
    const undescribed: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (typeof node !== 'object' || node === null) return;
      const n = node as Record<string, unknown>;
      if (n.properties !== undefined) {
        for (const [k, v] of Object.entries(n.properties as Record<string, Record<string, unknown>>)) {
          if (typeof v.description !== 'string' || v.description.length < 10) undescribed.push(`${path}.${k}`);
          walk(v, `${path}.${k}`);
        }
      }
      if (n.items !== undefined) walk(n.items, `${path}[]`);
    };
    walk(trustGuardConfigSchema, '$');
    expect(undescribed).toEqual([]);
  });

  it('agrees with parseConfig on limits and defaults', () => {
    expect(props.maxSessionDurationSeconds).toMatchObject({ minimum: 3600, maximum: 43200, default: 3600 });
    expect(props.exemptions.items.properties.reason.minLength).toBe(10);
    expect(props.exemptions.items.properties.ruleId.enum).not.toContain('trust-not-principal');
    for (const id of RULE_IDS) expect(props.rules.properties[id].default).toBe(DEFAULT_ENFORCEMENT[id]);
  });
});

