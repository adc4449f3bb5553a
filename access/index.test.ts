import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildTrustPolicy, deployRoleTrustSpec, recordProgram, trustContextFromRegistry, type RecordedResource } from '@trustline/components';
import { SAMPLE_REGISTRY_FILE, loadRegistry } from '@trustline/registry';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';

/**
 * The frozen sample registry (@trustline/registry's SAMPLE_REGISTRY_FILE), not the live accounts.json:
 * these tests list every account, and the live file grows whenever a team onboards one.
 */
const REGISTRY = SAMPLE_REGISTRY_FILE;
const HUB = 'arn:aws:iam::012345678901:role/trustline-hub';
const CI = 'arn:aws:iam::012345678901:role/ci/github-actions-deploy';

async function run(config: Record<string, string> = {}, registryFile = REGISTRY) {
  process.env.TRUSTLINE_REGISTRY = registryFile;
  const result = await recordProgram({
    project: 'trustline-access',
    stack: 'identity',
    config: { 'aws:region': 'eu-west-1', ...config },
    program: async () => {
      vi.resetModules();
      return import('./index.js');
    },
  });
  const of = (type: string): RecordedResource[] => result.resources.filter((r) => r.type === type);
  return { ...result, of };
}

afterEach(() => {
  delete process.env.TRUSTLINE_REGISTRY;
});

const trust = (principals: string[], externalId?: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'TrustedRoles',
        Effect: 'Allow',
        Principal: { AWS: principals },
        Action: ['sts:AssumeRole'],
        ...(externalId ? { Condition: { StringEquals: { 'sts:ExternalId': externalId } } } : {}),
      },
    ],
  });

