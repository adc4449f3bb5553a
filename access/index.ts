import * as pulumi from '@pulumi/pulumi';
import { CrossAccountRole, createAccountProvider, deployRoleTrustSpec } from '@trustline/components';
import { type AccountEntry, ROLE_NAME, loadRegistry, partitionOf } from '@trustline/registry';

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

const bootstrapRegistry = { ...registry, bootstrapRoleName };

/**
 * Runs `declare` with no stack frames captured. Pulumi's SDK stores `new Error().stack` on every promise
 * it creates (runtime/debuggable.js, for its leaked-promise report): one per input and output property of
 * every resource, several hundred for an aws.Provider. Those strings, not the resources, were most of
 * this program's memory (about 1 MB per account: 1,000 accounts needed 1.1 GB) and, with source maps on,
 * most of its CPU. Errors thrown meanwhile keep their messages, which name the account and field.
 */
function withoutPromiseStacks<T>(declare: () => T): T {
  const frames = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return declare();
  } finally {
    Error.stackTraceLimit = frames;
  }
}

/**
 * Accounts declared before the program waits for their registrations. Declared all at once, every
 * account's registrations are in flight together (serialized inputs, resolvers, pending promises), so
 * peak memory grew by about 1 MB per account; in waves it is bounded by one wave plus what Pulumi keeps
 * per registered resource. During `pulumi up` a registration returns once the resource exists, so a
 * wave also bounds how far declaration runs ahead of creation; 100 accounts keep the engine busy.
 */
const WAVE = 100;
/** Progress on stderr for large organizations: declaring 10,000 accounts takes a while. */
const PROGRESS_EVERY = 1000;

function declareAccount(account: AccountEntry): CrossAccountRole {
  const provider = createAccountProvider(`${account.key}-bootstrap`, {
    registry: bootstrapRegistry,
    account,
    target: 'bootstrap',
  });
  return new CrossAccountRole(
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
}

/** Resolves once the engine has registered every one of `roles` (their URNs are known then). */
const registered = (roles: readonly CrossAccountRole[]): Promise<void> =>
  new Promise((resolve) => {
    pulumi.all(roles.map((r) => r.urn)).apply(() => resolve());
  });

async function declareAccounts(): Promise<Record<string, pulumi.Output<string>>> {
  const arns: Record<string, pulumi.Output<string>> = {};
  const total = registry.accounts.length;
  for (let start = 0; start < total; start += WAVE) {
    const wave = registry.accounts.slice(start, start + WAVE).map((account) => {
      const role = withoutPromiseStacks(() => declareAccount(account));
      arns[account.key] = role.arn;
      return role;
    });
    const done = start + wave.length;
    if (done < total) await registered(wave);
    if (total >= PROGRESS_EVERY && (Math.floor(done / PROGRESS_EVERY) > Math.floor(start / PROGRESS_EVERY) || done === total)) {
      process.stderr.write(`trustline-access: declared the deploy roles of ${done}/${total} accounts\n`);
    }
  }
  return arns;
}

/** Each account's deploy role ARN, by account key. */
export const deployRoleArns: pulumi.Output<Record<string, string>> = pulumi.output(declareAccounts());
