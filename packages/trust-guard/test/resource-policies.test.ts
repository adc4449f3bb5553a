import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ResourceValidationArgs, ResourceValidationPolicy } from '@pulumi/policy';
import { unknownCheckingProxy } from '@pulumi/policy';
import { RULE_IDS, RULES } from '@trustline/trust';
import { beforeAll, describe, expect, it } from 'vitest';
import { resourcePolicies, stackPolicies } from '../src/policies';
import { evaluateResource } from '../src/policies/evaluate';
import { TEST_REGISTRY, UNKNOWN, useTestRegistry } from './helpers';

const policyOf = (name: string): ResourceValidationPolicy => {
  const policy = resourcePolicies.find((p) => p.name === name);
  if (policy === undefined) throw new Error(`the pack has no policy named ${name}`);
  return policy;
};
const identityAssumeAnyRole = policyOf('identity-assume-any-role');
const trustAccountRoot = policyOf('trust-account-root');
const trustAnyPrincipal = policyOf('trust-any-principal');
const trustExternalWithoutExternalId = policyOf('trust-external-without-external-id');
const trustMalformed = policyOf('trust-malformed');
const trustMaxSessionDuration = policyOf('trust-max-session-duration');
const trustUnverifiableAtPreview = policyOf('trust-unverifiable-at-preview');
const trustUntrustedAccount = policyOf('trust-untrusted-account');

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
  // A locked rule (always mandatory) reports in the engine's object form ({ name, message, enforcementLevel }).
  for (const fn of fns) await fn?.(args, (message: string | { message: string }) => messages.push(typeof message === 'string' ? message : message.message));
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

  it('trust-external-without-external-id accepts a vendor ExternalId pattern only when accounts.json declares it for that vendor', async () => {
    const patterned = doc({
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::999999999999:role/monitoring' },
      Action: 'sts:AssumeRole',
      Condition: { StringLike: { 'sts:ExternalId': 'acme@*' } },
    });
    expect(await validate(trustExternalWithoutExternalId, argsFor(ROLE, 'vendor', { assumeRolePolicy: patterned }))).toEqual([
      expect.stringMatching(/^trust-external-without-external-id\[.*999999999999.*\] in assumeRolePolicy: /),
    ]);
    const registry = JSON.parse(fs.readFileSync(TEST_REGISTRY, 'utf8'));
    registry.externalAccounts[0].externalIdPatterns = ['acme@*'];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-guard-vendor-'));
    const file = path.join(dir, 'accounts.json');
    fs.writeFileSync(file, JSON.stringify(registry));
    process.env.TRUSTLINE_REGISTRY = file;
    try {
      expect(await validate(trustExternalWithoutExternalId, argsFor(ROLE, 'vendor', { assumeRolePolicy: patterned }))).toEqual([]);
    } finally {
      useTestRegistry();
      fs.rmSync(dir, { recursive: true, force: true });
    }
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
    // In pack order, as the engine runs them (a later policy stands in for a skipped trust-any-principal).
    expect(await validate(trustAnyPrincipal, args)).toHaveLength(1);
    expect(await validate(trustUnverifiableAtPreview, args)).toEqual([expect.stringMatching(/^trust-unverifiable-at-preview\[inlinePolicies\[0\]\.policy\] in inlinePolicies\[0\]\.policy: The identity policy/)]);
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
    const args = argsFor(ROLE, `shape-${ruleId}`, { assumeRolePolicy: trust });
    // In pack order, as the engine runs them: trust-any-principal first, or a later policy stands in for it.
    await validate(resourcePolicies[0], args);
    const messages = await validate(policy!, args);
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) expect(m).toMatch(new RegExp(`^${ruleId}\\[(Principal|Statement|Action)::[^\\]]+\\] in assumeRolePolicy: \\S`));
    // and the hub-only trust passes the same policy
    expect(await validate(policy!, argsFor(ROLE, `fine-${ruleId}`, { assumeRolePolicy: HUB_TRUST }))).toEqual([]);
  });
});

/**
 * Runs the pack's resource policies on one resource the way @pulumi/policy's server does
 * (server.js makeAnalyzeRpcFun / makeReportViolationFun): in list order, skipping a policy whose configured
 * enforcementLevel is "disabled"; a violation given as an object keeps its own name and level.
 */
async function runPack(args: ResourceValidationArgs, levels: Record<string, 'advisory' | 'mandatory' | 'disabled'> = {}) {
  const out: { policy: string; level: string; message: string }[] = [];
  for (const p of resourcePolicies) {
    const level = levels[p.name] ?? p.enforcementLevel ?? 'advisory';
    if (level === 'disabled') continue;
    const fns = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
    const report = (m: string | { name?: string; message: string; enforcementLevel?: string }) =>
      out.push(typeof m === 'string' ? { policy: p.name, level, message: m } : { policy: m.name ?? p.name, level: m.enforcementLevel ?? level, message: m.message });
    for (const fn of fns) await fn?.(args, report as never);
  }
  return out;
}

