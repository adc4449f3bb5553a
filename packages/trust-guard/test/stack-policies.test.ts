import type { PolicyProviderResource, PolicyResource, StackValidationArgs } from '@pulumi/policy';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stackAllowedAccountIds } from '../src/policies/stack-allowed-account-ids';
import { stackChainedSessionDuration } from '../src/policies/stack-chained-session-duration';
import { stackProviderPerAccount } from '../src/policies/stack-provider-per-account';
import { useTestRegistry } from './helpers';

beforeAll(useTestRegistry);

const HUB = 'arn:aws:iam::012345678901:role/trustline-hub';
const DEV_DEPLOY = 'arn:aws:iam::111111111111:role/trustline-deploy';
const PROD_DEPLOY = 'arn:aws:iam::333333333333:role/trustline-deploy';

class NotApplicable extends Error {}

/** Props as the engine may send them: objects, or JSON text for the provider's list-valued config. */
type Encoding = 'objects' | 'json-strings';
function providerProps(encoding: Encoding, hops: object[], allowed?: string[]): Record<string, unknown> {
  const enc = (v: unknown) => (encoding === 'json-strings' ? JSON.stringify(v) : v);
  return { region: 'eu-west-1', assumeRoles: enc(hops), ...(allowed ? { allowedAccountIds: enc(allowed) } : {}) };
}

function provider(project: string, name: string, props: Record<string, unknown>): PolicyProviderResource {
  return { type: 'pulumi:providers:aws', name, urn: `urn:pulumi:${project}::${project}::pulumi:providers:aws::${name}`, props };
}

function resource(project: string, type: string, name: string, p?: PolicyProviderResource): PolicyResource {
  return {
    type,
    name,
    urn: `urn:pulumi:${project}::${project}::${type}::${name}`,
    props: {},
    opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
    ...(p ? { provider: p } : {}),
    dependencies: [],
    propertyDependencies: {},
    isType: () => false,
    asType: () => undefined,
  };
}

/** The stack as the engine lists it: the provider resources, then resources that reference them. */
function stackOf(project: string, providers: PolicyProviderResource[], resources: PolicyResource[]): PolicyResource[] {
  const own = providers.map((p) => ({ ...resource(project, p.type, p.name), urn: p.urn, props: p.props }));
  return [resource(project, 'pulumi:pulumi:Stack', `${project}-${project}`), ...own, ...resources];
}

async function run(policy: { validateStack: (args: StackValidationArgs, report: (m: string, urn?: string) => void) => unknown }, resources: PolicyResource[]) {
  const violations: { message: string; urn?: string }[] = [];
  const args: StackValidationArgs = {
    resources,
    stackTags: new Map(),
    getConfig: <T extends object>() => ({}) as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  };
  await policy.validateStack(args, (message, urn) => violations.push({ message, ...(urn ? { urn } : {}) }));
  return violations;
}

