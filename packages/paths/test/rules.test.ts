import { describe, expect, it } from 'vitest';
import { PATH_RULE_IDS, judgePaths, parsePathsConfig, selectTargets, type AccessPath, type Declared, type OrgSnapshot, type PathEntry, type PathRuleContext } from '../src';

const arn = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
const IDN = '012345678901';
const DEV = '111111111111';
const PROD = '333333333333';
const HUB = arn(IDN, 'hub');
const DEV_DEPLOY = arn(DEV, 'deploy');
const PROD_DEPLOY = arn(PROD, 'deploy');

const DECLARED: Declared = {
  organizationId: 'o-exampleorg01',
  identity: { key: 'identity', accountId: IDN, hubRoleArn: HUB },
  accounts: [
    { key: 'dev', accountId: DEV, environment: 'dev', deployRoleArn: DEV_DEPLOY, trustedPrincipals: [HUB] },
    { key: 'prod', accountId: PROD, environment: 'prod', deployRoleArn: PROD_DEPLOY, trustedPrincipals: [HUB] },
  ],
  externalAccounts: [{ accountId: '999999999999', name: 'vendor' }],
};
const role = (a: string) => ({ arn: a, name: a.split('/').pop() as string, path: '/', trustPolicy: {}, inlinePolicies: [], managedPolicyArns: [], tags: {} });
const account = (id: string, roles: string[]) => ({ accountId: id, status: 'read' as const, roles: roles.map(role), users: [], groups: [], managedPolicies: new Map() });
const SNAPSHOT: OrgSnapshot = { accounts: [account(IDN, [HUB]), account(DEV, [DEV_DEPLOY, arn(DEV, 'app')]), account(PROD, [PROD_DEPLOY])] };

const path = (from: PathEntry, hops: string[], verdict: AccessPath['verdict'] = 'always'): AccessPath => ({ from, hops, verdict, guards: [], reasons: [] });
const service: PathEntry = { kind: 'service', id: 'ec2.amazonaws.com' };
const ctx = (paths: AccessPath[], over: Partial<PathRuleContext> = {}) => ({
  snapshot: SNAPSHOT,
  declared: DECLARED,
  targets: [{ target: PROD_DEPLOY, why: 'deploy role of account prod', paths }],
  cycles: [],
  canAssume: () => true,
  ...over,
});
const keys = (c: ReturnType<typeof ctx>) => judgePaths(c).findings.map((f) => f.key);

