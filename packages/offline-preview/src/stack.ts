import { createRequire } from 'node:module';
import * as path from 'node:path';
import { recordProgram, type RecordedResource } from '@trustline/components';
import { parseUrn, type AccountRegistry } from '@trustline/registry';
import { DEFAULT_PROVIDERS_FIX, defaultProvidersProblem, findingOfViolation, resourcePolicies, stackPolicies } from '@trustline/trust-guard';
import { providerChains } from './chains';
import { codeResources } from './paths';
import { PolicyCrash, policyConfig, runPolicies, type EngineOptions, type EngineResource, type PackPolicies, type Violation } from './engine';
import { failedStack, type PreviewFinding, type RoleTrust, type StackResult } from './result';
import { countByType } from './summary';
import { roleTrust } from './trust';
import { relativeTo, type ProjectSpec } from './workspace';

/** The trust-guard pack's policies, as its index lists them. */
export function trustGuardPack(): PackPolicies {
  return { resourcePolicies, stackPolicies };
}

/** Imports the program fresh: its own folder's modules are dropped from the require cache first. */
function loadProgram(project: ProjectSpec): unknown {
  const folder = path.dirname(project.programFile) + path.sep;
  const nodeModules = `${path.sep}node_modules${path.sep}`;
  for (const key of Object.keys(require.cache)) {
    if (key.startsWith(folder) && !key.includes(nodeModules)) delete require.cache[key];
  }
  // A CommonJS load, as Pulumi's Node.js language host runs a program (tsx compiles TypeScript on the fly).
  return createRequire(project.programFile)(project.programFile) as unknown;
}

/**
 * Runs one project's program under mocks and judges its stack. A program that throws, or a policy that
 * crashes, yields a stack with status `error` whose message names the project and program.
 */
export async function previewStack(workspace: string, project: ProjectSpec, registry: AccountRegistry, pack: PackPolicies): Promise<StackResult> {
  const program = relativeTo(workspace, project.programFile);
  const base = { project: project.key, pulumiProject: project.pulumiProject, stack: project.stack, program, accountId: project.accountId };
  const failed = (cause: unknown): StackResult => failedStack(workspace, project, cause);

  const options: EngineOptions = {
    stackTags: new Map([
      ['pulumi:project', project.pulumiProject],
      ['pulumi:runtime', 'nodejs'],
    ]),
  };
  let resources: readonly RecordedResource[];
  try {
    const recorded = await recordProgram({ project: project.pulumiProject, stack: project.stack, config: project.config, program: () => loadProgram(project) });
    resources = recorded.resources;
  } catch (e) {
    return failed(e);
  }

  let violations: Violation[];
  try {
    violations = await runPolicies(resources, pack, options);
  } catch (e) {
    if (e instanceof PolicyCrash) return failed(e);
    throw e;
  }

  const defaults = defaultProvidersProblem(project.config);
  if (defaults) violations.push(defaultProvidersViolation(defaults));

  const providers = providerChains(resources);
  let roles: RoleTrust[];
  try {
    roles = roleTrust(resources, providers, registry);
  } catch (e) {
    return failed(e);
  }
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const findings = violations.map((v) => previewFinding(v, byUrn, pack, options));
  findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'mandatory' ? -1 : 1));
  return {
    ...base,
    status: findings.some((f) => f.severity === 'mandatory') ? 'failed' : 'passed',
    resourceCount: resources.length,
    resourcesByType: countByType(resources),
    providers,
    roles,
    findings,
    iam: codeResources(resources, providers),
  };
}

/** Name of the offline preview's own stack check on the merged stack configuration. */
export const DEFAULT_PROVIDERS_CHECK = 'stack-default-providers-disabled';

/**
 * The engine reads `pulumi:disable-default-providers` from the merged configuration, which a policy pack
 * never sees (@pulumi/policy's ConfigureStack keeps only the stack's tags), so the offline preview checks
 * it here; the pack's stack-provider-per-account reports any resource that lands on a default provider.
 */
function defaultProvidersViolation(message: string): Violation {
  return {
    policyName: DEFAULT_PROVIDERS_CHECK,
    enforcementLevel: 'mandatory',
    description: 'The stack disables default AWS providers (pulumi:disable-default-providers names "aws"), so a resource without { provider } fails instead of deploying with the shell\'s credentials.',
    message,
    remediationSteps: DEFAULT_PROVIDERS_FIX,
    from: 'stack',
  };
}

/**
 * A violation as the preview reports it. For a trust-guard rule policy's violation, the rule id and fix are
 * read from the finding behind it (trust-guard's findingOfViolation, with the arguments the engine gave the
 * policy); any other violation names its policy as the rule and has the policy's remediationSteps as fix.
 */
export function previewFinding(v: Violation, byUrn: ReadonlyMap<string, Pick<EngineResource, 'type' | 'name' | 'urn' | 'inputs'>>, pack: PackPolicies, options: EngineOptions): PreviewFinding {
  const r = v.urn ? byUrn.get(v.urn) : undefined;
  const policy = pack.resourcePolicies.find((p) => p.name === v.policyName);
  const finding =
    r && policy && v.from === 'resource'
      ? findingOfViolation({ type: r.type, urn: r.urn, name: r.name, props: r.inputs, getConfig: <T extends object>() => policyConfig(policy, options.config) as T }, v)
      : undefined;
  return {
    ruleId: finding?.ruleId ?? v.policyName,
    policy: v.policyName,
    severity: v.enforcementLevel,
    message: v.message || v.description,
    fix: finding?.fix ?? v.remediationSteps ?? null,
    resource: v.urn ? { urn: v.urn, type: r?.type ?? parseUrn(v.urn)?.type ?? '', name: r?.name ?? parseUrn(v.urn)?.name ?? '' } : null,
  };
}
