import { describe, expect, it } from 'vitest';
import { sampleRegistry } from '../../test/fixtures';
import { checkWithAnalyzer, guardConfig } from './analyzer-guard';
import { buildTrustPolicy, trustContextFromRegistry, validateSpec } from './build-trust-policy';
import type { TrustPolicyDocument, TrustPolicySpec } from './types';

const context = trustContextFromRegistry(sampleRegistry(), 'CrossAccountRole "x"');
const config = guardConfig(context);
const HUB = 'arn:aws:iam::012345678901:role/trustline-hub';
const VENDOR = 'arn:aws:iam::999999999999:role/vendor';
const doc = (principal: string): TrustPolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Sid: 'S', Effect: 'Allow', Principal: { AWS: [principal] }, Action: ['sts:AssumeRole'] }],
});
const EXTERNAL_MESSAGE =
  'Principal {"AWS":"arn:aws:iam::999999999999:role/vendor"} is the external account 999999999999 (example-monitoring-vendor), trusted without an exact sts:ExternalId, so anyone who learns the role ARN can make that vendor assume it for them (confused deputy). Add "StringEquals": {"sts:ExternalId": "<the unique id agreed with the vendor>"}.';

describe("checkWithAnalyzer reports the analyzer's mandatory findings", () => {
  it.each([
    ['any principal', doc('*'), 'trust-any-principal: Principal {"AWS":"*"} lets any AWS account assume this role. Name the role ARNs that need access, or bound it with aws:PrincipalOrgID.'],
    [
      'an account outside the registry',
      doc('arn:aws:iam::444444444444:role/x'),
      'trust-untrusted-account: Principal {"AWS":"arn:aws:iam::444444444444:role/x"} is in account 444444444444, which is neither a trusted account nor a declared external account. Remove it, or add the account to trustedAccounts (or to externalAccounts with an sts:ExternalId).',
    ],
    ['an external account without sts:ExternalId', doc(VENDOR), `trust-external-without-external-id: ${EXTERNAL_MESSAGE}`],
  ])('%s, as "rule-id: message" when no spec field produced the principal', (_name, document, message) => {
    expect(checkWithAnalyzer(document, config)).toEqual([message]);
  });

  it('names the spec field that produced the principal', () => {
    const origins = new Map([
      [`AWS::${VENDOR}`, { subject: `trustedRoleArns[1] "${VENDOR}"`, accountId: '999999999999' }],
      ['AWS::*', { subject: 'trustedRoleArns[0] "*"', accountId: '' }],
    ]);
    expect(checkWithAnalyzer(doc(VENDOR), config, origins)).toEqual([
      `trustedRoleArns[1] "${VENDOR}" is in external account 999999999999 ("example-monitoring-vendor"); a third party may be trusted only with externalId set (the confused-deputy guard).`,
    ]);
    expect(checkWithAnalyzer(doc('*'), config, origins)).toEqual([
      'trustedRoleArns[0] "*" is refused by trust-any-principal: Principal {"AWS":"*"} lets any AWS account assume this role. Name the role ARNs that need access, or bound it with aws:PrincipalOrgID.',
    ]);
  });

  it('has nothing to say about a named role in the organization', () => {
    expect(checkWithAnalyzer(doc(HUB), config)).toEqual([]);
  });
});

