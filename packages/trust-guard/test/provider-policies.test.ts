import type { ResourceValidationArgs, ResourceValidationPolicy } from '@pulumi/policy';
import { unknownCheckingProxy } from '@pulumi/policy';
import { beforeAll, describe, expect, it } from 'vitest';
import { resourcePolicies } from '../src/policies';
import { providerAccount } from '../src/policies/provider-account';
import { providerUnverifiableAtPreview } from '../src/policies/provider-unverifiable-at-preview';
import { UNKNOWN, useTestRegistry } from './helpers';

beforeAll(useTestRegistry);

/**
 * The provider resource policies, called as the engine calls Analyze for a `pulumi:providers:aws`
 * registration: provider config JSON-encoded (or as objects), props behind @pulumi/policy's
 * unknown-checking proxy, unknowns as the engine's sentinel.
 */
const HUB = 'arn:aws:iam::012345678901:role/trustline-hub';
const DEV_DEPLOY = 'arn:aws:iam::111111111111:role/trustline-deploy';
const PROD_DEPLOY = 'arn:aws:iam::333333333333:role/trustline-deploy';
const VENDOR_ROLE = 'arn:aws:iam::999999999999:role/vendor';

const engineProxy = (props: Record<string, unknown>): Record<string, unknown> => unknownCheckingProxy(props) as Record<string, any>;

function providerArgs(project: string, name: string, props: Record<string, unknown>): ResourceValidationArgs {
  const type = 'pulumi:providers:aws';
  return {
    type,
    name,
    urn: `urn:pulumi:${project}::${project}::${type}::${name}`,
    props: engineProxy(props),
    opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => ({}) as T,
    notApplicable: (reason?: string): never => {
      throw new Error(`notApplicable: ${reason}`);
    },
  };
}

async function validate(policy: ResourceValidationPolicy, args: ResourceValidationArgs): Promise<string[]> {
  const messages: string[] = [];
  const fns = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
  for (const fn of fns) await fn?.(args, (message) => messages.push(message));
  return messages;
}

const json = (v: unknown) => JSON.stringify(v);
const chain = (...arns: string[]) => json(arns.map((roleArn) => ({ roleArn, duration: '1h' })));

interface Case {
  readonly name: string;
  readonly project: string;
  readonly provider: string;
  readonly props: Record<string, unknown>;
  readonly account: string[];
  readonly unverifiable: string[];
}

const DEV_LABEL = 'account "dev" (111111111111)';
const unverifiable = (fields: string, verb: 'is' | 'are') =>
  `AWS provider "dev": ${fields} ${verb} not known at preview (computed from another resource's outputs), so the account it deploys into cannot be verified until update. provider-account checks it at update, before any resource is deployed through it, against ${DEV_LABEL}. To check it at preview, build the chain from values known before deployment (the registry's role ARNs and account ids).`;
