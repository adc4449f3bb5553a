import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { describe, expect, it, vi } from 'vitest';
import { decodeProviderInputs, defaultMockState, recordProgram, unwrapSecrets, urnOf, type RecordedResource } from './record-program';

/** Imports a module program fresh, as the offline preview does for each project. */
const fresh = (load: () => Promise<unknown>) => async () => {
  vi.resetModules();
  return load();
};

describe('recordProgram', () => {
  it('runs two different module programs back to back with separate resources, config and outputs', async () => {
    const alpha = await recordProgram({
      project: 'alpha',
      stack: 'dev',
      config: { 'alpha:accountId': '111111111111' },
      program: fresh(() => import('../../test/programs/alpha')),
    });
    const beta = await recordProgram({
      project: 'beta',
      stack: 'prod',
      config: { 'beta:topicName': 'alerts' },
      program: fresh(() => import('../../test/programs/beta')),
    });
    const alphaAgain = await recordProgram({
      project: 'alpha',
      stack: 'test',
      config: { 'alpha:accountId': '222222222222' },
      program: fresh(() => import('../../test/programs/alpha')),
    });

    expect(alpha.resources.map((r) => r.urn)).toEqual([
      'urn:pulumi:dev::alpha::pulumi:pulumi:Stack::alpha-dev',
      'urn:pulumi:dev::alpha::pulumi:providers:aws::alpha',
      'urn:pulumi:dev::alpha::aws:s3/bucket:Bucket::alpha-bucket',
    ]);
    expect(alpha.outputs).toEqual({ bucketName: 'alpha-bucket-mock', stack: 'dev' });
    expect(beta.resources.map((r) => r.urn)).toEqual([
      'urn:pulumi:prod::beta::pulumi:pulumi:Stack::beta-prod',
      'urn:pulumi:prod::beta::aws:sns/topic:Topic::beta-topic',
    ]);
    expect(beta.resources[1].inputs).toEqual({ name: 'alerts' });
    expect(beta.resources[1].provider).toBeUndefined();
    expect(beta.outputs).toEqual({ topicName: 'alerts', project: 'beta' });
    // Config of the first run does not leak: the third run sees only its own account id.
    expect(alphaAgain.resources[1].props.allowedAccountIds).toEqual(['222222222222']);
    expect(alphaAgain.resources[2].provider).toEqual({
      ref: 'urn:pulumi:test::alpha::pulumi:providers:aws::alpha::alpha-id',
      urn: 'urn:pulumi:test::alpha::pulumi:providers:aws::alpha',
      type: 'pulumi:providers:aws',
      name: 'alpha',
      props: { region: 'eu-west-1', allowedAccountIds: ['222222222222'], skipCredentialsValidation: false, skipRegionValidation: true },
    });
    expect(alphaAgain.outputs).toEqual({ bucketName: 'alpha-bucket-mock', stack: 'test' });
  });

  it('records parent, dependencies and property dependencies as the engine reports them', async () => {
    const { resources } = await recordProgram({
      project: 'p',
      stack: 's',
      program: () => {
        const parent = new pulumi.ComponentResource('test:index:Group', 'group');
        const topic = new aws.sns.Topic('topic', {}, { parent });
        const queue = new aws.sqs.Queue('queue', {}, { parent });
        new aws.sns.TopicSubscription('sub', { topic: topic.arn, protocol: 'sqs', endpoint: queue.arn }, { parent, dependsOn: [queue] });
      },
    });
    const sub = resources.find((r) => r.name === 'sub')!;
    expect(sub.urn).toBe('urn:pulumi:s::p::test:index:Group$aws:sns/topicSubscription:TopicSubscription::sub');
    expect(sub.parent).toBe('urn:pulumi:s::p::test:index:Group::group');
    expect([...sub.dependencies].sort()).toEqual(['urn:pulumi:s::p::test:index:Group$aws:sns/topic:Topic::topic', 'urn:pulumi:s::p::test:index:Group$aws:sqs/queue:Queue::queue']);
    expect(sub.propertyDependencies.topic).toEqual(['urn:pulumi:s::p::test:index:Group$aws:sns/topic:Topic::topic']);
    expect(sub.propertyDependencies.endpoint).toEqual(['urn:pulumi:s::p::test:index:Group$aws:sqs/queue:Queue::queue']);
    expect(resources.find((r) => r.name === 'group')?.parent).toBe('urn:pulumi:s::p::pulumi:pulumi:Stack::p-s');
  });

  it('rejects with the program error, and the next recording still works', async () => {
    await expect(
      recordProgram({
        project: 'p',
        stack: 's',
        program: () => {
          throw new Error('registry says no');
        },
      }),
    ).rejects.toThrowError('registry says no');
    const next = await recordProgram({ project: 'q', stack: 't', program: () => void new aws.sns.Topic('t') });
    expect(next.resources.map((r) => r.urn)).toEqual(['urn:pulumi:t::q::pulumi:pulumi:Stack::q-t', 'urn:pulumi:t::q::aws:sns/topic:Topic::t']);
  });

  it('answers the SDK as the engine does: dry run as asked, secrets recorded as plaintext, invokes refused by name', async () => {
    const seen: boolean[] = [];
    for (const preview of [true, false]) {
      const r = await recordProgram({
        project: 'p',
        stack: 's',
        preview,
        program: () => {
          seen.push(pulumi.runtime.isDryRun());
          new aws.ssm.Parameter('param', { type: 'SecureString', value: pulumi.secret('s3cr3t') });
        },
      });
      expect(r.resources.find((x) => x.name === 'param')?.inputs).toMatchObject({ type: 'SecureString', value: 's3cr3t' });
    }
    expect(seen).toEqual([true, false]);
    await expect(recordProgram({ project: 'p', stack: 's', program: () => aws.getCallerIdentity() })).rejects.toThrowError(
      'recordProgram: the program called aws:index/getCallerIdentity:getCallerIdentity; invokes are not mocked. Pass the value in through config instead.',
    );
  });

  it('refuses overlapping recordings', async () => {
    const first = recordProgram({ project: 'p', stack: 's', program: () => undefined });
    await expect(recordProgram({ project: 'p2', stack: 's2', program: () => undefined })).rejects.toThrowError(
      'recordProgram(p2/s2) was called while another recording is running; the Pulumi runtime is process-global, so await each recording before starting the next.',
    );
    await first;
  });
});

