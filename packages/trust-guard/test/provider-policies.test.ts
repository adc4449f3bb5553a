import type { ResourceValidationArgs, ResourceValidationPolicy } from '@pulumi/policy';
import { unknownCheckingProxy } from '@pulumi/policy';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
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
/** A case for a provider named after its project: no violation from either policy unless `expected` names some. */
const caseOf = (name: string, project: string, provider: string, props: Record<string, unknown>, expected: Partial<Pick<Case, 'account' | 'unverifiable'>> = {}): Case => ({
  name,
  project,
  provider,
  props,
  account: expected.account ?? [],
  unverifiable: expected.unverifiable ?? [],
});
/** The usual case: provider "dev" in project "dev". */
const dev = (name: string, props: Record<string, unknown>, expected?: Partial<Pick<Case, 'account' | 'unverifiable'>>): Case => caseOf(name, 'dev', 'dev', props, expected);

const ORG_LABEL = "the organization's accounts (trustline-access works in the identity and every registry account)";
const cases: Case[] = [
  dev('a dev provider into dev, pinned to dev', { assumeRoles: chain(HUB, DEV_DEPLOY), allowedAccountIds: json(['111111111111']) }),
  dev('the same provider with its config as objects (not JSON text)', { assumeRoles: [{ roleArn: HUB }, { roleArn: DEV_DEPLOY }], allowedAccountIds: ['111111111111'] }),
  dev(
    'a dev provider whose chain ends in prod',
    { assumeRoles: chain(HUB, PROD_DEPLOY), allowedAccountIds: json(['333333333333']) },
    { account: [`AWS provider "dev", which assumes a role in account 333333333333, but project "dev" deploys into ${DEV_LABEL}. Give the provider an assumeRoles chain ending in a role in ${DEV_LABEL}.`] },
  ),
  dev(
    'a dev provider into dev pinned to prod',
    { assumeRoles: chain(HUB, DEV_DEPLOY), allowedAccountIds: json(['333333333333']) },
    { account: ['AWS provider "dev" sets allowedAccountIds ["333333333333"], but its role chain ends in account 111111111111. Set allowedAccountIds: ["111111111111"], exactly that account.'] },
  ),
  dev(
    'a dev provider into dev without allowedAccountIds',
    { assumeRoles: chain(HUB, DEV_DEPLOY) },
    { account: ['AWS provider "dev" does not set allowedAccountIds. Set allowedAccountIds: ["111111111111"], the account its role chain ends in, so it refuses credentials for any other account.'] },
  ),
  dev(
    'a dev provider with no role chain',
    { region: 'eu-west-1' },
    { account: [`AWS provider "dev", which cannot be pinned to an account: it has no assumeRoles, so it deploys with whatever credentials the shell has. Give the provider an assumeRoles chain ending in a role in ${DEV_LABEL}.`] },
  ),
  dev('a @pulumi/aws 6 assumeRole (one object) into dev', { assumeRole: json({ roleArn: DEV_DEPLOY }), allowedAccountIds: json(['111111111111']) }),
  caseOf(
    'the access project may use any organization account, not a vendor account',
    'trustline-access',
    'vendor',
    { assumeRoles: chain(HUB, VENDOR_ROLE), allowedAccountIds: json(['999999999999']) },
    { account: [`AWS provider "vendor", which assumes a role in account 999999999999, but project "trustline-access" deploys into ${ORG_LABEL}. Give the provider an assumeRoles chain ending in a role in ${ORG_LABEL}.`] },
  ),
  caseOf('a project outside the registry is not judged', 'elsewhere', 'p', { assumeRoles: chain(VENDOR_ROLE) }),
  dev('an unknown assumeRoles at preview', { assumeRoles: UNKNOWN, allowedAccountIds: json(['111111111111']) }, { unverifiable: [unverifiable('assumeRoles', 'is')] }),
  dev(
    'an unknown roleArn inside a known chain, and unknown allowedAccountIds',
    { assumeRoles: [{ roleArn: HUB }, { roleArn: UNKNOWN }], allowedAccountIds: UNKNOWN },
    { unverifiable: [unverifiable('assumeRoles and allowedAccountIds', 'are')] },
  ),
  dev('an unknown @pulumi/aws 6 assumeRole', { assumeRole: UNKNOWN, allowedAccountIds: json(['111111111111']) }, { unverifiable: [unverifiable('assumeRole', 'is')] }),
  caseOf('a default provider is left to stack-provider-per-account', 'dev', 'default_7_48_0', { region: 'eu-west-1' }),
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

describe('provider resource policies without the account registry', () => {
  afterEach(useTestRegistry);

  it('provider-account says it could not validate the provider; provider-unverifiable-at-preview still warns, naming no account', async () => {
    process.env.TRUSTLINE_REGISTRY = '/nonexistent/trustline/no-such-accounts.json';
    expect(await validate(providerAccount, providerArgs('dev', 'dev', { assumeRoles: chain(HUB, PROD_DEPLOY) }))).toEqual([
      expect.stringMatching(/^provider-account: AWS provider "dev" could not be validated: the account registry could not be loaded: .*no-such-accounts\.json/),
    ]);
    expect(await validate(providerUnverifiableAtPreview, providerArgs('dev', 'dev', { assumeRoles: UNKNOWN }))).toEqual([
      'AWS provider "dev": assumeRoles is not known at preview (computed from another resource\'s outputs), so the account it deploys into cannot be verified until update. To check it at preview, build the chain from values known before deployment (the registry\'s role ARNs and account ids).',
    ]);
  });
});
