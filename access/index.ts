import * as pulumi from '@pulumi/pulumi';
import { CrossAccountRole, createAccountProvider, deployRoleTrustSpec } from '@trustline/components';
import { ROLE_NAME, loadRegistry, partitionOf } from '@trustline/registry';

// The access project runs with identity-account credentials. For every target account it assumes that
// account's bootstrap role (AWS Organizations' OrganizationAccountAccessRole unless configured) and
// creates the deploy role the account's own project later deploys through.
const config = new pulumi.Config('trustline-access');
const registry = loadRegistry();

const bootstrapRoleName = config.get('bootstrapRoleName') ?? registry.bootstrapRoleName;
if (!ROLE_NAME.test(bootstrapRoleName)) {
  throw new Error(`config trustline-access:bootstrapRoleName ${JSON.stringify(bootstrapRoleName)} is not an IAM role name (1 to 64 of letters, digits and +=,.@_-).`);
}
/** Managed policies for every deploy role; default AdministratorAccess in the account's partition. */
const policyArns = config.getObject<string[]>('deployRolePolicyArns');
const permissionsBoundary = config.get('permissionsBoundaryArn');

export const deployRoleArns: Record<string, pulumi.Output<string>> = Object.fromEntries(
  registry.accounts.map((account) => {
    const provider = createAccountProvider(`${account.key}-bootstrap`, {
      registry: { ...registry, bootstrapRoleName },
      account,
      target: 'bootstrap',
    });
    const role = new CrossAccountRole(
      `${account.key}-deploy`,
      {
        registry,
        roleName: account.deployRoleName,
        trust: deployRoleTrustSpec(account),
        maxSessionDuration: account.maxSessionDurationSeconds,
        managedPolicyArns: policyArns ?? [`arn:${partitionOf(account.region)}:iam::aws:policy/AdministratorAccess`],
        ...(permissionsBoundary !== undefined ? { permissionsBoundary } : {}),
        description: `trustline deploy role for the ${account.key} account; managed by the trustline-access project.`,
      },
      { provider },
    );
    return [account.key, role.arn];
  }),
);
