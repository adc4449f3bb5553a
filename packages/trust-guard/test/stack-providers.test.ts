import { describe, expect, it } from 'vitest';
import { CHAINED_SESSION_MAX_SECONDS, providerHopDuration } from '@trustline/registry';
import {
  defaultProvidersProblem,
  allowedAccountIds,
  chainEndAccount,
  hopDurationSeconds,
  isDefaultProvider,
  parseGoDuration,
  parseJsonish,
  projectOfUrn,
  providerAccount,
  providerAssumeRoles,
  providerRegion,
  valueOrNull,
} from '../src/stack/providers';
import { UNKNOWN } from './helpers';

const hub = 'arn:aws:iam::012345678901:role/trustline-hub';
const deploy = 'arn:aws:iam::111111111111:role/trustline-deploy';

describe('parseGoDuration', () => {
  it.each([
    ['1h', 3600],
    ['3600s', 3600],
    ['15m', 900],
    ['1h30m', 5400],
    ['2h', 7200],
    ['1.5h', 5400],
    ['.5h', 1800],
    ['90m0s', 5400],
    ['1500ms', 1.5],
    ['0', 0],
    ['+1h', 3600],
    ['-1m', -60],
    ['59m59s', 3599],
  ])('%s is %d seconds', (text, seconds) => {
    expect(parseGoDuration(text)).toBe(seconds);
  });

  // The registry writes every hop's duration (providerHopDuration); the pack must read back what it wrote.
  it('reads back the durations the registry writes for provider hops', () => {
    for (const seconds of [CHAINED_SESSION_MAX_SECONDS, 900, 43200]) expect(parseGoDuration(providerHopDuration(seconds))).toBe(seconds);
  });

  it.each([
    ['3600', 'duration "3600" is not a Go duration (a number without a unit at "3600"; units are ns, us, ms, s, m and h); write it like "1h", "45m" or "3600s".'],
    ['', 'duration "" is not a Go duration (it is empty); write it like "1h", "45m" or "3600s".'],
    ['1 hour', 'duration "1 hour" is not a Go duration (unknown unit " hour"; units are ns, us, ms, s, m and h); write it like "1h", "45m" or "3600s".'],
    ['1d', 'duration "1d" is not a Go duration (unknown unit "d"; units are ns, us, ms, s, m and h); write it like "1h", "45m" or "3600s".'],
    ['h', 'duration "h" is not a Go duration (unexpected "h"); write it like "1h", "45m" or "3600s".'],
    ['1h30', 'duration "1h30" is not a Go duration (a number without a unit at "30"; units are ns, us, ms, s, m and h); write it like "1h", "45m" or "3600s".'],
  ])('rejects %j', (text, message) => {
    expect(() => parseGoDuration(text)).toThrow(message);
  });
});

