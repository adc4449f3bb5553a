import { describe, expect, it } from 'vitest';
import { roleTrust } from '../src/trust';
import type { ProviderChain } from '../src/result';
import { REGISTRY } from './fixtures';

const provider: ProviderChain = {
  name: 'prod-bootstrap',
  urn: 'urn:pulumi:identity::trustline-access::pulumi:providers:aws::prod-bootstrap',
  region: 'eu-west-1',
  allowedAccountIds: ['333333333333'],
  hops: [{ roleArn: 'arn:aws:iam::333333333333:role/OrganizationAccountAccessRole', accountId: '333333333333', externalId: false, sessionName: null, durationSeconds: 3600 }],
  accountId: '333333333333',
  resources: 1,
};
const trust = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', ...statement }] });

describe('roleTrust', () => {
  it('places a role in its provider chain account, with its path, and lists who may assume it', () => {
    const [role] = roleTrust(
      [
        {
          type: 'aws:iam/role:Role',
          name: 'prod-deploy',
          urn: 'urn:pulumi:identity::trustline-access::aws:iam/role:Role::prod-deploy',
          inputs: {
            name: 'trustline-deploy',
            path: '/ci/',
            assumeRolePolicy: trust({ Principal: { AWS: 'arn:aws:iam::012345678901:role/trustline-hub' }, Condition: { StringEquals: { 'sts:ExternalId': 'x-1234' } } }),
          },
          provider: { urn: provider.urn },
        },
      ],
      [provider],
      REGISTRY,
    );
    expect(role).toMatchObject({ name: 'prod-deploy', roleName: 'trustline-deploy', accountId: '333333333333', arn: 'arn:aws:iam::333333333333:role/ci/trustline-deploy' });
    expect(role.edges).toHaveLength(1);
    expect(role.edges[0]).toMatchObject({ principal: 'AWS::arn:aws:iam::012345678901:role/trustline-hub', accountId: '012345678901', broad: false, ruleIds: [] });
    expect(role.edges[0].conditions).toEqual(['ExternalId']);
  });

  it('marks a principal any account may use as broad, and leaves a role without provider unplaced', () => {
    const roles = roleTrust(
      [
        { type: 'aws:iam/role:Role', name: 'open', urn: 'urn:pulumi:dev::dev::aws:iam/role:Role::open', inputs: { assumeRolePolicy: trust({ Principal: { AWS: '*' } }) } },
        { type: 'aws:s3/bucket:Bucket', name: 'b', urn: 'urn:pulumi:dev::dev::aws:s3/bucket:Bucket::b', inputs: {} },
      ],
      [],
      REGISTRY,
    );
    expect(roles).toHaveLength(1);
    expect(roles[0]).toMatchObject({ roleName: 'open', accountId: null, arn: null });
    expect(roles[0].edges.map((e) => [e.principal, e.broad, e.ruleIds.includes('trust-any-principal')])).toEqual([['AWS::*', true, true]]);
  });

  it('gives a document that cannot be parsed no edges (the pack reports it as trust-malformed)', () => {
    const [role] = roleTrust([{ type: 'aws:iam/role:Role', name: 'bad', urn: 'urn:x', inputs: { assumeRolePolicy: '{not json' } }], [], REGISTRY);
    expect(role.edges).toEqual([]);
  });
});