describe('a real spec reaches the analyzer guard', () => {
  // The spec's own checks pass (validateSpec finds nothing): only the analyzer, judging the built
  // document, knows that a third-party principal needs an exact sts:ExternalId.
  const cases: Array<[string, TrustPolicySpec, string[]]> = [
    [
      'an external role without externalId',
      { trustedRoleArns: [HUB, VENDOR] },
      [`trustedRoleArns[1] "${VENDOR}" is in external account 999999999999 ("example-monitoring-vendor"); a third party may be trusted only with externalId set (the confused-deputy guard).`],
    ],
    [
      'an external account root without externalId',
      { accountRoots: [{ accountId: '999999999999', principalArns: ['arn:aws:iam::999999999999:role/reader'] }] },
      ['accountRoots[0].accountId "999999999999" is in external account 999999999999 ("example-monitoring-vendor"); a third party may be trusted only with externalId set (the confused-deputy guard).'],
    ],
  ];
  it.each(cases)('%s', (_name, spec, problems) => {
    expect(validateSpec(spec, context)).toEqual([]);
    expect(() => buildTrustPolicy(spec, context)).toThrowError(
      [`CrossAccountRole "x": the trust policy was refused with ${problems.length} problem${problems.length === 1 ? '' : 's'}:`, ...problems.map((p) => `  - ${p}`)].join('\n'),
    );
  });

  it("lists the analyzer's findings about sound principals beside the problems of the others", () => {
    const spec: TrustPolicySpec = {
      trustedRoleArns: ['*', VENDOR],
      accountRoots: [{ accountId: '999999999999', principalArns: ['arn:aws:iam::999999999999:role/*'] }],
    };
    expect(() => buildTrustPolicy(spec, context)).toThrowError(
      [
        'CrossAccountRole "x": the trust policy was refused with 4 problems:',
        '  - trustedRoleArns[0] "*" contains a wildcard; name each role ARN exactly, or trust a family of roles with accountRoots and an ArnLike principalArns pattern.',
        '  - accountRoots[0].principalArns[0] "arn:aws:iam::999999999999:role/*" matches every role of the account; narrow it to a path or name such as "arn:aws:iam::999999999999:role/ci/*".',
        `  - trustedRoleArns[1] "${VENDOR}" is in external account 999999999999 ("example-monitoring-vendor"); a third party may be trusted only with externalId set (the confused-deputy guard).`,
        '  - accountRoots[0].accountId "999999999999" is in external account 999999999999 ("example-monitoring-vendor"); a third party may be trusted only with externalId set (the confused-deputy guard).',
      ].join('\n'),
    );
  });

  it('is not asked when the spec is wrong beyond its principals (an invalid externalId is not a missing one)', () => {
    expect(() => buildTrustPolicy({ trustedRoleArns: [VENDOR], externalId: 'x' }, context)).toThrowError(
      'CrossAccountRole "x": the trust policy was refused with 1 problem:\n  - externalId "x" is not a valid sts:ExternalId (2 to 1224 of letters, digits and +=,.@:/_-).',
    );
  });

  it('lets an exact externalId satisfy it', () => {
    const spec: TrustPolicySpec = { accountRoots: [{ accountId: '999999999999', principalArns: ['arn:aws:iam::999999999999:role/reader'] }], externalId: 'vendor-abc-123' };
    expect(buildTrustPolicy(spec, context).Statement[0].Condition).toEqual({
      StringEquals: { 'sts:ExternalId': 'vendor-abc-123' },
      ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::999999999999:role/reader' },
    });
  });
});

describe('guardConfig', () => {
  it('parses a registry context once: contexts of one registry share the config, so the analyzer prepares it once', () => {
    // Per role, the access program re-validated every account id once per account it declared (issue 20).
    const registry = sampleRegistry();
    const a = guardConfig(trustContextFromRegistry(registry, 'CrossAccountRole "a"'));
    expect(guardConfig(trustContextFromRegistry(registry, 'CrossAccountRole "b"'))).toBe(a);
    expect(a.trustedAccounts).toEqual(context.trustedAccountIds);
  });

  it('parses again when the organization, the external accounts or the account list differ', () => {
    const base = trustContextFromRegistry(sampleRegistry(), 'x');
    const first = guardConfig(base);
    const otherOrg = guardConfig({ ...base, organizationId: 'o-zzzzzzzzzz' });
    expect(otherOrg).not.toBe(first);
    expect(otherOrg.organizationId).toBe('o-zzzzzzzzzz');
    expect(guardConfig({ ...base, externalAccounts: [] }).externalAccounts).toEqual([]);
    expect(guardConfig({ ...base, trustedAccountIds: [...base.trustedAccountIds, '444444444444'] }).trustedAccounts).toContain('444444444444');
    expect(guardConfig(base)).toEqual(first);
  });

  it('never keeps a context it refused: each caller gets the error naming its own source', () => {
    const bad = { trustedAccountIds: ['12345'] };
    expect(() => guardConfig({ ...bad, source: 'CrossAccountRole "a"' })).toThrowError(/CrossAccountRole "a"/);
    expect(() => guardConfig({ ...bad, source: 'CrossAccountRole "b"' })).toThrowError(/CrossAccountRole "b"/);
  });
});

