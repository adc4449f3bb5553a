import type { ResourceValidationArgs, ResourceValidationPolicy } from '@pulumi/policy';
import { unknownCheckingProxy } from '@pulumi/policy';
import { RULE_IDS, RULES } from '@trustline/trust';
import { beforeAll, describe, expect, it } from 'vitest';
import { resourcePolicies, stackPolicies } from '../src/policies';
import { evaluateResource } from '../src/policies/evaluate';
import { identityAssumeAnyRole } from '../src/policies/identity-assume-any-role';
import { trustAccountRoot } from '../src/policies/trust-account-root';
import { trustAnyPrincipal } from '../src/policies/trust-any-principal';
import { trustExternalWithoutExternalId } from '../src/policies/trust-external-without-external-id';
import { trustMalformed } from '../src/policies/trust-malformed';
import { trustMaxSessionDuration } from '../src/policies/trust-max-session-duration';
import { trustUnverifiableAtPreview } from '../src/policies/trust-unverifiable-at-preview';
import { trustUntrustedAccount } from '../src/policies/trust-untrusted-account';
import { TEST_REGISTRY, UNKNOWN, useTestRegistry } from './helpers';

beforeAll(useTestRegistry);

class NotApplicable extends Error {}

/** Wraps props the way the engine does: in @pulumi/policy's proxy that throws on reading an unknown. */
const engineProxy = (props: Record<string, unknown>): Record<string, any> => unknownCheckingProxy(props) as Record<string, any>;

function argsFor(type: string, name: string, props: Record<string, unknown>, config: Record<string, unknown> = {}): ResourceValidationArgs {
  return {
    type,
    name,
    urn: `urn:pulumi:dev::dev::${type}::${name}`,
    props: engineProxy(props),
    opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => config as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  };
}

async function validate(policy: ResourceValidationPolicy, args: ResourceValidationArgs): Promise<string[]> {
  const messages: string[] = [];
  const fns = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
  for (const fn of fns) await fn?.(args, (message) => messages.push(message));
  return messages;
}

const doc = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
const HUB_TRUST = doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::012345678901:role/trustline-hub' }, Action: 'sts:AssumeRole' });
const ANY_TRUST = doc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' });
const ROLE = 'aws:iam/role:Role';

describe('the pack', () => {
  it('has one resource policy per analyzer rule, named by the rule id, with its description and default enforcement', () => {
    expect(resourcePolicies.map((p) => p.name)).toEqual([...RULE_IDS, 'provider-account', 'provider-unverifiable-at-preview']);
    for (const p of resourcePolicies.filter((x) => !x.name.startsWith('provider-'))) {
      const rule = RULES[p.name as (typeof RULE_IDS)[number]];
      expect([p.description, p.enforcementLevel]).toEqual([rule.description, rule.defaultEnforcement]);
      expect(Object.keys(p.configSchema?.properties ?? {})).toEqual(expect.arrayContaining(['trustedAccounts', 'organizationId', 'externalAccounts', 'exemptions']));
    }
    expect(stackPolicies.map((p) => p.name)).toEqual(['stack-provider-per-account', 'stack-allowed-account-ids', 'stack-chained-session-duration']);
  });

  it('strips schema defaults so the registry supplies the trusted accounts', () => {
    for (const prop of Object.values(resourcePolicies[0].configSchema?.properties ?? {})) expect(prop).not.toHaveProperty('default');
  });

  it('ignores resources it does not judge', async () => {
    const args = argsFor('aws:s3/bucketV2:BucketV2', 'logs', { policy: ANY_TRUST });
    for (const p of resourcePolicies) expect(await validate(p, args)).toEqual([]);
  });
});

