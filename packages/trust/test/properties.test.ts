import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RULE_IDS, analyzeIdentityPolicy, analyzeTrustPolicy, normalizePolicy, trustEdges, type Finding } from '../src';
import { mayRepeatKeys, repeatedKey } from '../src/normalize';
import { CONFIG, GH, HUB, ORG, SAML } from './fixtures';

const verdict = (fs: readonly Finding[]) => [...new Set(fs.map((f) => `${f.ruleId}|${f.severity}|${f.key}`))].sort();

function wellFormed(fs: unknown): void {
  expect(Array.isArray(fs)).toBe(true);
  for (const f of fs as Finding[]) {
    expect(RULE_IDS).toContain(f.ruleId);
    expect(f.key.startsWith(f.ruleId + '[')).toBe(true);
    expect(typeof f.message).toBe('string');
    expect(f.message.length).toBeGreaterThan(10);
  }
}

const statementish = fc.dictionary(
  fc.constantFrom('Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'Condition', 'Other'),
  fc.oneof(fc.jsonValue(), fc.constantFrom('*', 'Allow', 'Deny', 'sts:AssumeRole', { AWS: '*' }, { AWS: [HUB, 7] }, { StringEquals: { 'aws:PrincipalOrgID': [ORG, null] } }, { StringLike: 'x' })),
);
const policyish = fc.record({ Version: fc.oneof(fc.constant('2012-10-17'), fc.jsonValue()), Statement: fc.oneof(statementish, fc.array(fc.oneof(statementish, fc.jsonValue()), { maxLength: 4 }), fc.jsonValue()) }, { requiredKeys: [] });

describe('the analyzer never throws', () => {
  it('on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (doc) => {
        wellFormed(analyzeTrustPolicy(doc, CONFIG));
        wellFormed(analyzeIdentityPolicy(doc, CONFIG));
        expect(Array.isArray(trustEdges(doc, CONFIG))).toBe(true);
      }),
    );
  });

  it('on arbitrary strings, including broken JSON and %-escapes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((s) => '%' + s), fc.string().map((s) => '{"Statement":' + s)), (doc) => {
        const fs = analyzeTrustPolicy(doc, CONFIG);
        wellFormed(fs);
      }),
    );
  });

  it('on policy-shaped documents with junk in every field', () => {
    fc.assert(
      fc.property(policyish, (doc) => {
        wellFormed(analyzeTrustPolicy(doc, CONFIG));
        wellFormed(analyzeTrustPolicy(JSON.stringify(doc), CONFIG));
        expect(() => normalizePolicy(doc)).not.toThrow();
      }),
    );
  });

  it('on values JSON cannot express', () => {
    fc.assert(fc.property(fc.anything(), (doc) => wellFormed(analyzeTrustPolicy(doc, CONFIG))));
    const cyclic: Record<string, unknown> = { Version: '2012-10-17' };
    cyclic.Statement = [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:PrincipalOrgID': cyclic } } }];
    wellFormed(analyzeTrustPolicy(cyclic, CONFIG));
  });
});

// Canonical documents: every value a list, Statement a list. Reshaping them must not change the verdict.
const principalValues = {
  AWS: ['*', HUB, '111111111111', 'arn:aws:iam::444444444444:role/x', 'arn:aws:iam::*:root', 'arn:aws:iam::999999999999:root', 'arn:aws:sts::012345678901:assumed-role/a/b', 'not-an-arn'],
  Federated: [GH, SAML, 'accounts.google.com', 'cognito-identity.amazonaws.com'],
  Service: ['events.amazonaws.com', 'ec2.amazonaws.com'],
};
const principal = fc.oneof(
  { weight: 1, arbitrary: fc.constant('*' as unknown) },
  {
    weight: 6,
    arbitrary: fc.record(
      {
        AWS: fc.array(fc.constantFrom(...principalValues.AWS), { minLength: 1, maxLength: 3 }),
        Federated: fc.array(fc.constantFrom(...principalValues.Federated), { minLength: 1, maxLength: 2 }),
        Service: fc.array(fc.constantFrom(...principalValues.Service), { minLength: 1, maxLength: 2 }),
      },
      { requiredKeys: [] },
    ),
  },
);
const actions = fc.array(fc.constantFrom('sts:AssumeRole', 'sts:TagSession', 'sts:*', '*', 'sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithSAML', 'sts:Assume*', 'STS:assumerole'), { minLength: 1, maxLength: 3 });
const conditionKeys = [
  'aws:PrincipalOrgID',
  'aws:PrincipalAccount',
  'aws:PrincipalArn',
  'sts:ExternalId',
  'aws:SourceAccount',
  'aws:SourceIp',
  'token.actions.githubusercontent.com:sub',
  'token.actions.githubusercontent.com:aud',
  'SAML:aud',
  'accounts.google.com:aud',
];
const conditionValues = [ORG, 'o-*', '111111111111', '444444444444', HUB, 'arn:aws:iam::*:role/ci', 'ext-123456', '*', 'repo:acme/infra:*', 'repo:acme*', 'sts.amazonaws.com', 'https://signin.aws.amazon.com/saml', '10.0.0.0/8'];
const operators = ['StringEquals', 'StringLike', 'StringNotEquals', 'StringEqualsIfExists', 'ArnLike', 'ArnEquals', 'ForAllValues:StringEquals', 'ForAnyValue:StringLike', 'Null', 'IpAddress'];
const condition = fc.dictionary(
  fc.constantFrom(...operators),
  fc.uniqueArray(fc.tuple(fc.constantFrom(...conditionKeys), fc.array(fc.constantFrom(...conditionValues), { minLength: 1, maxLength: 3 })), { minLength: 1, maxLength: 3, selector: ([k]) => k }).map((pairs) => Object.fromEntries(pairs)),
  { minKeys: 1, maxKeys: 3 },
);
const statement = fc.record(
  { Effect: fc.constantFrom('Allow', 'Allow', 'Deny'), Principal: principal, Action: actions, Condition: condition },
  { requiredKeys: ['Effect', 'Principal', 'Action'] },
);
const canonical = fc.record({ Version: fc.constant('2012-10-17'), Statement: fc.array(statement, { minLength: 1, maxLength: 3 }) });