describe('path rules, one compliant and one non-compliant case per branch', () => {
  const cases: { name: string; context: ReturnType<typeof ctx>; expected: string[] }[] = [
    { name: 'the declared chain (hub into prod) is clean', context: ctx([path({ kind: 'role', id: HUB }, [PROD_DEPLOY])]), expected: [] },
    { name: 'a dev role through the hub into prod: cross-environment', context: ctx([path(service, [arn(DEV, 'app'), HUB, PROD_DEPLOY])]), expected: [`path-cross-environment[${arn(DEV, 'app')}->${PROD_DEPLOY}]`] },
    { name: 'the identity account belongs to no environment', context: ctx([path({ kind: 'role', id: arn(IDN, 'ci') }, [HUB, PROD_DEPLOY])]), expected: [] },
    {
      name: 'a vendor account straight into prod: outside, and undeclared',
      context: ctx([path({ kind: 'account', id: '999999999999' }, [PROD_DEPLOY])]),
      expected: [`path-outside-to-privileged[account:999999999999->${PROD_DEPLOY}]`, `path-undeclared[arn:aws:iam::999999999999:root->${PROD_DEPLOY}]`],
    },
    { name: 'anyone is outside', context: ctx([path({ kind: 'anyone', id: '*' }, [HUB, PROD_DEPLOY])]), expected: [`path-outside-to-privileged[anyone:*->${PROD_DEPLOY}]`] },
    {
      name: 'an OIDC provider with an unpinned subject is outside',
      context: ctx([{ ...path({ kind: 'federated', id: `arn:aws:iam::${IDN}:oidc-provider/token.actions.githubusercontent.com` }, [arn(IDN, 'ci'), HUB, PROD_DEPLOY], 'conditional'), guards: [{ hop: 0, source: 'trust', key: 'token.actions.githubusercontent.com:sub', operator: 'StringLike', values: ['repo:acme/*'], text: 'sub like repo:acme/*' }] }]),
      expected: [`path-outside-to-privileged[federated:arn:aws:iam::${IDN}:oidc-provider/token.actions.githubusercontent.com->${PROD_DEPLOY}]`],
    },
    {
      name: 'an OIDC provider with a pinned subject is inside',
      context: ctx([{ ...path({ kind: 'federated', id: `arn:aws:iam::${IDN}:oidc-provider/token.actions.githubusercontent.com` }, [arn(IDN, 'ci'), HUB, PROD_DEPLOY], 'conditional'), guards: [{ hop: 0, source: 'trust', key: 'token.actions.githubusercontent.com:sub', operator: 'StringEquals', values: ['repo:acme/infra:ref:refs/heads/main'], text: 'sub equals …' }] }]),
      expected: [],
    },
    { name: 'a prod role other than the hub into the prod deploy role: undeclared', context: ctx([path(service, [arn(PROD, 'ops'), PROD_DEPLOY])]), expected: [`path-undeclared[${arn(PROD, 'ops')}->${PROD_DEPLOY}]`] },
    { name: 'five hops: a long chain', context: ctx([path({ kind: 'role', id: arn(IDN, 'a') }, [arn(IDN, 'b'), arn(IDN, 'c'), arn(IDN, 'd'), HUB, PROD_DEPLOY])]), expected: [`path-long-chain[role:${arn(IDN, 'a')}->${PROD_DEPLOY}]`] },
    { name: 'four hops: not long', context: ctx([path({ kind: 'role', id: arn(IDN, 'a') }, [arn(IDN, 'c'), arn(IDN, 'd'), HUB, PROD_DEPLOY])]), expected: [] },
    { name: 'a cycle', context: ctx([], { cycles: [[arn(DEV, 'a'), arn(DEV, 'b')]] }), expected: [`path-cycle[${arn(DEV, 'a')},${arn(DEV, 'b')}]`] },
    {
      name: 'a declared principal the snapshot does not have: dead',
      context: ctx([], { declared: { ...DECLARED, accounts: [{ ...DECLARED.accounts[1], trustedPrincipals: [HUB, arn(IDN, 'gone')] }] } }),
      expected: [`path-declared-dead[${arn(IDN, 'gone')}->${PROD_DEPLOY}]`],
    },
    { name: 'a declared principal that cannot assume the deploy role: dead', context: ctx([], { canAssume: (p) => p !== HUB }), expected: [`path-declared-dead[${HUB}->${DEV_DEPLOY}]`, `path-declared-dead[${HUB}->${PROD_DEPLOY}]`] },
    {
      name: 'a declared deploy role the snapshot does not have: dead',
      context: ctx([], { snapshot: { accounts: [account(IDN, [HUB]), account(DEV, [DEV_DEPLOY]), account(PROD, [])] } }),
      expected: [`path-declared-dead[${PROD_DEPLOY}]`],
    },
  ];
  it.each(cases)('$name', ({ context, expected }) => {
    expect(keys(context)).toEqual(expected);
  });

  it('messages name the path, the environments and the fix', () => {
    const [f] = judgePaths(ctx([path(service, [arn(DEV, 'app'), HUB, PROD_DEPLOY])])).findings;
    expect(f).toMatchObject({ ruleId: 'path-cross-environment', severity: 'mandatory', target: PROD_DEPLOY });
    expect(f.message).toBe(
      `service ec2.amazonaws.com -> ${arn(DEV, 'app')} -> ${HUB} -> ${PROD_DEPLOY}: ${arn(DEV, 'app')} (environment dev) reaches ${PROD_DEPLOY} (environment prod; deploy role of account prod) in 3 hops, with no condition to meet. ` +
        `Cut the chain where it leaves dev (the hop into ${HUB}): remove the caller from that role's trust policy, or narrow the caller's sts:AssumeRole resources to dev roles.`,
    );
  });

  it('levels come from the "paths" config; disabled drops the rule; exemptions apply by key until they expire', () => {
    const c = ctx([path(service, [arn(PROD, 'ops'), PROD_DEPLOY])], { cycles: [[arn(DEV, 'a')]] });
    const config = parsePathsConfig({
      rules: { 'path-undeclared': 'advisory', 'path-cycle': 'disabled' },
      exemptions: [{ ruleId: 'path-undeclared', findingKey: `path-undeclared[${arn(PROD, 'ops')}->${PROD_DEPLOY}]`, reason: 'Ops role, removed next sprint.', expires: '2030-01-01' }],
    });
    const before = judgePaths(c, config, new Date('2029-12-31T12:00:00Z'));
    expect(before.findings).toEqual([]);
    expect(before.exempted.map((e) => [e.finding.key, e.finding.severity])).toEqual([[`path-undeclared[${arn(PROD, 'ops')}->${PROD_DEPLOY}]`, 'advisory']]);
    const after = judgePaths(c, config, new Date('2030-01-02T00:00:00Z'));
    expect(after.findings.map((f) => f.key)).toEqual([`path-undeclared[${arn(PROD, 'ops')}->${PROD_DEPLOY}]`]);
    expect(after.expired[0].note).toMatch(/expired on 2030-01-01; it no longer covers path-undeclared\[/);
  });

  it('the "paths" config is validated with a sentence per problem', () => {
    expect(() => parsePathsConfig({ rules: { 'path-cycle': 'loud' }, longChainHops: 0, exemptions: [{ ruleId: 'trust-any-principal', findingKey: 'x', reason: 'short' }] })).toThrow(
      [
        'trust-guard configuration: paths.rules.path-cycle "loud" must be "mandatory", "advisory" or "disabled".',
        'trust-guard configuration: paths.longChainHops 0 must be a whole number of hops from 1 to 64.',
        `trust-guard configuration: paths.exemptions[0].ruleId "trust-any-principal" is not a path rule id; allowed are ${PATH_RULE_IDS.map((r) => `"${r}"`).join(', ')}.`,
        'trust-guard configuration: paths.exemptions[0].findingKey "x" must be a finding key such as "trust-account-root[Principal::AWS::arn:aws:iam::111111111111:root]".',
        'trust-guard configuration: paths.exemptions[0].reason "short" must be at least 10 characters saying why the finding is acceptable.',
      ].join('\n'),
    );
  });
});

describe('selectTargets', () => {
  const roles = [HUB, DEV_DEPLOY, PROD_DEPLOY, arn(PROD, 'admin')];
  const privileged = [
    { arn: PROD_DEPLOY, why: 'allows *' },
    { arn: arn(PROD, 'admin'), why: 'allows iam:*' },
  ];
  it('by default: every deploy role the snapshot has and every privileged role, with why', () => {
    expect(selectTargets(DECLARED, privileged, roles)).toEqual({
      ok: true,
      targets: [
        { target: DEV_DEPLOY, why: 'deploy role of account dev' },
        { target: arn(PROD, 'admin'), why: 'allows iam:*' },
        { target: PROD_DEPLOY, why: 'deploy role of account prod; allows *' },
      ],
    });
  });
  it('--to an account key: that account\'s default targets; --to an ARN: asked for', () => {
    expect(selectTargets(DECLARED, privileged, roles, ['prod', HUB])).toEqual({
      ok: true,
      targets: [
        { target: HUB, why: 'asked for' },
        { target: arn(PROD, 'admin'), why: 'allows iam:*' },
        { target: PROD_DEPLOY, why: 'deploy role of account prod; allows *' },
      ],
    });
  });
  it('--to values that name nothing are refused, each with a sentence', () => {
    expect(selectTargets(DECLARED, privileged, roles, ['qa', arn(PROD, 'nope')])).toEqual({
      ok: false,
      problems: [
        '--to "qa" is neither a role ARN nor an account of the registry; the account keys are dev, prod.',
        `--to ${arn(PROD, 'nope')} names no role of the snapshot; give a role ARN the snapshot holds, an account key (dev, prod) or an account id.`,
      ],
    });
  });
});