describe('rule policies on aws:iam/role:Role', () => {
  it('a role trusting the hub role passes every rule policy', async () => {
    const args = argsFor(ROLE, 'deploy', { assumeRolePolicy: HUB_TRUST, maxSessionDuration: 3600 });
    for (const p of resourcePolicies) expect({ policy: p.name, messages: await validate(p, args) }).toEqual({ policy: p.name, messages: [] });
  });

  it('trust-any-principal reports {"AWS":"*"} once, prefixed with its key, and no other policy repeats it', async () => {
    const args = argsFor(ROLE, 'open', { assumeRolePolicy: ANY_TRUST });
    expect(await validate(trustAnyPrincipal, args)).toEqual([
      'trust-any-principal[Principal::AWS::*] in assumeRolePolicy: Principal {"AWS":"*"} lets any AWS account assume this role. Name the role ARNs that need access, or bound it with aws:PrincipalOrgID.',
    ]);
    expect(await validate(trustUntrustedAccount, args)).toEqual([]);
  });

  it('reads a trust policy given as an object', async () => {
    const args = argsFor(ROLE, 'open', { assumeRolePolicy: JSON.parse(ANY_TRUST) });
    expect(await validate(trustAnyPrincipal, args)).toEqual([expect.stringMatching(/^trust-any-principal\[Principal::AWS::\*\] in assumeRolePolicy: /)]);
  });

  it('trust-untrusted-account names an account outside the registry; accounts in the policy config are refused (the registry is the one source)', async () => {
    const trust = doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444444444444:role/ci' }, Action: 'sts:AssumeRole' });
    const messages = await validate(trustUntrustedAccount, argsFor(ROLE, 'ci', { assumeRolePolicy: trust }));
    expect(messages).toEqual([
      'trust-untrusted-account[Principal::AWS::arn:aws:iam::444444444444:role/ci] in assumeRolePolicy: Principal {"AWS":"arn:aws:iam::444444444444:role/ci"} is in account 444444444444, which is neither a trusted account nor a declared external account. Remove it, or add the account to trustedAccounts (or to externalAccounts with an sts:ExternalId).',
    ]);
    const config = { trustedAccounts: ['012345678901', '111111111111', '444444444444'] };
    expect(await validate(trustUntrustedAccount, argsFor(ROLE, 'ci', { assumeRolePolicy: trust }, config))).toEqual([
      'trust-untrusted-account: aws:iam/role:Role "ci" could not be validated: trustedAccounts is set in the policy configuration, but the pack takes accounts, the organization and vendors from accounts.json, so every policy judges with the same ones: onboard accounts with npm run account:add, list vendors under externalAccounts in accounts.json, and remove these keys from the policy configuration.',
    ]);
  });

  it('trust-external-without-external-id reports the registry vendor without sts:ExternalId and passes it with one', async () => {
    const bare = doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:role/monitoring' }, Action: 'sts:AssumeRole' });
    expect(await validate(trustExternalWithoutExternalId, argsFor(ROLE, 'vendor', { assumeRolePolicy: bare }))).toEqual([
      expect.stringMatching(/^trust-external-without-external-id\[.*999999999999.*\] in assumeRolePolicy: .*sts:ExternalId/),
    ]);
    const bound = doc({
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::999999999999:role/monitoring' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': 'vendor-7f3c9a1e' } },
    });
    expect(await validate(trustExternalWithoutExternalId, argsFor(ROLE, 'vendor', { assumeRolePolicy: bound }))).toEqual([]);
  });

  it('trust-account-root reports the root of a trusted account (advisory)', async () => {
    const trust = doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::012345678901:root' }, Action: 'sts:AssumeRole' });
    expect(trustAccountRoot.enforcementLevel).toBe('advisory');
    expect(await validate(trustAccountRoot, argsFor(ROLE, 'rooted', { assumeRolePolicy: trust }))).toEqual([
      expect.stringMatching(/^trust-account-root\[Principal::AWS::arn:aws:iam::012345678901:root\] in assumeRolePolicy: /),
    ]);
  });

  it('trust-malformed reports a trust policy that is not JSON', async () => {
    const messages = await validate(trustMalformed, argsFor(ROLE, 'broken', { assumeRolePolicy: '{"Version": "2012-10-17", "Statement": [' }));
    expect(messages).toEqual([expect.stringMatching(/^trust-malformed\[Document\] in assumeRolePolicy: The trust policy could not be validated: .*not valid JSON/)]);
  });

  it('trust-max-session-duration reports a MaxSessionDuration above the configured maximum', async () => {
    const args = argsFor(ROLE, 'long', { assumeRolePolicy: HUB_TRUST, maxSessionDuration: 43200 }, { maxSessionDurationSeconds: 3600 });
    expect(await validate(trustMaxSessionDuration, args)).toEqual([
      'trust-max-session-duration[MaxSessionDuration] in maxSessionDuration: MaxSessionDuration 43200 seconds exceeds the configured maximum of 3600 seconds; long sessions outlive revoked access. Set maxSessionDuration to 3600 or less.',
    ]);
    const ok = argsFor(ROLE, 'short', { assumeRolePolicy: HUB_TRUST, maxSessionDuration: 3600 }, { maxSessionDurationSeconds: 3600 });
    expect(await validate(trustMaxSessionDuration, ok)).toEqual([]);
  });

  it('identity-assume-any-role reports an inline policy allowing sts:AssumeRole on *', async () => {
    const inline = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] });
    const args = argsFor(ROLE, 'hopper', { assumeRolePolicy: HUB_TRUST, inlinePolicies: [{ name: 'hop', policy: inline }] });
    expect(await validate(identityAssumeAnyRole, args)).toEqual([
      'identity-assume-any-role[Resource::*] in inlinePolicies[0].policy: Statement 0 allows sts:AssumeRole on Resource "*": the holder can assume any role, in any account, that trusts its account. List the role ARNs it needs, or add "StringEquals": {"aws:ResourceOrgID": "o-exampleorg01"}.',
    ]);
  });

  it('exemptions from config silence one finding key on the named resource only', async () => {
    const trust = doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::012345678901:root' }, Action: 'sts:AssumeRole' });
    const config = {
      exemptions: [
        { ruleId: 'trust-account-root', findingKey: 'trust-account-root[Principal::AWS::arn:aws:iam::012345678901:root]', resource: 'break-glass', reason: 'Break-glass role reviewed by security.' },
      ],
    };
    expect(await validate(trustAccountRoot, argsFor(ROLE, 'break-glass', { assumeRolePolicy: trust }, config))).toEqual([]);
    expect(await validate(trustAccountRoot, argsFor(ROLE, 'other', { assumeRolePolicy: trust }, config))).toHaveLength(1);
  });

  it('a policy given a config it cannot use reports it from its own section, never switching itself off', async () => {
    // Pulumi hands each policy only its own section: here trust-any-principal's asks to exempt the unexemptable.
    const config = { exemptions: [{ ruleId: 'trust-any-principal', findingKey: 'trust-any-principal[Principal::AWS::*]', reason: 'we need this open for now' }] };
    const messages = await validate(trustAnyPrincipal, argsFor(ROLE, 'open', { assumeRolePolicy: ANY_TRUST }, config));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^trust-any-principal: aws:iam\/role:Role "open" could not be validated: .*exemptions\[0\]/);
    // and a section that does not name accounts still reports a bad value by key
    const bad = await validate(trustMalformed, argsFor(ROLE, 'deploy', { assumeRolePolicy: HUB_TRUST }, { maxSessionDurationSeconds: 5 }));
    expect(bad).toEqual([expect.stringMatching(/^trust-malformed: aws:iam\/role:Role "deploy" could not be validated: .*maxSessionDurationSeconds 5/)]);
  });
});

