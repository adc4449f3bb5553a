import * as aws from '@pulumi/aws';
import { describe, expect, it } from 'vitest';
import { sampleRegistry } from '../../test/fixtures';
import { ComponentArgsError } from '../errors';
import { recordProgram, type RecordedResource } from '../testing/record-program';
import { CrossAccountRole, type CrossAccountRoleArgs } from './cross-account-role';

const registry = sampleRegistry();
const HUB = 'arn:aws:iam::012345678901:role/trustline-hub';
const ROLE_TYPE = 'aws:iam/role:Role';
const ATTACHMENT_TYPE = 'aws:iam/rolePolicyAttachment:RolePolicyAttachment';

async function record(args: Partial<CrossAccountRoleArgs>, withProvider = true) {
  let role: CrossAccountRole | undefined;
  const result = await recordProgram({
    project: 'components',
    stack: 'test',
    program: () => {
      const provider = withProvider ? new aws.Provider('dev', { region: 'eu-west-1', allowedAccountIds: ['111111111111'] }) : undefined;
      role = new CrossAccountRole('dev-deploy', { trust: { trustedRoleArns: [HUB] }, registry, roleName: 'trustline-deploy', ...args }, { provider });
      return { arn: role.arn, name: role.name };
    },
  });
  const byType = (type: string): RecordedResource[] => result.resources.filter((r) => r.type === type);
  return { ...result, byType, role: role! };
}

describe('CrossAccountRole', () => {
  it('creates the role with the built trust policy and defaults, parented to the component, through the caller provider', async () => {
    const { byType, resources, outputs } = await record({});
    const component = resources.find((r) => r.type === 'trustline:iam:CrossAccountRole');
    expect(component?.urn).toBe('urn:pulumi:test::components::trustline:iam:CrossAccountRole::dev-deploy');
    const [role] = byType(ROLE_TYPE);
    expect(role.name).toBe('dev-deploy');
    expect(role.urn).toBe('urn:pulumi:test::components::trustline:iam:CrossAccountRole$aws:iam/role:Role::dev-deploy');
    expect(role.parent).toBe(component?.urn);
    expect(role.provider?.urn).toBe('urn:pulumi:test::components::pulumi:providers:aws::dev');
    expect(role.inputs).toEqual({
      name: 'trustline-deploy',
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Sid: 'TrustedRoles', Effect: 'Allow', Principal: { AWS: [HUB] }, Action: ['sts:AssumeRole'] }],
      }),
      maxSessionDuration: 3600,
      path: '/',
      tags: {},
    });
    expect(byType(ATTACHMENT_TYPE)).toEqual([]);
    expect(outputs).toEqual({ arn: 'arn:aws:iam::111111111111:role/trustline-deploy', name: 'trustline-deploy' });
  });

  it('passes every option through and attaches one policy per ARN, named after the policy', async () => {
    const { byType, role } = await record({
      trust: { trustedRoleArns: [HUB], externalId: 'trustline-prod-7f3c9a1e' },
      maxSessionDuration: 7200,
      path: '/trustline/',
      permissionsBoundary: 'arn:aws:iam::111111111111:policy/boundary',
      description: 'deploy role',
      tags: { team: 'platform' },
      managedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess', 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess'],
    });
    const [r] = byType(ROLE_TYPE);
    expect(r.inputs).toMatchObject({
      maxSessionDuration: 7200,
      path: '/trustline/',
      permissionsBoundary: 'arn:aws:iam::111111111111:policy/boundary',
      description: 'deploy role',
      tags: { team: 'platform' },
    });
    expect(JSON.parse(r.inputs.assumeRolePolicy as string).Statement[0].Condition).toEqual({ StringEquals: { 'sts:ExternalId': 'trustline-prod-7f3c9a1e' } });
    expect(role.trustPolicy).toEqual(JSON.parse(r.inputs.assumeRolePolicy as string));
    const attachments = byType(ATTACHMENT_TYPE);
    expect(attachments.map((a) => [a.name, a.inputs, a.parent, a.provider?.name])).toEqual([
      ['dev-deploy-AdministratorAccess', { role: 'trustline-deploy', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }, r.parent, 'dev'],
      ['dev-deploy-job-function-ViewOnlyAccess', { role: 'trustline-deploy', policyArn: 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess' }, r.parent, 'dev'],
    ]);
    expect(attachments.every((a) => a.dependencies.includes(r.urn))).toBe(true);
  });

  it('without a provider its children have none (the caller must pass one)', async () => {
    const { byType } = await record({}, false);
    expect(byType(ROLE_TYPE)[0].provider).toBeUndefined();
  });

  it('refuses bad arguments and a broad trust spec in one error listing everything', async () => {
    const build = () =>
      new CrossAccountRole('bad', {
        registry,
        roleName: 'has space',
        maxSessionDuration: 900,
        path: 'no-slash',
        managedPolicyArns: ['AdministratorAccess', 'arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::111111111111:policy/ReadOnlyAccess'],
        trust: { trustedRoleArns: ['*'] },
      });
    let error: unknown;
    await recordProgram({
      project: 'components',
      stack: 'test',
      program: () => {
        try {
          build();
        } catch (e) {
          error = e;
        }
        return {};
      },
    });
    expect(error).toBeInstanceOf(ComponentArgsError);
    expect((error as Error).message).toBe(
      [
        'CrossAccountRole "bad" has 6 problems:',
        '  - roleName "has space" is not an IAM role name (1 to 64 of letters, digits and +=,.@_-).',
        '  - maxSessionDuration 900 is outside 3600..43200 seconds (IAM\'s limits for a role\'s MaxSessionDuration).',
        '  - path "no-slash" is not an IAM path ("/" or "/segment/.../", at most 512 characters).',
        '  - managedPolicyArns[0] "AdministratorAccess" is not a managed policy ARN (arn:aws:iam::aws:policy/<name> or arn:aws:iam::<account>:policy/<name>).',
        '  - managedPolicyArns[2] "arn:aws:iam::111111111111:policy/ReadOnlyAccess" has the same policy name as managedPolicyArns[1]; each attachment is named after its policy, so list each policy once.',
        '  - trust: trustedRoleArns[0] "*" contains a wildcard; name each role ARN exactly, or trust a family of roles with accountRoots and an ArnLike principalArns pattern.',
      ].join('\n'),
    );
  });
});
