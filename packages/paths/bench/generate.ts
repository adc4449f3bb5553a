/**
 * A generated organization for `npm run bench:paths`: N accounts under a realistic OU tree, 100 roles and 20 users
 * per account (1,000 accounts: 100,000 roles, 20,000 users), two privileged roles per account (a
 * `trustline-deploy` role with AdministratorAccess trusted by the identity account's hub, a `break-glass` role
 * trusted by the identity account with MFA), cross-account roles with ExternalId, service roles, chains through
 * `sts:AssumeRole` on `app-*`, SCPs and RCPs on the root, OUs and accounts. As GAAD does, every account's file
 * repeats the AWS-managed policies it uses, each as its own URL-encoded text (the engine must dedupe them).
 * Deterministic: the same size gives the same snapshot.
 */
import type { OrgPolicy, OrgSnapshot, SnapshotAccount, SnapshotRole, SnapshotUser } from '../src/types';

export const ROLES_PER_ACCOUNT = 100;
export const USERS_PER_ACCOUNT = 20;
const ORG = 'o-benchbench1';
const ROOT = 'r-bnch';
const OUTSIDE = '999988887777';

const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
export const accountIdOf = (i: number): string => String(200000000000 + i);

/** AWS-managed policies, repeated in every account's file. ReadOnlyAccess is large, as the real one is (~900 actions). */
const AWS_MANAGED: Record<string, object> = {
  AdministratorAccess: doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
  ReadOnlyAccess: doc({
    Effect: 'Allow',
    Action: Array.from({ length: 900 }, (_, i) => `service${i % 150}:${['Describe', 'Get', 'List'][i % 3]}${'Thing'.repeat(1 + (i % 3))}${i}`),
    Resource: '*',
  }),
  PowerUserAccess: doc({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' }, { Effect: 'Allow', Action: ['iam:CreateServiceLinkedRole', 'iam:ListRoles'], Resource: '*' }),
  'service-role/AWSLambdaBasicExecutionRole': doc({ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }),
  AmazonS3ReadOnlyAccess: doc({ Effect: 'Allow', Action: ['s3:Get*', 's3:List*', 's3-object-lambda:Get*', 's3-object-lambda:List*'], Resource: '*' }),
};
const awsArn = (name: string) => `arn:aws:iam::aws:policy/${name}`;
const encode = (d: object) => encodeURIComponent(JSON.stringify(d));

const OUS = [
  { id: 'ou-bnch-security', parentId: ROOT, name: 'Security' },
  { id: 'ou-bnch-workloads', parentId: ROOT, name: 'Workloads' },
  { id: 'ou-bnch-prod', parentId: 'ou-bnch-workloads', name: 'Prod' },
  { id: 'ou-bnch-nonprod', parentId: 'ou-bnch-workloads', name: 'NonProd' },
  { id: 'ou-bnch-sandbox', parentId: ROOT, name: 'Sandbox' },
];
/** Account 0: management; 1: identity (the hub); then prod, nonprod and sandbox accounts in turn. */
const parentOf = (i: number) => (i === 0 ? ROOT : i === 1 ? 'ou-bnch-security' : ['ou-bnch-prod', 'ou-bnch-nonprod', 'ou-bnch-nonprod', 'ou-bnch-sandbox'][i % 4]);
const env = (i: number) => (parentOf(i) === 'ou-bnch-prod' ? 'prod' : parentOf(i) === 'ou-bnch-sandbox' ? 'sandbox' : 'dev');

function role(account: string, name: string, trust: object, managed: string[], inline: object[] = [], boundary?: string): SnapshotRole {
  const arn = `arn:aws:iam::${account}:role/${name}`;
  return {
    arn,
    name,
    path: '/',
    trustPolicy: encode(trust),
    inlinePolicies: inline.map((d, k) => ({ id: `${arn}#inline/p${k}`, document: encode(d) })),
    managedPolicyArns: managed,
    ...(boundary ? { permissionsBoundaryArn: boundary } : {}),
    tags: { env: 'bench' },
  };
}

function account(i: number, n: number): SnapshotAccount {
  const id = accountIdOf(i);
  const identity = accountIdOf(1);
  const peer = accountIdOf(2 + ((i + 4) % Math.max(1, n - 2)));
  const managedPolicies = new Map<string, unknown>();
  for (const [name, d] of Object.entries(AWS_MANAGED)) managedPolicies.set(awsArn(name), encode(d));
  const appPolicies: string[] = [];
  for (let k = 0; k < 20; k++) {
    const arn = `arn:aws:iam::${id}:policy/app-${k}`;
    appPolicies.push(arn);
    const statements: object[] = [
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::bench-${id}-${k}/*` },
      { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: `arn:aws:dynamodb:eu-west-1:${id}:table/t${k}` },
    ];
    // Some app policies may assume other app roles of the account (chains), a few a peer account's.
    if (k % 5 === 0) statements.push({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${id}:role/app-${(k + 1) % 80}` });
    if (k % 10 === 3) statements.push({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${peer}:role/xacct-*` });
    managedPolicies.set(arn, encode(doc(...statements)));
  }
  const boundary = `arn:aws:iam::${id}:policy/boundary`;
  managedPolicies.set(boundary, encode(doc({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' })));
  const developers = `arn:aws:iam::${id}:policy/developers`;
  managedPolicies.set(developers, encode(doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${id}:role/app-*`, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })));

  const roles: SnapshotRole[] = [];
  const hub = `arn:aws:iam::${identity}:role/trustline-hub`;
  roles.push(role(id, 'trustline-deploy', doc({ Effect: 'Allow', Principal: { AWS: hub }, Action: 'sts:AssumeRole' }), [awsArn('AdministratorAccess')]));
  roles.push(role(id, 'break-glass', doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${identity}:root` }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }), [awsArn('AdministratorAccess')]));
  if (i === 1) {
    roles.push(
      role(id, 'trustline-hub', doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${id}:root` }, Action: 'sts:AssumeRole' }), [awsArn('ReadOnlyAccess')], [
        doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::*:role/trustline-deploy' }),
      ]),
    );
  }
  for (let k = 0; k < 5; k++) {
    roles.push(
      role(id, `xacct-${k}`, doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountIdOf(2 + ((i + k) % Math.max(1, n - 2)))}:root` }, Action: 'sts:AssumeRole', ...(k % 2 ? { Condition: { StringEquals: { 'sts:ExternalId': `ext-${k}` } } } : {}) }), [awsArn('AmazonS3ReadOnlyAccess')]),
    );
  }
  roles.push(role(id, 'vendor-audit', doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OUTSIDE}:root` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': `vendor-${id}` } } }), [awsArn('ReadOnlyAccess')]));
  for (let k = 0; k < 10; k++) {
    roles.push(role(id, `svc-${k}`, doc({ Effect: 'Allow', Principal: { Service: k % 2 ? 'lambda.amazonaws.com' : 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }), [awsArn('service-role/AWSLambdaBasicExecutionRole'), appPolicies[k]]));
  }
  for (let k = 0; roles.length < ROLES_PER_ACCOUNT; k++) {
    const trust =
      k % 3 === 0
        ? doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${id}:root` }, Action: 'sts:AssumeRole' })
        : k % 3 === 1
          ? doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${id}:role/svc-${k % 10}` }, Action: 'sts:AssumeRole' })
          : doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${id}:role/app-${(k + 7) % 80}` }, Action: 'sts:AssumeRole' });
    roles.push(role(id, `app-${k}`, trust, [appPolicies[k % 20], ...(k % 4 === 0 ? [awsArn('ReadOnlyAccess')] : [])], [], k % 7 === 0 ? boundary : undefined));
  }
  const users: SnapshotUser[] = Array.from({ length: USERS_PER_ACCOUNT }, (_, k) => ({
    arn: `arn:aws:iam::${id}:user/dev-${k}`,
    name: `dev-${k}`,
    path: '/',
    inlinePolicies: [],
    managedPolicyArns: k === 0 && i === 1 ? [awsArn('AdministratorAccess')] : [],
    groups: [k % 5 === 0 ? 'admins' : 'developers'],
    tags: {},
  }));
  return {
    accountId: id,
    status: 'read',
    roles,
    users,
    groups: [
      { arn: `arn:aws:iam::${id}:group/developers`, name: 'developers', inlinePolicies: [], managedPolicyArns: [developers, awsArn('ReadOnlyAccess')] },
      { arn: `arn:aws:iam::${id}:group/admins`, name: 'admins', inlinePolicies: [{ id: `arn:aws:iam::${id}:group/admins#inline/assume`, document: encode(doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' })) }], managedPolicyArns: [awsArn('PowerUserAccess')] },
    ],
    managedPolicies,
  };
}

/** The benchmark organization of `n` accounts (n ≥ 3). */
export function benchSnapshot(n: number): OrgSnapshot {
  const ids = Array.from({ length: n }, (_, i) => accountIdOf(i));
  const policies: OrgPolicy[] = [
    { id: 'p-FullAWSAccess', type: 'SERVICE_CONTROL_POLICY', name: 'FullAWSAccess', content: doc({ Effect: 'Allow', Action: '*', Resource: '*' }), targets: [ROOT, ...OUS.map((o) => o.id), ...ids] },
    { id: 'p-denyleave', type: 'SERVICE_CONTROL_POLICY', name: 'DenyLeaveOrg', content: doc({ Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }), targets: [ROOT] },
    { id: 'p-sandbox', type: 'SERVICE_CONTROL_POLICY', name: 'SandboxNoDeploy', content: doc({ Effect: 'Deny', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::*:role/trustline-deploy' }), targets: ['ou-bnch-sandbox'] },
    { id: 'p-RCPFullAWSAccess', type: 'RESOURCE_CONTROL_POLICY', name: 'RCPFullAWSAccess', content: doc({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }), targets: [ROOT, ...OUS.map((o) => o.id), ...ids] },
    {
      id: 'p-rcporg',
      type: 'RESOURCE_CONTROL_POLICY',
      name: 'OrgOnlyUnlessExternalId',
      content: doc({ Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole', Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': ORG }, Null: { 'sts:ExternalId': 'true' }, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } } }),
      targets: ['ou-bnch-prod'],
    },
  ];
  return {
    organization: {
      organizationId: ORG,
      managementAccountId: ids[0],
      rootId: ROOT,
      organizationalUnits: OUS,
      accounts: ids.map((accountId, i) => ({ accountId, name: `${env(i)}-${i}`, parentId: parentOf(i) })),
      policies,
    },
    accounts: ids.map((_, i) => account(i, n)),
  };
}