describe('unknown values at preview', () => {
  it('an unknown trust policy is reported as unverifiable, never passed silently', async () => {
    const args = argsFor(ROLE, 'computed', { assumeRolePolicy: UNKNOWN });
    expect(await validate(trustUnverifiableAtPreview, args)).toEqual([
      'trust-unverifiable-at-preview[assumeRolePolicy] in assumeRolePolicy: The trust policy in assumeRolePolicy of aws:iam/role:Role "computed" depends on a value that is not known during preview, so it cannot be verified until update; trust-guard checks it again when pulumi up runs. Build the document from known values (account ids and role names from the registry) to have it checked at preview.',
    ]);
    for (const p of resourcePolicies.filter((x) => x.name !== 'trust-unverifiable-at-preview')) expect(await validate(p, args)).toEqual([]);
  });

  it('an unknown value inside an object trust policy is reported the same way', async () => {
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: UNKNOWN }, Action: 'sts:AssumeRole' }] };
    expect(await validate(trustUnverifiableAtPreview, argsFor(ROLE, 'computed', { assumeRolePolicy: trust }))).toHaveLength(1);
  });

  it('an unknown inline policy is reported with its location while the known trust policy is still judged', async () => {
    const args = argsFor(ROLE, 'mixed', { assumeRolePolicy: ANY_TRUST, inlinePolicies: [{ name: 'p', policy: UNKNOWN }] });
    expect(await validate(trustUnverifiableAtPreview, args)).toEqual([expect.stringMatching(/^trust-unverifiable-at-preview\[inlinePolicies\[0\]\.policy\] in inlinePolicies\[0\]\.policy: The identity policy/)]);
    expect(await validate(trustAnyPrincipal, args)).toHaveLength(1);
  });
});

