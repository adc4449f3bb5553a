import type { AccountRegistry } from '@trustline/registry';
import type { PreviewFinding, PreviewResult, RoleTrust, StackResult } from '../src/result';
import { summarize } from '../src/summary';
import { codePaths } from '../src/paths';

/** A small registry: identity 012345678901, dev 111111111111, prod 333333333333 (ExternalId), vendor 999999999999. */
export const REGISTRY: AccountRegistry = {
  organizationId: 'o-exampleorg01',
  bootstrapRoleName: 'OrganizationAccountAccessRole',
  environments: ['dev', 'prod'],
  identity: { key: 'identity', accountId: '012345678901', region: 'eu-west-1', hubRoleName: 'trustline-hub' },
  externalAccounts: [{ name: 'example-monitoring-vendor', accountId: '999999999999' }],
  accounts: [
    { key: 'dev', accountId: '111111111111', environment: 'dev', region: 'eu-west-1', deployRoleName: 'trustline-deploy', trustedPrincipals: ['arn:aws:iam::012345678901:role/trustline-hub'], maxSessionDurationSeconds: 3600 },
    { key: 'prod', accountId: '333333333333', environment: 'prod', region: 'eu-west-1', deployRoleName: 'trustline-deploy', trustedPrincipals: ['arn:aws:iam::012345678901:role/trustline-hub'], externalId: 'x-1234', maxSessionDurationSeconds: 3600 },
  ],
};

const HUB = 'arn:aws:iam::012345678901:role/trustline-hub';

export const deployRole = (accountId: string, extra: Partial<RoleTrust> = {}): RoleTrust => ({
  urn: `urn:pulumi:identity::trustline-access::aws:iam/role:Role::deploy-${accountId}`,
  name: `deploy-${accountId}`,
  roleName: 'trustline-deploy',
  accountId,
  arn: `arn:aws:iam::${accountId}:role/trustline-deploy`,
  edges: [{ principal: `AWS::${HUB}`, kind: 'role', accountId: '012345678901', actions: ['sts:AssumeRole'], conditions: accountId === '333333333333' ? ['ExternalId'] : [], broad: false, ruleIds: [] }],
  ...extra,
});

export const broadFinding: PreviewFinding = {
  ruleId: 'trust-any-principal',
  policy: 'trust-any-principal',
  severity: 'mandatory',
  message: 'trust-any-principal[Principal::AWS::*] in assumeRolePolicy: Principal {"AWS":"*"} lets any AWS account assume this role.',
  fix: 'Name the role ARNs that need access.',
  resource: { urn: 'urn:pulumi:dev::dev::aws:iam/role:Role::open', type: 'aws:iam/role:Role', name: 'open' },
};

export function stack(project: string, extra: Partial<StackResult> = {}): StackResult {
  const accountId = project === 'access' ? '012345678901' : project === 'dev' ? '111111111111' : '333333333333';
  return {
    project,
    pulumiProject: project === 'access' ? 'trustline-access' : project,
    stack: project === 'access' ? 'identity' : project,
    program: project === 'access' ? 'access/index.ts' : `projects/${project}/index.ts`,
    accountId,
    status: 'passed',
    resourceCount: 3,
    resourcesByType: { 'aws:s3/bucket:Bucket': 1, 'pulumi:providers:aws': 1, 'pulumi:pulumi:Stack': 1 },
    providers: [
      {
        name: `${project}-account`,
        urn: `urn:pulumi:${project}::${project}::pulumi:providers:aws::${project}-account`,
        region: 'eu-west-1',
        allowedAccountIds: [accountId],
        hops: [
          { roleArn: HUB, accountId: '012345678901', externalId: false, sessionName: `trustline-hub-${project}`, durationSeconds: 3600 },
          { roleArn: `arn:aws:iam::${accountId}:role/trustline-deploy`, accountId, externalId: project === 'prod', sessionName: `trustline-deploy-${project}`, durationSeconds: 3600 },
        ],
        accountId,
        resources: 1,
      },
    ],
    roles: [],
    findings: [],
    ...extra,
  };
}

export const result = (stacks: StackResult[]): PreviewResult => summarize('/ws', 'accounts.json', stacks, codePaths(stacks, REGISTRY, 'accounts.json'));
