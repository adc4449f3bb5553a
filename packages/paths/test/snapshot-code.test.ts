import { describe, expect, it } from 'vitest';
import { analyseSnapshot, DECLARED_ROLE_TAG, snapshotFromCode, type CodeResource, type Declared } from '../src';

const HUB = 'arn:aws:iam::012345678901:role/trustline-hub';
const DEV_DEPLOY = 'arn:aws:iam::111111111111:role/trustline-deploy';
const PROD_DEPLOY = 'arn:aws:iam::333333333333:role/trustline-deploy';
const declared: Declared = {
  organizationId: 'o-exampleorg01',
  identity: { key: 'identity', accountId: '012345678901', hubRoleArn: HUB },
  accounts: [
    { key: 'dev', accountId: '111111111111', environment: 'dev', deployRoleArn: DEV_DEPLOY, trustedPrincipals: [HUB] },
    { key: 'prod', accountId: '333333333333', environment: 'prod', deployRoleArn: PROD_DEPLOY, trustedPrincipals: [HUB] },
  ],
  externalAccounts: [],
};
const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';
const isUnknown = (v: unknown) => v === UNKNOWN;
const trust = (principal: string, effect = 'Allow') => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: effect, Principal: { AWS: principal }, Action: 'sts:AssumeRole' }] });

/** A role and its AdministratorAccess attachment as the access program registers them (the attachment names the role through its output). */
function role(stack: string, account: string, name: string, trustPolicy: unknown, extra: Partial<CodeResource> = {}): CodeResource[] {
  const urn = `urn:pulumi:${stack}::${stack}::aws:iam/role:Role::${name}`;
  return [
    { type: 'aws:iam/role:Role', urn, name, inputs: { name, assumeRolePolicy: trustPolicy }, account, region: 'eu-west-1', ...extra },
    {
      type: 'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
      urn: `urn:pulumi:${stack}::${stack}::aws:iam/rolePolicyAttachment:RolePolicyAttachment::${name}-admin`,
      name: `${name}-admin`,
      inputs: { role: `${name}-id`, policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
      propertyDependencies: { role: [urn] },
      account,
    },
  ];
}
const deployRoles = [...role('identity', '111111111111', 'trustline-deploy', trust(HUB)), ...role('identity', '333333333333', 'trustline-deploy', trust(HUB))];

describe('snapshotFromCode: the organization the code declares', () => {
  it('places each role in its provider account, attaches policies through the resource they came from, and adds the hub as the registry declares it', () => {
    const { snapshot, problems } = snapshotFromCode(deployRoles, declared, { isUnknown });
    expect(problems).toEqual([]);
    expect(snapshot.accounts.map((a) => [a.accountId, a.roles.map((r) => r.arn)])).toEqual([
      ['012345678901', [HUB]],
      ['111111111111', [DEV_DEPLOY]],
      ['333333333333', [PROD_DEPLOY]],
    ]);
    const prod = snapshot.accounts[2];
    expect(prod.roles[0].managedPolicyArns).toEqual(['arn:aws:iam::aws:policy/AdministratorAccess']);
    expect(prod.managedPolicies.has('arn:aws:iam::aws:policy/AdministratorAccess')).toBe(true);
    const hub = snapshot.accounts[0].roles[0];
    expect(hub.tags).toEqual({ [DECLARED_ROLE_TAG]: 'accounts.json' });
    expect(hub.inlinePolicies.map((p) => (p.document as { Statement: { Resource: string[] }[] }).Statement[0].Resource)).toEqual([[DEV_DEPLOY, PROD_DEPLOY]]);
  });

  it('reports a trust policy that is not known before deploy and a role whose account is not known, instead of dropping them silently', () => {
    const records = [...role('dev', '111111111111', 'computed', UNKNOWN), ...role('dev', '', 'nowhere', trust(HUB)).map((r) => ({ ...r, account: null }))];
    const { snapshot, problems } = snapshotFromCode(records, declared, { isUnknown });
    expect(problems.map((p) => p.urn)).toEqual([
      'urn:pulumi:dev::dev::aws:iam/role:Role::computed',
      'urn:pulumi:dev::dev::aws:iam/role:Role::nowhere',
      'urn:pulumi:dev::dev::aws:iam/rolePolicyAttachment:RolePolicyAttachment::nowhere-admin',
    ]);
    expect(problems[0].message).toContain('assumeRolePolicy is not known before deploy');
    expect(problems[1].message).toContain('the account it is created in is not known');
    const computed = snapshot.accounts.find((a) => a.accountId === '111111111111')?.roles[0];
    expect(computed?.trustPolicy).toEqual({ Version: '2012-10-17', Statement: [] });
  });
});

describe('the path rules on the code graph', () => {
  const judge = (records: CodeResource[]) => {
    const analysis = analyseSnapshot(snapshotFromCode(records, declared, { isUnknown }).snapshot, declared, { rules: {}, exemptions: [] }, { maxHops: 8, all: false });
    if (!analysis.ok) throw new Error(analysis.problems.join(' '));
    return analysis;
  };

  it('flags a dev role that trusts the prod deploy role (prod reaches an admin role in dev): path-cross-environment', () => {
    const a = judge([...deployRoles, ...role('dev', '111111111111', 'bridge', trust(PROD_DEPLOY))]);
    const keys = a.judgement.findings.map((f) => f.key);
    expect(keys).toContain(`path-cross-environment[${PROD_DEPLOY}->arn:aws:iam::111111111111:role/bridge]`);
    expect(a.targets.find((t) => t.target === PROD_DEPLOY)?.paths.map((p) => [p.from.id, ...p.hops])).toEqual([[HUB, PROD_DEPLOY]]);
  });

  it('the decoy (the same role, its trust statement a Deny) opens no path and is not flagged', () => {
    const a = judge([...deployRoles, ...role('dev', '111111111111', 'bridge', trust(PROD_DEPLOY, 'Deny'))]);
    expect(a.judgement.findings.filter((f) => f.ruleId === 'path-cross-environment')).toEqual([]);
    expect(a.targets.find((t) => t.target.endsWith(':role/bridge'))?.paths).toEqual([]);
  });

  it('flags a deploy role the code lets a role the registry does not declare assume: path-undeclared', () => {
    const intruder = 'arn:aws:iam::111111111111:role/intruder';
    const prodTrust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: [HUB, intruder] }, Action: 'sts:AssumeRole' }] });
    const a = judge([...role('identity', '111111111111', 'trustline-deploy', trust(HUB)), ...role('identity', '333333333333', 'trustline-deploy', prodTrust), ...role('dev', '111111111111', 'intruder', trust('arn:aws:iam::111111111111:root'))]);
    expect(a.judgement.findings.map((f) => f.key)).toContain(`path-undeclared[${intruder}->${PROD_DEPLOY}]`);
  });
});