describe('other resource types', () => {
  it('aws-native:iam:Role: assumeRolePolicyDocument object', async () => {
    const args = argsFor('aws-native:iam:Role', 'native', { assumeRolePolicyDocument: JSON.parse(ANY_TRUST) });
    expect(await validate(trustAnyPrincipal, args)).toEqual([expect.stringMatching(/^trust-any-principal\[Principal::AWS::\*\] in assumeRolePolicyDocument: /)]);
  });

  it.each(['aws:iam/policy:Policy', 'aws:iam/rolePolicy:RolePolicy', 'aws:iam/userPolicy:UserPolicy', 'aws:iam/groupPolicy:GroupPolicy'])('%s: identity-assume-any-role', async (type) => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] });
    expect(await validate(identityAssumeAnyRole, argsFor(type, 'p', { policy }))).toEqual([expect.stringMatching(/^identity-assume-any-role\[.*\] in policy: /)]);
    const narrow = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::111111111111:role/trustline-deploy' }] });
    expect(await validate(identityAssumeAnyRole, argsFor(type, 'p', { policy: narrow }))).toEqual([]);
  });
});

describe('memoisation', () => {
  it('analyzes a resource once for all thirteen rule policies, and again when its config differs', () => {
    const args = argsFor(ROLE, 'memo', { assumeRolePolicy: ANY_TRUST });
    const first = evaluateResource(args);
    expect(evaluateResource(argsFor(ROLE, 'memo', { assumeRolePolicy: ANY_TRUST }))).toBe(first);
    expect(evaluateResource(argsFor(ROLE, 'memo', { assumeRolePolicy: ANY_TRUST }, { maxSessionDurationSeconds: 7200 }))).not.toBe(first);
    expect(evaluateResource(argsFor(ROLE, 'memo', { assumeRolePolicy: HUB_TRUST }))).not.toBe(first);
  });
});

describe('registry', () => {
  it('uses the test registry', () => {
    expect(process.env.TRUSTLINE_REGISTRY).toBe(TEST_REGISTRY);
  });
});

describe('rule levels in the pack', () => {
  it('"disabled" in rules switches a policy off', async () => {
    const trust = doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::012345678901:root' }, Action: 'sts:AssumeRole' });
    expect(await validate(trustAccountRoot, argsFor(ROLE, 'rooted-off', { assumeRolePolicy: trust }, { rules: { 'trust-account-root': 'disabled' } }))).toEqual([]);
  });

  it('any other level in rules is refused, pointing to Pulumi\'s enforcementLevel, never silently ignored', async () => {
    const args = argsFor(ROLE, 'levelled', { assumeRolePolicy: HUB_TRUST }, { rules: { 'trust-account-root': 'mandatory' } });
    expect(await validate(trustMalformed, args)).toEqual([
      'trust-malformed: aws:iam/role:Role "levelled" could not be validated: rules.trust-account-root "mandatory" sets a level, which only the trust-guard CLI reads; in the policy pack set it with Pulumi\'s per-policy enforcement level instead (--policy-pack-config file: {"trust-account-root": {"enforcementLevel": "mandatory"}}). In the pack, rules may only say "disabled".',
    ]);
  });
});

describe('the remaining rule policies report their own shape through the pack', () => {
  const cases: Array<[string, ResourceValidationPolicy | undefined, string]> = [
    ['trust-not-principal', resourcePolicies.find((p) => p.name === 'trust-not-principal'), doc({ Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::012345678901:role/trustline-hub' }, Action: 'sts:AssumeRole' })],
    ['trust-federation-unbounded', resourcePolicies.find((p) => p.name === 'trust-federation-unbounded'), doc({ Effect: 'Allow', Principal: { Federated: 'arn:aws:iam::012345678901:oidc-provider/token.actions.githubusercontent.com' }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } } })],
    ['trust-wildcard-action', resourcePolicies.find((p) => p.name === 'trust-wildcard-action'), doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::012345678901:role/trustline-hub' }, Action: 'sts:*' })],
    ['trust-service-confused-deputy', resourcePolicies.find((p) => p.name === 'trust-service-confused-deputy'), doc({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sts:AssumeRole' })],
    ['trust-tag-session-broad', resourcePolicies.find((p) => p.name === 'trust-tag-session-broad'), doc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: ['sts:AssumeRole', 'sts:TagSession'] })],
  ];
  it.each(cases)('%s', async (ruleId, policy, trust) => {
    expect(policy, `policy ${ruleId} is in the pack`).toBeDefined();
    const messages = await validate(policy!, argsFor(ROLE, `shape-${ruleId}`, { assumeRolePolicy: trust }));
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) expect(m).toMatch(new RegExp(`^${ruleId}\\[(Principal|Statement|Action)::[^\\]]+\\] in assumeRolePolicy: \\S`));
    // and the hub-only trust passes the same policy
    expect(await validate(policy!, argsFor(ROLE, `fine-${ruleId}`, { assumeRolePolicy: HUB_TRUST }))).toEqual([]);
  });
});