describe.each<Encoding>(['objects', 'json-strings'])('stack policies with provider props as %s', (encoding) => {
  const devProvider = provider('dev', 'dev', providerProps(encoding, [{ roleArn: HUB, duration: '1h' }, { roleArn: DEV_DEPLOY, duration: '3600s' }], ['111111111111']));
  const compliant = stackOf('dev', [devProvider], [resource('dev', 'aws:s3/bucketV2:BucketV2', 'logs', devProvider), resource('dev', 'aws:iam/role:Role', 'app', devProvider)]);

  it('a compliant dev stack passes all three', async () => {
    expect(await run(stackProviderPerAccount, compliant)).toEqual([]);
    expect(await run(stackAllowedAccountIds, compliant)).toEqual([]);
    expect(await run(stackChainedSessionDuration, compliant)).toEqual([]);
  });

  it('stack-provider-per-account reports a resource with no provider and one on the default provider', async () => {
    const def = provider('dev', 'default_7_48_0', { region: 'eu-west-1' });
    const stack = stackOf('dev', [devProvider], [resource('dev', 'aws:s3/bucketV2:BucketV2', 'orphan'), resource('dev', 'aws:sqs/queue:Queue', 'jobs', def)]);
    expect(await run(stackProviderPerAccount, stack)).toEqual([
      {
        urn: 'urn:pulumi:dev::dev::aws:s3/bucketV2:BucketV2::orphan',
        message: 'aws:s3/bucketV2:BucketV2 "orphan" has no AWS provider. Pass the account\'s provider explicitly ({ provider }) so it deploys into account "dev" (111111111111).',
      },
      {
        urn: 'urn:pulumi:dev::dev::aws:sqs/queue:Queue::jobs',
        message: DEFAULT_PROVIDER_MESSAGE('aws:sqs/queue:Queue', 'jobs', 'account "dev" (111111111111)'),
      },
    ]);
  });

  it('stack-provider-per-account reports a provider into the wrong account', async () => {
    const prodProvider = provider('dev', 'prod', providerProps(encoding, [{ roleArn: HUB }, { roleArn: PROD_DEPLOY }], ['333333333333']));
    const stack = stackOf('dev', [devProvider, prodProvider], [resource('dev', 'aws:s3/bucketV2:BucketV2', 'logs', prodProvider)]);
    expect(await run(stackProviderPerAccount, stack)).toEqual([
      {
        urn: 'urn:pulumi:dev::dev::aws:s3/bucketV2:BucketV2::logs',
        message:
          'aws:s3/bucketV2:BucketV2 "logs" uses provider "prod", which assumes a role in account 333333333333, but project "dev" deploys into account "dev" (111111111111). Give the provider an assumeRoles chain ending in a role in account "dev" (111111111111).',
      },
    ]);
  });

  it('stack-provider-per-account lets the access project use any organization account, but not a vendor account', async () => {
    const prodProvider = provider('trustline-access', 'prod', providerProps(encoding, [{ roleArn: PROD_DEPLOY }], ['333333333333']));
    const vendor = provider('trustline-access', 'vendor', providerProps(encoding, [{ roleArn: 'arn:aws:iam::999999999999:role/x' }], ['999999999999']));
    const stack = stackOf('trustline-access', [prodProvider, vendor], [
      resource('trustline-access', 'aws:iam/role:Role', 'prod-deploy', prodProvider),
      resource('trustline-access', 'aws:iam/role:Role', 'vendor-role', vendor),
    ]);
    const violations = await run(stackProviderPerAccount, stack);
    expect(violations.map((v) => v.urn)).toEqual(['urn:pulumi:trustline-access::trustline-access::aws:iam/role:Role::vendor-role']);
    expect(violations[0].message).toContain('assumes a role in account 999999999999, but project "trustline-access" deploys into the organization\'s accounts');
  });

  it('stack-provider-per-account is not applicable to projects outside the registry', async () => {
    const stack = stackOf('website', [], [resource('website', 'aws:s3/bucketV2:BucketV2', 'site')]);
    await expect(run(stackProviderPerAccount, stack)).rejects.toThrow('the stack\'s project is neither "trustline-access" nor an account key in the registry.');
  });

  it('stack-allowed-account-ids reports a missing and a wrong allowedAccountIds', async () => {
    const missing = provider('dev', 'dev', providerProps(encoding, [{ roleArn: HUB }, { roleArn: DEV_DEPLOY }]));
    const wrong = provider('dev', 'dev-wide', providerProps(encoding, [{ roleArn: DEV_DEPLOY }], ['111111111111', '222222222222']));
    const stack = stackOf('dev', [missing, wrong], [resource('dev', 'aws:s3/bucketV2:BucketV2', 'logs', missing)]);
    expect(await run(stackAllowedAccountIds, stack)).toEqual([
      {
        urn: 'urn:pulumi:dev::dev::pulumi:providers:aws::dev',
        message: 'AWS provider "dev" does not set allowedAccountIds. Set allowedAccountIds: ["111111111111"], the account its role chain ends in, so it refuses credentials for any other account.',
      },
      {
        urn: 'urn:pulumi:dev::dev::pulumi:providers:aws::dev-wide',
        message: 'AWS provider "dev-wide" sets allowedAccountIds ["111111111111","222222222222"], but its role chain ends in account 111111111111. Set allowedAccountIds: ["111111111111"], exactly that account.',
      },
    ]);
  });

  it('stack-chained-session-duration reports a two-hour hop in a chain and a two-hour single hop, not a one-hour one', async () => {
    const chained = provider('dev', 'dev', providerProps(encoding, [{ roleArn: HUB, duration: '2h' }, { roleArn: DEV_DEPLOY, duration: '1h' }], ['111111111111']));
    const single = provider('dev', 'direct', providerProps(encoding, [{ roleArn: DEV_DEPLOY, duration: '2h' }], ['111111111111']));
    const hour = provider('dev', 'hour', providerProps(encoding, [{ roleArn: DEV_DEPLOY, duration: '60m' }], ['111111111111']));
    const stack = stackOf('dev', [chained, single, hour], [resource('dev', 'aws:s3/bucketV2:BucketV2', 'logs', chained)]);
    expect(await run(stackChainedSessionDuration, stack)).toEqual([
      {
        urn: 'urn:pulumi:dev::dev::pulumi:providers:aws::dev',
        message:
          'AWS provider "dev" assumeRoles[0] (arn:aws:iam::012345678901:role/trustline-hub) asks for duration "2h" (7200 s), but the provider chains 2 roles and AWS caps chained sessions at one hour. Set duration to "1h" or less.',
      },
      {
        urn: 'urn:pulumi:dev::dev::pulumi:providers:aws::direct',
        message:
          'AWS provider "direct" assumeRoles[0] (arn:aws:iam::111111111111:role/trustline-deploy) asks for duration "2h" (7200 s), but AWS caps a session at one hour when the caller is itself a role session (IAM Identity Center, OIDC, an instance role), which is how people and CI sign in. Set duration to "1h" or less.',
      },
    ]);
  });

  it('stack-chained-session-duration reports a duration that is not a Go duration', async () => {
    const bad = provider('dev', 'dev', providerProps(encoding, [{ roleArn: HUB }, { roleArn: DEV_DEPLOY, duration: '3600' }], ['111111111111']));
    expect(await run(stackChainedSessionDuration, stackOf('dev', [bad], []))).toEqual([
      {
        urn: 'urn:pulumi:dev::dev::pulumi:providers:aws::dev',
        message:
          'AWS provider "dev" assumeRoles[1] (arn:aws:iam::111111111111:role/trustline-deploy): duration "3600" is not a Go duration (a number without a unit at "3600"; units are ns, us, ms, s, m and h); write it like "1h", "45m" or "3600s".',
      },
    ]);
  });
});