describe('helpers', () => {
  it.each([
    [undefined, 'aws:s3/bucket:Bucket', 'urn:pulumi:dev::proj::aws:s3/bucket:Bucket::b'],
    ['urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev', 'aws:s3/bucket:Bucket', 'urn:pulumi:dev::proj::aws:s3/bucket:Bucket::b'],
    ['urn:pulumi:dev::proj::a:b:Outer$x:y:Inner::i', 'aws:s3/bucket:Bucket', 'urn:pulumi:dev::proj::a:b:Outer$x:y:Inner$aws:s3/bucket:Bucket::b'],
  ])('urnOf(parent %s)', (parent, type, expected) => {
    expect(urnOf('dev', 'proj', parent, type, 'b')).toBe(expected);
  });

  it('decodes JSON-encoded provider config and keeps plain strings', () => {
    expect(decodeProviderInputs({ region: 'eu-west-1', allowedAccountIds: '["1"]', insecure: 'false', profile: 'default' })).toEqual({
      region: 'eu-west-1',
      allowedAccountIds: ['1'],
      insecure: false,
      profile: 'default',
    });
  });

  it('unwraps wire secrets at any depth', () => {
    const secret = (value: unknown) => ({ '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', value });
    expect(unwrapSecrets({ a: secret('x'), b: [secret({ c: secret(1) })] })).toEqual({ a: 'x', b: [{ c: 1 }] });
  });
});

describe('defaultMockState', () => {
  const role = (inputs: Record<string, unknown>, region: string): RecordedResource => ({
    type: 'aws:iam/role:Role',
    name: 'deploy',
    urn: 'urn:pulumi:dev::p::aws:iam/role:Role::deploy',
    custom: true,
    inputs,
    props: inputs,
    dependencies: [],
    propertyDependencies: {},
    provider: { ref: 'urn:pulumi:dev::p::pulumi:providers:aws::acct::acct-id', urn: 'urn:pulumi:dev::p::pulumi:providers:aws::acct', type: 'pulumi:providers:aws', name: 'acct', props: { region, allowedAccountIds: ['111111111111'] } },
  });
  it.each([
    [{}, 'eu-west-1', 'arn:aws:iam::111111111111:role/deploy'],
    [{ name: 'trustline-deploy', path: '/ci/' }, 'eu-west-1', 'arn:aws:iam::111111111111:role/ci/trustline-deploy'],
    [{ name: 'trustline-deploy' }, 'us-gov-west-1', 'arn:aws-us-gov:iam::111111111111:role/trustline-deploy'],
    [{ name: 'trustline-deploy' }, 'cn-north-1', 'arn:aws-cn:iam::111111111111:role/trustline-deploy'],
  ])('a role with inputs %j behind a provider in %s gets arn %s', (inputs, region, arn) => {
    expect(defaultMockState(role(inputs, region)).state.arn).toBe(arn);
  });
});
