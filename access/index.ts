import * as pulumi from '@pulumi/pulumi';
import { CrossAccountRole, createAccountProvider, deployRoleTrustSpec } from '@trustline/components';
import { type AccountEntry, ROLE_NAME, loadRegistry, partitionOf, roleArn } from '@trustline/registry';

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
 * Runs `declare` with no stack frames captured, until the promise it returns settles. Pulumi's SDK stores
 * `new Error().stack` on every promise it creates (runtime/debuggable.js, for its leaked-promise report):
 * one per input and output property of every resource, several hundred for an aws.Provider, both while a
 * resource is constructed and later, while its inputs are serialized and its registration runs
 * (runtime/rpc.js serializeProperty, runtime/resource.js runAsyncResourceOp). Those strings were most of
 * this program's memory (about 1 MB per account) and, formatted through source maps, about a tenth of its
 * CPU at 4,000 accounts. Errors thrown meanwhile keep their messages, which name the account and field;
 * the SDK's own source positions are unaffected (Resource.callsites lifts the limit for itself).
 */
async function withoutPromiseStacks<T>(declare: () => Promise<T>): Promise<T> {
  const frames = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return await declare();
  } finally {
    Error.stackTraceLimit = frames;
  }
}

/**
 * Accounts in flight: declared, not yet registered. Declared all at once, every account's registrations
 * are in flight together (serialized inputs, resolvers, pending promises), about 1 MB per account. A
 * window bounds that, and a small one costs less CPU: at 2,000 accounts (one run each, under load), windows
 * of 10 and 25 took 13.8 and 14.9 s against 18.6 s for waves of 100, most of the difference in the collector.
 * It is a sliding window, not waves: a new account is declared as soon as one is registered, so during
 * `pulumi up` (where a registration returns once the resource exists; the CLI runs 16 at a time by
 * default) the engine always has work and one slow account does not hold up the next ones.
 */
const WINDOW = 20;
/** Progress on stderr for large organizations: declaring 10,000 accounts takes a while. */
const PROGRESS_EVERY = 1000;

interface DeclaredAccount {
  readonly provider: ReturnType<typeof createAccountProvider>;
  readonly role: CrossAccountRole;
}

function declareAccount(account: AccountEntry): DeclaredAccount {
  const provider = createAccountProvider(`${account.key}-bootstrap`, {
    registry: bootstrapRegistry,
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
  return { provider, role };
}

/** Resolves once the engine has registered the account's last resources (its policy attachments wait for the role). */
const registered = ({ role }: DeclaredAccount): Promise<void> =>
  new Promise((resolve) => {
    pulumi.all([role.urn, role.role.urn, ...role.attachments.map((a) => a.urn)]).apply(() => resolve());
  });

/**
 * Lets the SDK drop a registered top-level resource. @pulumi/pulumi adds every resource to its parent's
 * `__childResources` set (resource.js, the Resource constructor: `this.__parentResource.__childResources.add(this)`),
 * and reads that set in one place only: runtime/dependsOn.js, `addTransitivelyReferencedChildResourcesOfComponentResources`,
 * which expands a dependency on a component into its children. The parent of every top-level resource
 * is the stack resource, which no program can depend on, so its set did nothing but keep every account's
 * provider and component alive to the end (with their outputs: about 70 KB per account, 0.7 GB at 10,000
 * accounts, and a collector working ever harder against it). Only the stack's set is touched, and only
 * when it is a Set: a later SDK that renames these private fields makes this a no-op (the access tests
 * then fail on purpose: "lets the SDK release each account once it is registered").
 */
function releaseFromStack(resource: pulumi.Resource): void {
  const parent = (resource as unknown as { __parentResource?: { __pulumiType?: unknown; __childResources?: unknown } }).__parentResource;
  if (parent?.__pulumiType === 'pulumi:pulumi:Stack' && parent.__childResources instanceof Set) parent.__childResources.delete(resource);
}

async function declareAccounts(): Promise<Record<string, string>> {
  // The ARNs are the registry's (roleArn, as every hop into a deploy role is written), not `role.arn`:
  // an output holds its resource, so 10,000 of them fanned into one export kept every account's
  // resources alive. They are equal once the role exists, and known already in a preview.
  const arns: Record<string, string> = {};
  const total = registry.accounts.length;
  let inFlight = 0;
  let wake: (() => void) | undefined;
  let done = 0;
  for (const account of registry.accounts) {
    const declared = declareAccount(account);
    arns[account.key] = roleArn(account.accountId, account.deployRoleName, account.region);
    inFlight++;
    void registered(declared).then(() => {
      releaseFromStack(declared.provider);
      releaseFromStack(declared.role);
      inFlight--;
      done++;
      if (total >= PROGRESS_EVERY && (done % PROGRESS_EVERY === 0 || done === total)) {
        process.stderr.write(`trustline-access: registered the deploy roles of ${done}/${total} accounts\n`);
      }
      wake?.();
    });
    while (inFlight >= WINDOW) await new Promise<void>((resolve) => (wake = resolve));
  }
  while (inFlight > 0) await new Promise<void>((resolve) => (wake = resolve));
  return arns;
}

/** Each account's deploy role ARN, by account key. */
export const deployRoleArns: pulumi.Output<Record<string, string>> = pulumi.output(withoutPromiseStacks(declareAccounts));