const STACK_POLICIES = [stackProviderPerAccount, stackAllowedAccountIds, stackChainedSessionDuration];

/** Every stack policy on `stack`, as the engine runs them: violations by policy, notApplicable as its reason. */
async function runAll(stack: PolicyResource[]): Promise<{ policy: string; message: string; urn?: string }[]> {
  const out: { policy: string; message: string; urn?: string }[] = [];
  for (const p of STACK_POLICIES) {
    try {
      for (const v of await run(p, stack)) out.push({ policy: p.name, ...v });
    } catch (e) {
      if (!(e instanceof NotApplicable)) throw e;
    }
  }
  return out;
}

const DEFAULT_PROVIDER_MESSAGE = (type: string, name: string, label: string) =>
  `${type} "${name}" uses the default AWS provider "default_7_48_0", which deploys with whatever credentials the shell has: the stack does not disable default providers. Pass the account's provider explicitly ({ provider }) so it deploys into ${label}, and set pulumi:disable-default-providers to ["aws"] in the project's Pulumi.yaml (config: pulumi:disable-default-providers: value: [aws]) so a forgotten provider fails.`;

describe('stack policies together: scoped to registry projects, one finding per problem', () => {
  // The engine lists the default provider as a resource of the stack (it registers it) and as the provider of the resources on it.
  const def = provider('dev', 'default_7_48_0', { region: 'eu-west-1' });
  const devProvider = provider('dev', 'dev', providerProps('json-strings', [{ roleArn: HUB, duration: '1h' }, { roleArn: DEV_DEPLOY, duration: '1h' }], ['111111111111']));
  const cases: { name: string; stack: PolicyResource[]; expected: { policy: string; message: string; urn?: string }[] }[] = [
    {
      name: 'one stray resource on the default provider: exactly one mandatory finding',
      stack: stackOf('dev', [devProvider, def], [resource('dev', 'aws:s3/bucketV2:BucketV2', 'logs', devProvider), resource('dev', 'aws:sqs/queue:Queue', 'jobs', def)]),
      expected: [
        { policy: 'stack-provider-per-account', urn: 'urn:pulumi:dev::dev::aws:sqs/queue:Queue::jobs', message: DEFAULT_PROVIDER_MESSAGE('aws:sqs/queue:Queue', 'jobs', 'account "dev" (111111111111)') },
      ],
    },
    {
      name: 'the default provider only as a reference (not listed as a resource): still one',
      stack: stackOf('dev', [], [resource('dev', 'aws:sqs/queue:Queue', 'jobs', def)]),
      expected: [
        { policy: 'stack-provider-per-account', urn: 'urn:pulumi:dev::dev::aws:sqs/queue:Queue::jobs', message: DEFAULT_PROVIDER_MESSAGE('aws:sqs/queue:Queue', 'jobs', 'account "dev" (111111111111)') },
      ],
    },
    {
      name: 'a project outside the registry: no stack policy judges it, whatever its providers',
      stack: stackOf('website', [provider('website', 'web', providerProps('objects', [{ roleArn: 'arn:aws:iam::444444444444:role/x', duration: '1h' }]))], [resource('website', 'aws:s3/bucketV2:BucketV2', 'site', def)]),
      expected: [],
    },
    {
      name: 'an explicit provider without allowedAccountIds: one stack-allowed-account-ids finding on the provider',
      stack: stackOf('dev', [provider('dev', 'dev', providerProps('objects', [{ roleArn: DEV_DEPLOY, duration: '1h' }]))], []),
      expected: [
        {
          policy: 'stack-allowed-account-ids',
          urn: 'urn:pulumi:dev::dev::pulumi:providers:aws::dev',
          message: 'AWS provider "dev" does not set allowedAccountIds. Set allowedAccountIds: ["111111111111"], the account its role chain ends in, so it refuses credentials for any other account.',
        },
      ],
    },
  ];

  it.each(cases)('$name', async ({ stack, expected }) => {
    expect(await runAll(stack)).toEqual(expected);
  });

  it('stack-allowed-account-ids says why it does not apply outside the registry', async () => {
    const stack = stackOf('website', [provider('website', 'web', providerProps('objects', [{ roleArn: DEV_DEPLOY }]))], []);
    await expect(run(stackAllowedAccountIds, stack)).rejects.toThrow('the stack\'s project is neither "trustline-access" nor an account key in the registry.');
  });
});

describe('stack policies without the account registry', () => {
  afterEach(useTestRegistry);

  it('the registry policies say they could not validate the stack; stack-chained-session-duration, which needs no registry, still judges', async () => {
    process.env.TRUSTLINE_REGISTRY = '/nonexistent/trustline/no-such-accounts.json';
    const long = provider('dev', 'dev', providerProps('objects', [{ roleArn: DEV_DEPLOY, duration: '2h' }], ['111111111111']));
    const unavailable = (policy: string) => ({ policy, message: expect.stringMatching(new RegExp(`^${policy} could not be validated: the account registry could not be loaded: .*no-such-accounts\\.json`)) });
    expect(await runAll(stackOf('dev', [long], []))).toEqual([
      unavailable('stack-provider-per-account'),
      unavailable('stack-allowed-account-ids'),
      { policy: 'stack-chained-session-duration', urn: long.urn, message: expect.stringContaining(`AWS provider "dev" assumeRoles[0] (${DEV_DEPLOY}) asks for duration "2h" (7200 s)`) },
    ]);
  });
});