type J = unknown;
const mapObj = (v: J, f: (o: Record<string, J>, path: string[]) => Record<string, J>, path: string[] = []): J => {
  if (Array.isArray(v)) return v.map((x) => mapObj(x, f, path));
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, J> = {};
    for (const [k, x] of Object.entries(v)) out[k] = mapObj(x, f, [...path, k]);
    return f(out, path);
  }
  return v;
};
/** One-element lists become plain strings (Action, principal values, condition values). */
const unwrapSingles = (v: J, key = ''): J => {
  if (Array.isArray(v)) return v.length === 1 && key !== 'Statement' ? unwrapSingles(v[0]) : v.map((x) => unwrapSingles(x));
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSingles(x, k)]));
  return v;
};
const reverseKeys = (v: J): J => mapObj(v, (o) => Object.fromEntries(Object.entries(o).reverse()));
const recaseConditionKeys = (v: J, upper: boolean): J =>
  mapObj(v, (o, path) => (path.length >= 2 && path[path.length - 2] === 'Condition' ? Object.fromEntries(Object.entries(o).map(([k, x]) => [upper ? k.toUpperCase() : k.toLowerCase(), x])) : o));

describe('the verdict does not depend on the JSON form', () => {
  it('Statement object vs list, string vs one-element list, key order, condition-key case, JSON text, URL-encoding', () => {
    fc.assert(
      fc.property(canonical, fc.boolean(), fc.boolean(), fc.constantFrom<'keep' | 'upper' | 'lower'>('keep', 'upper', 'lower'), fc.constantFrom<'object' | 'json' | 'url'>('object', 'json', 'url'), (doc, singles, reverse, keyCase, form) => {
        const expected = verdict(analyzeTrustPolicy(doc, CONFIG));
        let shaped: J = structuredClone(doc);
        if (doc.Statement.length === 1) shaped = { ...(shaped as object), Statement: doc.Statement[0] };
        if (singles) shaped = unwrapSingles(shaped);
        if (reverse) shaped = reverseKeys(shaped);
        if (keyCase !== 'keep') shaped = recaseConditionKeys(shaped, keyCase === 'upper');
        const input = form === 'object' ? shaped : form === 'json' ? JSON.stringify(shaped, null, 2) : encodeURIComponent(JSON.stringify(shaped));
        expect(verdict(analyzeTrustPolicy(input, CONFIG))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('a generated broad document is reported (the generator reaches the rules)', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(canonical, (doc) => {
        for (const f of analyzeTrustPolicy(doc, CONFIG)) seen.add(f.ruleId);
      }),
      { numRuns: 300, seed: 42 },
    );
    for (const rule of ['trust-any-principal', 'trust-untrusted-account', 'trust-federation-unbounded', 'trust-wildcard-action', 'trust-malformed']) expect(seen).toContain(rule);
  });
});

// Hand-written JSON texts whose objects may repeat keys, with keys full of quotes, backslashes, colons and
// whitespace, and whitespace around the colons: the reference answer comes from the tuples themselves.
type Tree = { readonly pairs: readonly (readonly [string, Tree | number])[] };
const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
  node: fc.record({
    pairs: fc.array(fc.tuple(fc.oneof(fc.constantFrom('a', 'A', 'a"', 'a\\', '\\', '":', ' :', 'Principal', 'Effect'), fc.string({ maxLength: 4 })), fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.integer({ min: 0, max: 9 }), tie('node'))), { maxLength: 5 }),
  }),
})).node;
const ws = fc.constantFrom('', ' ', '\n', '\t ');
function write(t: Tree, spaces: string): string {
  return `{${t.pairs.map(([k, v]) => `${JSON.stringify(k)}${spaces}:${spaces}${typeof v === 'number' ? String(v) : write(v, spaces)}`).join(',')}}`;
}
function firstRepeat(t: Tree): string | undefined {
  const seen = new Set<string>();
  for (const [k, v] of t.pairs) {
    // The scanner reports the first repeat in text order, which is depth-first: nested objects come before later keys.
    if (seen.has(k)) return k;
    seen.add(k);
    if (typeof v !== 'number') {
      const inner = firstRepeat(v);
      if (inner !== undefined) return inner;
    }
  }
  return undefined;
}

function distinctKeys(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  if (Array.isArray(v)) return v.reduce((n: number, e) => n + distinctKeys(e), 0);
  return Object.values(v).reduce((n: number, e) => n + 1 + distinctKeys(e), 0);
}

describe('repeated keys in JSON text', () => {
  it('are found exactly, and the fast pre-check never hides one', () => {
    fc.assert(
      fc.property(tree, ws, (t, spaces) => {
        const text = write(t, spaces);
        const expected = firstRepeat(t);
        expect(repeatedKey(text)).toBe(expected);
        // The normaliser passes the number of keys it visited, at most the distinct keys of the parsed value.
        if (expected !== undefined) expect(mayRepeatKeys(text, distinctKeys(JSON.parse(text)))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