describe('the access project', () => {
  it('is the root project trustline-access with stack identity', () => {
    const project = parse(fs.readFileSync(path.resolve(__dirname, '../Pulumi.yaml'), 'utf8'));
    expect(project).toMatchObject({ name: 'trustline-access', runtime: { name: 'nodejs', options: { typescript: true } }, main: 'access/index.ts' });
    // Project-level, so it holds for every stack even without Pulumi.identity.yaml; the stack file must not override it.
    expect(project.config['pulumi:disable-default-providers']).toEqual({ value: ['aws'] });
    const stack = parse(fs.readFileSync(path.resolve(__dirname, '../Pulumi.identity.yaml'), 'utf8'));
    expect(stack.config['pulumi:disable-default-providers']).toBeUndefined();
  });

  it('creates one deploy role per registry account, each through a provider on that account\'s bootstrap role', async () => {
    const { of } = await run();
    const roles = of('aws:iam/role:Role');
    expect(roles.map((r) => [r.name, r.provider?.name, r.parent])).toEqual([
      ['dev-deploy', 'dev-bootstrap', 'urn:pulumi:identity::trustline-access::trustline:iam:CrossAccountRole::dev-deploy'],
      ['prod-deploy', 'prod-bootstrap', 'urn:pulumi:identity::trustline-access::trustline:iam:CrossAccountRole::prod-deploy'],
      ['test-deploy', 'test-bootstrap', 'urn:pulumi:identity::trustline-access::trustline:iam:CrossAccountRole::test-deploy'],
    ]);
    const providers = of('pulumi:providers:aws');
    expect(
      providers.map((p) => [p.name, p.props.region, p.props.allowedAccountIds, (p.props.assumeRoles as Array<{ roleArn: string; sessionName: string }>).map((h) => [h.roleArn, h.sessionName])]),
    ).toEqual([
      ['dev-bootstrap', 'eu-west-1', ['111111111111'], [[HUB, 'trustline-hub-dev'], ['arn:aws:iam::111111111111:role/OrganizationAccountAccessRole', 'trustline-bootstrap-dev']]],
      ['prod-bootstrap', 'eu-west-1', ['333333333333'], [[HUB, 'trustline-hub-prod'], ['arn:aws:iam::333333333333:role/OrganizationAccountAccessRole', 'trustline-bootstrap-prod']]],
      ['test-bootstrap', 'eu-central-1', ['222222222222'], [[HUB, 'trustline-hub-test'], ['arn:aws:iam::222222222222:role/OrganizationAccountAccessRole', 'trustline-bootstrap-test']]],
    ]);
    // Every AWS resource goes through one of those providers; none through a default provider.
    const awsResources = [...roles, ...of('aws:iam/rolePolicyAttachment:RolePolicyAttachment')];
    expect(awsResources.filter((r) => !providers.some((p) => p.urn === r.provider?.urn)).map((r) => r.urn)).toEqual([]);
  });

  it.each([
    ['dev-deploy', trust([HUB, CI])],
    ['prod-deploy', trust([HUB], 'trustline-prod-7f3c9a1e')],
    ['test-deploy', trust([HUB])],
  ])('%s has exactly the registry trust policy, session limit and role name', async (name, policy) => {
    const { of } = await run();
    const role = of('aws:iam/role:Role').find((r) => r.name === name);
    expect(role?.inputs).toEqual({
      name: 'trustline-deploy',
      assumeRolePolicy: policy,
      maxSessionDuration: 3600,
      path: '/',
      description: `trustline deploy role for the ${name.replace('-deploy', '')} account; managed by the trustline-access project.`,
      tags: {},
    });
  });

  it('deploys for every registry account the document of deployRoleTrustSpec, the spec the integration tests emulate', async () => {
    const registry = loadRegistry(REGISTRY);
    const { of } = await run();
    const deployed = Object.fromEntries(of('aws:iam/role:Role').map((r) => [r.name, JSON.parse(r.inputs.assumeRolePolicy as string)]));
    expect(deployed).toEqual(Object.fromEntries(registry.accounts.map((a) => [`${a.key}-deploy`, buildTrustPolicy(deployRoleTrustSpec(a), trustContextFromRegistry(registry))])));
  });

  it('attaches AdministratorAccess by default and exports the deploy role ARNs', async () => {
    const { of, outputs } = await run();
    expect(of('aws:iam/rolePolicyAttachment:RolePolicyAttachment').map((a) => [a.name, a.inputs, a.provider?.name])).toEqual([
      ['dev-deploy-AdministratorAccess', { role: 'trustline-deploy', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }, 'dev-bootstrap'],
      ['prod-deploy-AdministratorAccess', { role: 'trustline-deploy', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }, 'prod-bootstrap'],
      ['test-deploy-AdministratorAccess', { role: 'trustline-deploy', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }, 'test-bootstrap'],
    ]);
    expect(outputs).toEqual({
      deployRoleArns: {
        dev: 'arn:aws:iam::111111111111:role/trustline-deploy',
        prod: 'arn:aws:iam::333333333333:role/trustline-deploy',
        test: 'arn:aws:iam::222222222222:role/trustline-deploy',
      },
    });
  });

  it('lets the SDK release each account once it is registered: the stack resource keeps none of them', async () => {
    const { of } = await run();
    expect(of('trustline:iam:CrossAccountRole')).toHaveLength(3);
    // The SDK's private parent-to-children set (see releaseFromStack). If an SDK upgrade renames it, this
    // fails, and the access program's memory again grows by about 70 KB per account until it ends.
    const stack = (globalThis as { stackResource?: { __pulumiType?: string; __childResources?: unknown } }).stackResource;
    expect(stack?.__pulumiType).toBe('pulumi:pulumi:Stack');
    expect(stack?.__childResources).toBeInstanceOf(Set);
    expect([...(stack?.__childResources as Set<{ __pulumiType: string; __name: string }>)].map((r) => `${r.__pulumiType}::${r.__name}`)).toEqual([]);
  });

  it('takes the bootstrap role, policies and permissions boundary from config', async () => {
    const { of } = await run({
      'trustline-access:bootstrapRoleName': 'bootstrap-admin',
      'trustline-access:deployRolePolicyArns': JSON.stringify(['arn:aws:iam::aws:policy/PowerUserAccess', 'arn:aws:iam::aws:policy/IAMFullAccess']),
      'trustline-access:permissionsBoundaryArn': 'arn:aws:iam::aws:policy/PowerUserAccess',
    });
    const dev = of('pulumi:providers:aws').find((p) => p.name === 'dev-bootstrap');
    expect((dev?.props.assumeRoles as Array<{ roleArn: string }>)[1].roleArn).toBe('arn:aws:iam::111111111111:role/bootstrap-admin');
    expect(of('aws:iam/role:Role').map((r) => r.inputs.permissionsBoundary)).toEqual(Array(3).fill('arn:aws:iam::aws:policy/PowerUserAccess'));
    expect(of('aws:iam/rolePolicyAttachment:RolePolicyAttachment').filter((a) => a.name.startsWith('dev-')).map((a) => a.name)).toEqual([
      'dev-deploy-PowerUserAccess',
      'dev-deploy-IAMFullAccess',
    ]);
  });

  it('refuses a bad bootstrap role name from config', async () => {
    await expect(run({ 'trustline-access:bootstrapRoleName': 'bad name' })).rejects.toThrowError(
      'config trustline-access:bootstrapRoleName "bad name" is not an IAM role name (1 to 64 of letters, digits and +=,.@_-).',
    );
  });

  it('fails with every registry problem listed when the registry is invalid', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-access-'));
    const file = path.join(dir, 'accounts.json');
    const registry = JSON.parse(fs.readFileSync(REGISTRY, 'utf8'));
    registry.accounts[0].trustedPrincipals = ['arn:aws:iam::012345678901:role/*'];
    registry.accounts[1].accountId = '12345';
    fs.writeFileSync(file, JSON.stringify(registry));
    try {
      await expect(run({}, file)).rejects.toThrowError(
        [
          `${file}: the account registry has 2 problems:`,
          `  - accounts[0] ("dev").trustedPrincipals[0] "arn:aws:iam::012345678901:role/*" contains a wildcard; name each role ARN exactly (IAM rejects wildcards in principals and the intent is broad).`,
          `  - accounts[1] ("prod").accountId "12345" is not a 12-digit AWS account id (keep it a string: "012345678901").`,
        ].join('\n'),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
