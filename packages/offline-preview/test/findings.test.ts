import { SAMPLE_REGISTRY_FILE } from '@trustline/registry';
import { resourcePolicies, stackPolicies } from '@trustline/trust-guard';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPolicies, type EngineOptions, type EngineResource, type Violation } from '../src/engine';
import { previewFinding } from '../src/stack';

beforeAll(() => {
  process.env.TRUSTLINE_REGISTRY = SAMPLE_REGISTRY_FILE;
});

const role = (name: string, policy: object): EngineResource => ({
  type: 'aws:iam/role:Role',
  name,
  urn: `urn:pulumi:dev::dev::aws:iam/role:Role::${name}`,
  inputs: { assumeRolePolicy: JSON.stringify(policy) },
  dependencies: [],
  propertyDependencies: {},
});
const pack = { resourcePolicies: [...resourcePolicies], stackPolicies: [...stackPolicies] };

/** Runs the pack on `resources` and returns the preview's findings (as `npm start` builds them). */
async function findingsOf(resources: EngineResource[], options: EngineOptions = {}) {
  const violations = await runPolicies(resources, pack, options);
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  return violations.map((v) => previewFinding(v, byUrn, pack, options));
}

const ANY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] };

describe('the preview reads a rule violation\'s rule id and fix from the finding, not from its message', () => {
  it('a trust-any-principal violation: the rule and the fix the rule states', async () => {
    const found = (await findingsOf([role('open', ANY)])).filter((f) => f.policy === 'trust-any-principal');
    expect(found).toEqual([
      {
        ruleId: 'trust-any-principal',
        policy: 'trust-any-principal',
        severity: 'mandatory',
        message: 'trust-any-principal[Principal::AWS::*] in assumeRolePolicy: Principal {"AWS":"*"} lets any AWS account assume this role. Name the role ARNs that need access, or bound it with aws:PrincipalOrgID.',
        fix: 'Name the role ARNs that need access, or bound it with aws:PrincipalOrgID.',
        resource: { urn: 'urn:pulumi:dev::dev::aws:iam/role:Role::open', type: 'aws:iam/role:Role', name: 'open' },
      },
    ]);
  });

  it('a fix inside the sentence (after a semicolon) is still the fix', async () => {
    const dashes = { ...ANY, Version: '2012\u201310\u201317', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/deploy' }, Action: 'sts:AssumeRole' }] };
    const found = (await findingsOf([role('dashes', dashes)])).filter((f) => f.ruleId === 'trust-malformed');
    expect(found.map((f) => [f.message, f.fix])).toEqual([
      [
        'trust-malformed[Version] in assumeRolePolicy: Version "2012\u201310\u201317" contains typographic dashes (often copied from a web page); write "2012-10-17" with plain hyphens.',
        'Write "2012-10-17" with plain hyphens.',
      ],
    ]);
  });

  it('a locked rule reported in place of its disabled policy keeps its own rule id and fix, not the note after it', async () => {
    const options = { config: { 'trust-any-principal': { enforcementLevel: 'disabled' } } };
    const found = (await findingsOf([role('open-disabled', ANY)], options)).filter((f) => f.policy === 'trust-any-principal');
    expect(found.map((f) => [f.ruleId, f.severity, f.fix, f.message.endsWith('Reported by trust-untrusted-account in its place.)')])).toEqual([
      ['trust-any-principal', 'mandatory', 'Name the role ARNs that need access, or bound it with aws:PrincipalOrgID.', true],
    ]);
  });

  it('any other violation names its policy as the rule and has its remediationSteps (or no fix); a rule id in the text is not parsed', () => {
    const v = (policyName: string, message: string, remediationSteps?: string): Violation => ({
      policyName,
      enforcementLevel: 'advisory',
      description: 'd',
      message,
      from: 'stack',
      ...(remediationSteps ? { remediationSteps } : {}),
    });
    const none = new Map<string, EngineResource>();
    expect(previewFinding(v('other-pack-stack-check', 'The stack has two providers. Use one.'), none, pack, {})).toMatchObject({ ruleId: 'other-pack-stack-check', fix: null });
    expect(previewFinding(v('legacy-pack', 'trust-wildcard-action[Action::sts:*] in assumeRolePolicy: x. Do y.'), none, pack, {})).toMatchObject({ ruleId: 'legacy-pack', fix: null });
    expect(previewFinding(v('runbook', 'Something is wrong. Do this.', 'Follow the runbook.'), none, pack, {})).toMatchObject({ ruleId: 'runbook', fix: 'Follow the runbook.' });
  });
});

describe('a stack policy\'s finding carries the policy\'s fix (issue 21: stack-provider-per-account printed no fix)', () => {
  it('a bucket with no provider in the dev stack: stack-provider-per-account with its fix', async () => {
    const bucket: EngineResource = { type: 'aws:s3/bucket:Bucket', name: 'stray', urn: 'urn:pulumi:dev::dev::aws:s3/bucket:Bucket::stray', inputs: {}, dependencies: [], propertyDependencies: {} };
    const found = (await findingsOf([bucket])).filter((f) => f.ruleId === 'stack-provider-per-account');
    const policy = stackPolicies.find((p) => p.name === 'stack-provider-per-account');
    expect(found.map((f) => [f.severity, f.resource?.name, f.fix])).toEqual([['mandatory', 'stray', policy?.remediationSteps]]);
    expect(found[0]?.fix).toMatch(/^Pass the account's provider/);
  });
});