describe('locked rules (trust-any-principal, trust-not-principal) cannot be lowered in the pack', () => {
  const ANY_MESSAGE =
    'trust-any-principal[Principal::AWS::*] in assumeRolePolicy: Principal {"AWS":"*"} lets any AWS account assume this role. Name the role ARNs that need access, or bound it with aws:PrincipalOrgID.';
  const NOT_PRINCIPAL = doc({ Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::012345678901:role/trustline-hub' }, Action: 'sts:AssumeRole' });
  const NOT_MESSAGE =
    'trust-not-principal[Statement::0] in assumeRolePolicy: Statement 0 uses NotPrincipal with Allow: everyone except AWS::arn:aws:iam::012345678901:role/trustline-hub may assume this role. Use Principal and name the role ARNs that need access.';

  it('rules that lower them in a policy section are refused, naming the field and value', async () => {
    for (const level of ['disabled', 'advisory']) {
      const args = argsFor(ROLE, `open-rules-${level}`, { assumeRolePolicy: ANY_TRUST }, { rules: { 'trust-any-principal': level } });
      expect(await validate(trustAnyPrincipal, args)).toEqual([
        `trust-any-principal: aws:iam/role:Role "open-rules-${level}" could not be validated: trust-guard policy configuration: rules.trust-any-principal "${level}" would lower a rule that is always "mandatory": an unbounded "*" principal lets anyone assume the role, and no setting or exemption may let that through; remove rules.trust-any-principal and fix the policy instead.`,
      ]);
    }
  });

  it('by default {"AWS":"*"} is reported once, mandatory, by trust-any-principal', async () => {
    expect(await runPack(argsFor(ROLE, 'open-default', { assumeRolePolicy: ANY_TRUST }))).toEqual([{ policy: 'trust-any-principal', level: 'mandatory', message: ANY_MESSAGE }]);
  });

  it('enforcementLevel "advisory" for trust-any-principal does not lower it: the violation carries "mandatory"', async () => {
    expect(await runPack(argsFor(ROLE, 'open-advisory', { assumeRolePolicy: ANY_TRUST }), { 'trust-any-principal': 'advisory' })).toEqual([
      { policy: 'trust-any-principal', level: 'mandatory', message: ANY_MESSAGE },
    ]);
  });

  it('enforcementLevel "disabled" for trust-any-principal: the next policy reports it in its place, mandatory, and says so', async () => {
    expect(await runPack(argsFor(ROLE, 'open-disabled', { assumeRolePolicy: ANY_TRUST }), { 'trust-any-principal': 'disabled' })).toEqual([
      {
        policy: 'trust-any-principal',
        level: 'mandatory',
        message: `${ANY_MESSAGE} (The policy pack configuration disables trust-any-principal, but it is always mandatory: an unbounded "*" principal lets anyone assume the role. Reported by trust-untrusted-account in its place.)`,
      },
    ]);
    // and the one after that if that one is disabled too
    const both = await runPack(argsFor(ROLE, 'open-disabled-2', { assumeRolePolicy: ANY_TRUST }), { 'trust-any-principal': 'disabled', 'trust-untrusted-account': 'disabled' });
    expect(both.map((v) => [v.policy, v.level, v.message.endsWith('Reported by trust-external-without-external-id in its place.)')])).toEqual([['trust-any-principal', 'mandatory', true]]);
  });

  it('enforcementLevel "disabled" for trust-not-principal: reported in its place too', async () => {
    expect(await runPack(argsFor(ROLE, 'not-principal-disabled', { assumeRolePolicy: NOT_PRINCIPAL }), { 'trust-not-principal': 'disabled' })).toEqual([
      {
        policy: 'trust-not-principal',
        level: 'mandatory',
        message: `${NOT_MESSAGE} (The policy pack configuration disables trust-not-principal, but it is always mandatory: NotPrincipal with Allow admits everyone except the listed principals. Reported by trust-federation-unbounded in its place.)`,
      },
    ]);
  });

  it('other rules can still be switched off by their enforcementLevel', async () => {
    const trust = doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444444444444:role/ci' }, Action: 'sts:AssumeRole' });
    expect(await runPack(argsFor(ROLE, 'untrusted-disabled', { assumeRolePolicy: trust }), { 'trust-untrusted-account': 'disabled' })).toEqual([]);
  });
});

describe('expired exemptions in the pack', () => {
  it('the finding comes back with a note naming the exemption, its expiry and the finding it no longer covers', async () => {
    const trust = doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::012345678901:root' }, Action: 'sts:AssumeRole' });
    const key = 'trust-account-root[Principal::AWS::arn:aws:iam::012345678901:root]';
    const config = { exemptions: [{ ruleId: 'trust-account-root', findingKey: key, reason: 'Break-glass role reviewed by security.', expires: '2020-01-31' }] };
    expect(await validate(trustAccountRoot, argsFor(ROLE, 'lapsed', { assumeRolePolicy: trust }, config))).toEqual([
      `${key} in assumeRolePolicy: Principal {"AWS":"arn:aws:iam::012345678901:root"} trusts the whole account 012345678901: every user or role there that may call sts:AssumeRole gets in. Name the role ARNs that need access, or add "ArnLike": {"aws:PrincipalArn": "arn:aws:iam::012345678901:role/<name>"}. The exemption of ${key} ("Break-glass role reviewed by security.") expired on 2020-01-31; it no longer covers ${key}. Fix the finding, or renew the exemption with a new "expires" date.`,
    ]);
  });
});