const cases: Case[] = [
  { name: 'a dev provider into dev, pinned to dev', project: 'dev', provider: 'dev', props: { assumeRoles: chain(HUB, DEV_DEPLOY), allowedAccountIds: json(['111111111111']) }, account: [], unverifiable: [] },
  {
    name: 'the same provider with its config as objects (not JSON text)',
    project: 'dev',
    provider: 'dev',
    props: { assumeRoles: [{ roleArn: HUB }, { roleArn: DEV_DEPLOY }], allowedAccountIds: ['111111111111'] },
    account: [],
    unverifiable: [],
  },
  {
    name: 'a dev provider whose chain ends in prod',
    project: 'dev',
    provider: 'dev',
    props: { assumeRoles: chain(HUB, PROD_DEPLOY), allowedAccountIds: json(['333333333333']) },
    account: [`AWS provider "dev", which assumes a role in account 333333333333, but project "dev" deploys into ${DEV_LABEL}. Give the provider an assumeRoles chain ending in a role in ${DEV_LABEL}.`],
    unverifiable: [],
  },
  {
    name: 'a dev provider into dev pinned to prod',
    project: 'dev',
    provider: 'dev',
    props: { assumeRoles: chain(HUB, DEV_DEPLOY), allowedAccountIds: json(['333333333333']) },
    account: ['AWS provider "dev" sets allowedAccountIds ["333333333333"], but its role chain ends in account 111111111111. Set allowedAccountIds: ["111111111111"], exactly that account.'],
    unverifiable: [],
  },
  {
    name: 'a dev provider into dev without allowedAccountIds',
    project: 'dev',
    provider: 'dev',
    props: { assumeRoles: chain(HUB, DEV_DEPLOY) },
    account: ['AWS provider "dev" does not set allowedAccountIds. Set allowedAccountIds: ["111111111111"], the account its role chain ends in, so it refuses credentials for any other account.'],
    unverifiable: [],
  },
  {
    name: 'a dev provider with no role chain',
    project: 'dev',
    provider: 'dev',
    props: { region: 'eu-west-1' },
    account: [`AWS provider "dev", which cannot be pinned to an account: it has no assumeRoles, so it deploys with whatever credentials the shell has. Give the provider an assumeRoles chain ending in a role in ${DEV_LABEL}.`],
    unverifiable: [],
  },
  {
    name: 'a @pulumi/aws 6 assumeRole (one object) into dev',
    project: 'dev',
    provider: 'dev',
    props: { assumeRole: json({ roleArn: DEV_DEPLOY }), allowedAccountIds: json(['111111111111']) },
    account: [],
    unverifiable: [],
  },
  {
    name: 'the access project may use any organization account, not a vendor account',
    project: 'trustline-access',
    provider: 'vendor',
    props: { assumeRoles: chain(HUB, VENDOR_ROLE), allowedAccountIds: json(['999999999999']) },
    account: [
      'AWS provider "vendor", which assumes a role in account 999999999999, but project "trustline-access" deploys into the organization\'s accounts (trustline-access works in the identity and every registry account). Give the provider an assumeRoles chain ending in a role in the organization\'s accounts (trustline-access works in the identity and every registry account).',
    ],
    unverifiable: [],
  },
  { name: 'a project outside the registry is not judged', project: 'elsewhere', provider: 'p', props: { assumeRoles: chain(VENDOR_ROLE) }, account: [], unverifiable: [] },
  {
    name: 'an unknown assumeRoles at preview',
    project: 'dev',
    provider: 'dev',
    props: { assumeRoles: UNKNOWN, allowedAccountIds: json(['111111111111']) },
    account: [],
    unverifiable: [unverifiable('assumeRoles', 'is')],
  },
  {
    name: 'an unknown roleArn inside a known chain, and unknown allowedAccountIds',
    project: 'dev',
    provider: 'dev',
    props: { assumeRoles: [{ roleArn: HUB }, { roleArn: UNKNOWN }], allowedAccountIds: UNKNOWN },
    account: [],
    unverifiable: [unverifiable('assumeRoles and allowedAccountIds', 'are')],
  },
  {
    name: 'an unknown @pulumi/aws 6 assumeRole',
    project: 'dev',
    provider: 'dev',
    props: { assumeRole: UNKNOWN, allowedAccountIds: json(['111111111111']) },
    account: [],
    unverifiable: [unverifiable('assumeRole', 'is')],
  },
  { name: 'a default provider is left to stack-provider-per-account', project: 'dev', provider: 'default_7_48_0', props: { region: 'eu-west-1' }, account: [], unverifiable: [] },
];

describe('provider resource policies (Analyze on pulumi:providers:aws)', () => {
  it.each(cases)('$name', async ({ project, provider, props, account, unverifiable }) => {
    const args = providerArgs(project, provider, props);
    expect(await validate(providerAccount, args)).toEqual(account);
    expect(await validate(providerUnverifiableAtPreview, args)).toEqual(unverifiable);
  });

  it('are in the pack with their levels: provider-account mandatory, provider-unverifiable-at-preview advisory', () => {
    const levels = Object.fromEntries(resourcePolicies.filter((p) => p.name.startsWith('provider-')).map((p) => [p.name, p.enforcementLevel]));
    expect(levels).toEqual({ 'provider-account': 'mandatory', 'provider-unverifiable-at-preview': 'advisory' });
  });

  it('no other resource policy reports on a provider resource', async () => {
    const args = providerArgs('dev', 'dev', { assumeRoles: chain(HUB, PROD_DEPLOY) });
    for (const p of resourcePolicies.filter((x) => !x.name.startsWith('provider-'))) expect({ policy: p.name, messages: await validate(p, args) }).toEqual({ policy: p.name, messages: [] });
  });
});