describe('parseJsonish', () => {
  it.each([
    ['a JSON list', '["111111111111"]', { kind: 'ok', value: ['111111111111'] }],
    ['a JSON object', '{"roleArn":"x"}', { kind: 'ok', value: { roleArn: 'x' } }],
    ['an array', ['111111111111'], { kind: 'ok', value: ['111111111111'] }],
    ['plain text', 'eu-west-1', { kind: 'ok', value: 'eu-west-1' }],
    ['nothing', undefined, { kind: 'absent' }],
    ['an empty string', '', { kind: 'absent' }],
    ['an unknown', UNKNOWN, { kind: 'unknown' }],
  ])('reads %s', (_what, value, expected) => {
    expect(parseJsonish('field', value)).toEqual(expected);
  });

  it('reports broken JSON text naming the field and quoting the value', () => {
    const r = parseJsonish('allowedAccountIds', '["1111');
    expect(r.kind).toBe('invalid');
    expect(r.kind === 'invalid' && r.problem).toMatch(/^allowedAccountIds "\[\\"1111" is neither a list nor valid JSON text \(.+\)\.$/);
  });
});

describe('providerAssumeRoles', () => {
  const chain = [
    { roleArn: hub, sessionName: 'trustline-hub-dev', duration: '1h' },
    { roleArn: deploy, sessionName: 'trustline-deploy-dev', externalId: 'x-1234' },
  ];
  it.each([
    ['an array of objects', { assumeRoles: chain }],
    ['JSON text', { assumeRoles: JSON.stringify(chain) }],
  ])('reads assumeRoles as %s', (_what, props) => {
    expect(providerAssumeRoles(props)).toEqual({
      kind: 'ok',
      value: [
        { roleArn: hub, sessionName: 'trustline-hub-dev', duration: '1h' },
        { roleArn: deploy, sessionName: 'trustline-deploy-dev', externalId: 'x-1234' },
      ],
    });
  });

  it('falls back to the single assumeRole of older providers (object or JSON text)', () => {
    expect(providerAssumeRoles({ assumeRole: { roleArn: deploy } })).toEqual({ kind: 'ok', value: [{ roleArn: deploy }] });
    expect(providerAssumeRoles({ assumeRole: JSON.stringify({ roleArn: deploy }) })).toEqual({ kind: 'ok', value: [{ roleArn: deploy }] });
  });

  it.each([
    ['no chain', { region: 'eu-west-1' }, { kind: 'absent' }],
    ['an empty list', { assumeRoles: [] }, { kind: 'absent' }],
    ['an unknown list', { assumeRoles: UNKNOWN }, { kind: 'unknown' }],
    ['an unknown role ARN', { assumeRoles: [{ roleArn: UNKNOWN }] }, { kind: 'unknown' }],
    ['a non-object entry', { assumeRoles: ['arn'] }, { kind: 'invalid', problem: 'assumeRoles[0] "arn" is not an object with a roleArn.' }],
  ])('%s', (_what, props, expected) => {
    expect(providerAssumeRoles(props)).toEqual(expected);
  });
});

describe('hopDurationSeconds', () => {
  it.each([
    ['a Go duration', { duration: '45m' }, { kind: 'ok', value: 2700 }],
    ['no duration (STS grants one hour)', { roleArn: hub }, { kind: 'absent' }],
    [
      'a duration Go would refuse, with the parser\'s sentence',
      { duration: '3600' },
      { kind: 'invalid', problem: 'duration "3600" is not a Go duration (a number without a unit at "3600"; units are ns, us, ms, s, m and h); write it like "1h", "45m" or "3600s".' },
    ],
  ])('%s', (_what, hop, expected) => {
    expect(hopDurationSeconds(hop)).toEqual(expected);
  });
});

describe('providerRegion and valueOrNull', () => {
  it.each([
    [{ region: 'eu-west-1' }, { kind: 'ok', value: 'eu-west-1' }, 'eu-west-1'],
    [{ region: '' }, { kind: 'absent' }, null],
    [{}, { kind: 'absent' }, null],
    [{ region: UNKNOWN }, { kind: 'unknown' }, null],
    [{ region: 42 }, { kind: 'invalid', problem: 'region 42 is not a region name.' }, null],
  ])('%j', (props, expected, value) => {
    expect(providerRegion(props)).toEqual(expected);
    expect(valueOrNull(providerRegion(props))).toBe(value);
  });
});

describe('chainEndAccount', () => {
  it.each([
    [[{ roleArn: hub }, { roleArn: deploy }], { kind: 'ok', value: '111111111111' }],
    [[{ roleArn: 'arn:aws-us-gov:iam::222222222222:role/x' }], { kind: 'ok', value: '222222222222' }],
    [[], { kind: 'absent' }],
    [[{ roleArn: hub }, {}], { kind: 'invalid', problem: 'the last assumeRoles entry has no roleArn.' }],
    [[{ roleArn: 'trustline-deploy' }], { kind: 'invalid', problem: 'roleArn "trustline-deploy" is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>).' }],
  ])('%j ends in %j', (hops, expected) => {
    expect(chainEndAccount(hops)).toEqual(expected);
  });
});

describe('allowedAccountIds', () => {
  it.each([
    [{ allowedAccountIds: ['111111111111'] }, { kind: 'ok', value: ['111111111111'] }],
    [{ allowedAccountIds: '["111111111111","222222222222"]' }, { kind: 'ok', value: ['111111111111', '222222222222'] }],
    [{}, { kind: 'absent' }],
    [{ allowedAccountIds: UNKNOWN }, { kind: 'unknown' }],
    [{ allowedAccountIds: [111111111111] }, { kind: 'invalid', problem: 'allowedAccountIds contains 111111111111, which is not a 12-digit account id string.' }],
    [{ allowedAccountIds: '111111111111' }, { kind: 'invalid', problem: 'allowedAccountIds "111111111111" is not a list of account ids.' }],
  ])('%j', (props, expected) => {
    expect(allowedAccountIds(props)).toEqual(expected);
  });
});

describe('providerAccount (the account a provider deploys into)', () => {
  const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';
  const chain = JSON.stringify([{ roleArn: 'arn:aws:iam::012345678901:role/trustline-hub' }, { roleArn: 'arn:aws:iam::333333333333:role/trustline-deploy' }]);
  it.each([
    ['the end of its role chain (JSON text, as a preview writes provider inputs)', { assumeRoles: chain, allowedAccountIds: '["111111111111"]' }, { kind: 'ok', value: '333333333333' }],
    ['without a chain, its one allowed account', { allowedAccountIds: ['111111111111'] }, { kind: 'ok', value: '111111111111' }],
    ['neither: absent (the shell credentials decide)', { region: 'eu-west-1' }, { kind: 'absent' }],
    ['a chain not known before deploy: unknown', { assumeRoles: [{ roleArn: UNKNOWN }] }, { kind: 'unknown' }],
    ['a chain that is no role ARN: invalid, with the reader\'s sentence', { assumeRoles: [{ roleArn: 'nope' }] }, { kind: 'invalid', problem: 'roleArn "nope" is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>).' }],
    [
      'no chain and two allowed accounts: invalid',
      { allowedAccountIds: ['111111111111', '222222222222'] },
      { kind: 'invalid', problem: 'the provider has no assumeRoles and allowedAccountIds ["111111111111","222222222222"] names more than one account, so the account it deploys into is not known.' },
    ],
  ])('%s', (_name, props, expected) => {
    expect(providerAccount(props)).toEqual(expected);
  });
});

describe('projectOfUrn and isDefaultProvider', () => {
  it.each([
    ['urn:pulumi:dev::dev::aws:iam/role:Role::deploy', 'dev'],
    ['urn:pulumi:prod::trustline-access::trustline:access:Account$aws:iam/role:Role::x', 'trustline-access'],
    ['urn:pulumi:dev::dev::pulumi:providers:aws::default_7_48_0', 'dev'],
    ['not-a-urn', undefined],
  ])('%s is in project %s', (urn, project) => {
    expect(projectOfUrn(urn)).toBe(project);
  });

  it.each([
    ['default', true],
    ['default_7_48_0', true],
    ['dev', false],
    ['defaults-for-dev', false],
  ])('provider %s is default: %s', (name, expected) => {
    expect(isDefaultProvider({ name })).toBe(expected);
  });
});

describe('defaultProvidersProblem (pulumi:disable-default-providers as the engine reads it)', () => {
  const fix =
    "Set it for every stack in the project's Pulumi.yaml (config: pulumi:disable-default-providers: value: [aws]), so a resource that forgets { provider } fails instead of deploying with the shell's credentials.";
  it.each<[string, Record<string, string>, string | undefined]>([
    ['["aws"] disables them', { 'pulumi:disable-default-providers': '["aws"]' }, undefined],
    ['["*"] disables every package', { 'pulumi:disable-default-providers': '["*"]' }, undefined],
    ['names are trimmed, as the engine does', { 'pulumi:disable-default-providers': '[" aws "]' }, undefined],
    ['unset', { 'aws:region': 'eu-west-1' }, `The stack does not disable default providers: pulumi:disable-default-providers is not set in Pulumi.yaml or the stack file. ${fix}`],
    ['an empty value (the engine reads it as no list)', { 'pulumi:disable-default-providers': '' }, `The stack does not disable default AWS providers: pulumi:disable-default-providers is empty, which does not name "aws". ${fix}`],
    ['another package only', { 'pulumi:disable-default-providers': '["gcp"]' }, `The stack does not disable default AWS providers: pulumi:disable-default-providers is ["gcp"], which does not name "aws". ${fix}`],
    ['not a list', { 'pulumi:disable-default-providers': 'aws' }, `The stack does not disable default providers: pulumi:disable-default-providers is "aws", not a list of package names. ${fix}`],
  ])('%s', (_name, config, expected) => {
    expect(defaultProvidersProblem(config)).toBe(expected);
  });
});
