import type { ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from '@pulumi/policy';
import { describe, expect, it } from 'vitest';
import { PolicyCrash, policyConfig, runPolicies, type EngineResource } from '../src/engine';
import { providerChains } from '../src/chains';

const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';
/** Stand-ins for generated resource classes: @pulumi/policy recognises them by `__pulumiType`. */
class Role {
  static readonly __pulumiType = 'aws:iam/role:Role';
}
class Bucket {
  static readonly __pulumiType = 'aws:s3/bucket:Bucket';
}

const provider: EngineResource = {
  type: 'pulumi:providers:aws',
  name: 'dev-account',
  urn: 'urn:pulumi:dev::dev::pulumi:providers:aws::dev-account',
  inputs: { region: 'eu-west-1', allowedAccountIds: '["111111111111"]', assumeRoles: '[{"roleArn":"arn:aws:iam::012345678901:role/trustline-hub","duration":"1h"},{"roleArn":"arn:aws:iam::111111111111:role/trustline-deploy","externalId":"x-1","duration":"15m"}]' },
  dependencies: [],
  propertyDependencies: {},
};
const component: EngineResource = { type: 'trustline:x:Comp', name: 'c', urn: 'urn:pulumi:dev::dev::trustline:x:Comp::c', inputs: {}, dependencies: [], propertyDependencies: {} };
const role: EngineResource = {
  type: 'aws:iam/role:Role',
  name: 'r',
  urn: 'urn:pulumi:dev::dev::trustline:x:Comp$aws:iam/role:Role::r',
  inputs: { assumeRolePolicy: '{"Version":"2012-10-17"}', name: 'deploy' },
  parent: component.urn,
  dependencies: [provider.urn],
  propertyDependencies: { name: [component.urn] },
  provider: { urn: provider.urn, type: provider.type, name: provider.name, props: { decoded: true } },
};
const bucket: EngineResource = { type: 'aws:s3/bucket:Bucket', name: 'b', urn: 'urn:pulumi:dev::dev::aws:s3/bucket:Bucket::b', inputs: { bucket: UNKNOWN }, dependencies: [], propertyDependencies: {} };
const resources = [provider, component, role, bucket];

const resourcePolicy = (name: string, validateResource: ResourceValidationPolicy['validateResource'], extra: Partial<ResourceValidationPolicy> = {}): ResourceValidationPolicy => ({
  name,
  description: `${name} description`,
  enforcementLevel: 'mandatory',
  validateResource,
  ...extra,
});

describe('runPolicies: resource policies', () => {
  it('hands each resource over as the engine does: type, name, urn, inputs, parent, provider with its registered inputs', async () => {
    const seen: ResourceValidationArgs[] = [];
    await runPolicies(resources, { resourcePolicies: [resourcePolicy('spy', (args) => void seen.push(args))], stackPolicies: [] });
    expect(seen.map((a) => a.urn)).toEqual(resources.map((r) => r.urn));
    const r = seen[2];
    expect([r.type, r.name, r.opts.parent, r.props.name]).toEqual(['aws:iam/role:Role', 'r', component.urn, 'deploy']);
    expect(r.provider?.urn).toBe(provider.urn);
    expect(r.provider?.props.assumeRoles).toBe(provider.inputs.assumeRoles);
    expect(r.isType(Role as never)).toBe(true);
    expect(r.isType(Bucket as never)).toBe(false);
    expect(r.asType(Role as never)).toEqual({ assumeRolePolicy: '{"Version":"2012-10-17"}', name: 'deploy' });
    expect(r.asType(Bucket as never)).toBeUndefined();
    expect(seen[0].provider).toBeUndefined();
  });

  it('reports violations with the policy, level and the resource urn (a urn argument is ignored, as the server does)', async () => {
    const v = await runPolicies(resources, {
      resourcePolicies: [
        resourcePolicy('no-roles', (args, report) => {
          if (args.type === 'aws:iam/role:Role') report('roles are not allowed', 'urn:other');
        }),
      ],
      stackPolicies: [],
    });
    expect(v).toEqual([{ policyName: 'no-roles', enforcementLevel: 'mandatory', description: 'no-roles description', message: 'roles are not allowed', urn: role.urn, from: 'resource' }]);
  });

  it('skips resources of other types for a typed validation, honours notApplicable and reports unknowns as advisory', async () => {
    const calls: string[] = [];
    const typed = Object.assign((args: ResourceValidationArgs) => void calls.push(args.name), { __pulumiType: 'aws:iam/role:Role' });
    const v = await runPolicies(resources, {
      resourcePolicies: [
        resourcePolicy('typed', typed),
        resourcePolicy('na', (args) => args.notApplicable('never applies')),
        resourcePolicy('reads-bucket', (args, report) => {
          if (args.type === 'aws:s3/bucket:Bucket') report(`bucket ${String(args.props.bucket)}`);
        }),
      ],
      stackPolicies: [],
    });
    expect(calls).toEqual(['r']);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ policyName: 'reads-bucket', enforcementLevel: 'advisory', urn: bucket.urn, from: 'resource' });
    expect(v[0].message).toMatch(/^can't run policy 'reads-bucket' during preview: /);
  });

  it('applies enforcement levels from config, skips disabled policies and treats remediate as mandatory', async () => {
    const always = (name: string, level?: ResourceValidationPolicy['enforcementLevel']) =>
      resourcePolicy(name, (args, report) => (args.type === 'aws:s3/bucket:Bucket' ? report('x') : undefined), { enforcementLevel: level });
    const v = await runPolicies(
      resources,
      { resourcePolicies: [always('a', 'mandatory'), always('b', 'advisory'), always('c', 'remediate'), always('d', undefined), always('e', 'mandatory')], stackPolicies: [] },
      { config: { a: { enforcementLevel: 'advisory' }, e: { enforcementLevel: 'disabled' } } },
    );
    expect(v.map((x) => `${x.policyName}:${x.enforcementLevel}`)).toEqual(['a:advisory', 'b:advisory', 'c:mandatory', 'd:advisory']);
  });

  it('throws PolicyCrash naming the policy and resource when a policy throws', async () => {
    const run = runPolicies(resources, { resourcePolicies: [resourcePolicy('buggy', (args) => { if (args.name === 'r') throw new Error('oops'); })], stackPolicies: [] });
    await expect(run).rejects.toThrow(PolicyCrash);
    await expect(run).rejects.toThrow(`policy "buggy" threw while validating ${role.urn}: oops`);
  });
});

describe('runPolicies: stack policies', () => {
  it('links parents and dependencies as objects and reports stack-level and resource violations', async () => {
    let seen: StackValidationArgs | undefined;
    const policy: StackValidationPolicy = {
      name: 'stack-check',
      description: 'stack description',
      enforcementLevel: 'mandatory',
      validateStack: (args, report) => {
        seen = args;
        report('whole stack');
        report('that role', role.urn);
      },
    };
    const v = await runPolicies(resources, { resourcePolicies: [], stackPolicies: [policy] });
    const r = seen?.resources[2];
    expect(r?.parent?.urn).toBe(component.urn);
    expect(r?.dependencies.map((d) => d.urn)).toEqual([provider.urn]);
    expect(r?.propertyDependencies.name.map((d) => d.urn)).toEqual([component.urn]);
    expect(r?.provider?.name).toBe('dev-account');
    expect(v.map((x) => [x.message, x.urn ?? null, x.from])).toEqual([
      ['whole stack', null, 'stack'],
      ['that role', role.urn, 'stack'],
    ]);
  });
});

describe('policyConfig', () => {
  it('returns schema defaults overridden by the given config, without enforcementLevel', () => {
    const p = resourcePolicy('p', () => undefined, { configSchema: { properties: { limit: { type: 'integer', default: 3 }, names: { type: 'array' } } } });
    expect(policyConfig(p)).toEqual({ limit: 3 });
    expect(policyConfig(p, { p: { enforcementLevel: 'advisory', limit: 5, names: ['a'] } })).toEqual({ limit: 5, names: ['a'] });
  });
});

describe('providerChains', () => {
  it('reads JSON-encoded assumeRoles: accounts, ExternalId yes/no, durations and resources per provider', () => {
    expect(providerChains(resources)).toEqual([
      {
        name: 'dev-account',
        urn: provider.urn,
        region: 'eu-west-1',
        allowedAccountIds: ['111111111111'],
        hops: [
          { roleArn: 'arn:aws:iam::012345678901:role/trustline-hub', accountId: '012345678901', externalId: false, sessionName: null, durationSeconds: 3600 },
          { roleArn: 'arn:aws:iam::111111111111:role/trustline-deploy', accountId: '111111111111', externalId: true, sessionName: null, durationSeconds: 900 },
        ],
        accountId: '111111111111',
        resources: 1,
      },
    ]);
  });

  it('says why a chain cannot be read', () => {
    const shell = { ...provider, inputs: { region: 'eu-west-1' } };
    expect(providerChains([shell])[0]).toMatchObject({ hops: [], accountId: null, problem: 'the provider assumes no role (it uses the shell credentials).' });
  });
});
