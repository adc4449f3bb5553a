import {
  UnknownValueError,
  unknownCheckingProxy,
  type PolicyProviderResource,
  type PolicyResource,
  type PolicyResourceOptions,
  type ReportViolation,
  type ResourceValidation,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
  type StackValidationArgs,
  type StackValidationPolicy,
} from '@pulumi/policy';

/**
 * The engine's side of a policy pack, in-process: builds the arguments `pulumi preview` hands a pack
 * (`ResourceValidationArgs` per resource, `StackValidationArgs` once per stack) and calls the policies the
 * way @pulumi/policy's analyzer server does (enforcement levels, type fast paths, notApplicable, unknowns).
 * Nothing here is specific to trust-guard.
 */

/** One registration as the engine knows it (the shape `recordProgram` returns). */
export interface EngineResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** Inputs as registered; provider config stays JSON-encoded, as the engine sends it to a pack. */
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly parent?: string;
  readonly dependencies: readonly string[];
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  readonly provider?: { readonly urn: string; readonly type: string; readonly name: string; readonly props: Readonly<Record<string, unknown>> };
}

/** The policies of a pack, as its index lists them. */
export interface PackPolicies {
  readonly resourcePolicies: readonly ResourceValidationPolicy[];
  readonly stackPolicies: readonly StackValidationPolicy[];
}

/** What Pulumi would print for one reportViolation call. */
export interface Violation {
  readonly policyName: string;
  readonly enforcementLevel: 'advisory' | 'mandatory';
  readonly description: string;
  /** The message the policy passed (without the description the CLI prepends). */
  readonly message: string;
  readonly urn?: string;
  readonly severity?: string;
  readonly remediationSteps?: string;
  /** `resource` from validateResource, `stack` from validateStack. */
  readonly from: 'resource' | 'stack';
}

/** A policy that threw something other than notApplicable or an unknown-value error: the engine fails the preview. */
export class PolicyCrash extends Error {
  constructor(
    readonly policyName: string,
    readonly urn: string | undefined,
    cause: unknown,
  ) {
    super(`policy "${policyName}" threw while validating ${urn ?? 'the stack'}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'PolicyCrash';
  }
}

export interface EngineOptions {
  /**
   * Per-policy configuration as a Pulumi policy config file holds it (`{ "<policy>": { enforcementLevel, ...props } }`).
   * @default {}
   */
  readonly config?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** The stack's tags. @default empty */
  readonly stackTags?: ReadonlyMap<string, string>;
  /** The pack's default enforcement level. @default "advisory" (as @pulumi/policy's PolicyPack) */
  readonly packEnforcementLevel?: 'advisory' | 'mandatory' | 'disabled';
}

interface TypedClass {
  __pulumiType?: unknown;
  isInstance?: unknown;
}

/** The Pulumi type a class or a validateResourceOfType function carries (`__pulumiType`), if any. */
function pulumiTypeOf(target: unknown): string | undefined {
  const t = (target as TypedClass | undefined)?.__pulumiType;
  return typeof t === 'string' ? t : undefined;
}

/** Same test as @pulumi/policy's server: the class's `__pulumiType`, else its `isInstance`. */
function isTypeOf(type: string, resourceClass: unknown): boolean {
  const known = pulumiTypeOf(resourceClass);
  if (known) return type === known;
  const isInstance = (resourceClass as TypedClass).isInstance;
  return typeof isInstance === 'function' && isInstance({ __pulumiType: type }) === true;
}

class NotApplicable extends Error {}
const notApplicable = (reason?: string): never => {
  throw new NotApplicable(reason ?? 'Policy does not apply');
};

const resourceOptions = (r: EngineResource): PolicyResourceOptions => ({
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
  ...(r.parent ? { parent: r.parent } : {}),
});

/**
 * The config a policy's getConfig() returns: defaults from its configSchema (the CLI fills them in when it
 * validates the pack config), overridden by the given per-policy config, without enforcementLevel.
 */
export function policyConfig(policy: ResourceValidationPolicy | StackValidationPolicy, config: EngineOptions['config'] = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
    const d = (schema as { default?: unknown }).default;
    if (d !== undefined) out[key] = d;
  }
  const given = { ...(config[policy.name] ?? {}) };
  delete given.enforcementLevel;
  return { ...out, ...given };
}

function levelOf(policy: ResourceValidationPolicy | StackValidationPolicy, options: EngineOptions): 'advisory' | 'mandatory' | 'disabled' {
  const configured = options.config?.[policy.name]?.enforcementLevel;
  const level = (typeof configured === 'string' ? configured : undefined) ?? policy.enforcementLevel ?? options.packEnforcementLevel ?? 'advisory';
  // Remediations do not run offline; a remediate policy that still finds a violation is reported as mandatory, as the server does.
  return level === 'remediate' ? 'mandatory' : (level as 'advisory' | 'mandatory' | 'disabled');
}

function reporter(policy: ResourceValidationPolicy | StackValidationPolicy, level: 'advisory' | 'mandatory', from: Violation['from'], out: Violation[], fixedUrn?: string): ReportViolation {
  return (message: unknown, urn?: string) => {
    // The server also accepts an object ({ message, urn, enforcementLevel, ... }) in place of the string.
    const info = typeof message === 'object' && message !== null ? (message as Record<string, unknown>) : undefined;
    const text = info ? String(info.message ?? info.description ?? '') : typeof message === 'string' ? message : '';
    const infoLevel = info?.enforcementLevel === 'advisory' || info?.enforcementLevel === 'mandatory' ? info.enforcementLevel : undefined;
    const at = fixedUrn ?? (typeof info?.urn === 'string' ? info.urn : urn);
    out.push({
      policyName: typeof info?.name === 'string' ? info.name : policy.name,
      enforcementLevel: infoLevel ?? level,
      description: policy.description,
      message: text,
      ...(at ? { urn: at } : {}),
      ...(policy.severity ? { severity: policy.severity } : {}),
      ...(policy.remediationSteps ? { remediationSteps: policy.remediationSteps } : {}),
      from,
    });
  };
}

/** What a policy that could not run because of an unknown value reports (the server's wording; always advisory). */
function unknownViolation(policy: ResourceValidationPolicy | StackValidationPolicy, e: Error, from: Violation['from'], urn?: string): Violation {
  return {
    policyName: policy.name,
    enforcementLevel: 'advisory',
    description: policy.description,
    message: `can't run policy '${policy.name}' during preview: ${e.message}`,
    ...(urn ? { urn } : {}),
    from,
  };
}

function providerOf(r: EngineResource, byUrn: ReadonlyMap<string, EngineResource>): PolicyProviderResource | undefined {
  if (!r.provider) return undefined;
  // The engine sends the provider's registered inputs (JSON-encoded config and all).
  const registered = byUrn.get(r.provider.urn);
  const props = registered ? registered.inputs : r.provider.props;
  return { type: r.provider.type, name: r.provider.name, urn: r.provider.urn, props: unknownCheckingProxy({ ...props }) };
}

/** `asType` as both the resource policy args and a stack policy's resources declare it (one function serves both). */
type AsType = ResourceValidationArgs['asType'] & PolicyResource['asType'];

/**
 * A resource as both a resource policy's args and a stack policy's resource list show it: its inputs
 * behind the unknown-value check, its options, its provider, and the type tests.
 */
function resourceView(
  r: EngineResource,
  byUrn: ReadonlyMap<string, EngineResource>,
): Pick<PolicyResource, 'type' | 'props' | 'urn' | 'name' | 'opts' | 'isType' | 'provider'> & { asType: AsType } {
  const props = unknownCheckingProxy({ ...r.inputs }) as Record<string, unknown>;
  const provider = providerOf(r, byUrn);
  return {
    type: r.type,
    props,
    urn: r.urn,
    name: r.name,
    opts: resourceOptions(r),
    isType: (cls) => isTypeOf(r.type, cls),
    asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined)) as AsType,
    ...(provider ? { provider } : {}),
  };
}

/**
 * Runs every resource policy on every resource, then every stack policy on the stack, and returns the
 * violations in that order. Throws {@link PolicyCrash} when a policy throws (the engine fails the preview).
 */
export async function runPolicies(resources: readonly EngineResource[], pack: PackPolicies, options: EngineOptions = {}): Promise<Violation[]> {
  const out: Violation[] = [];
  const stackTags = options.stackTags ?? new Map<string, string>();
  const byUrn = new Map(resources.map((r) => [r.urn, r]));

  for (const r of resources) {
    for (const policy of pack.resourcePolicies) {
      const level = levelOf(policy, options);
      if (level === 'disabled' || !policy.validateResource) continue;
      const validations: ResourceValidation[] = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
      if (validations.length === 1) {
        const only = pulumiTypeOf(validations[0]);
        if (only && only !== r.type) continue;
      }
      for (const validate of validations) {
        const args: ResourceValidationArgs = {
          ...resourceView(r, byUrn),
          stackTags,
          getConfig: <T extends object>() => policyConfig(policy, options.config) as T,
          notApplicable,
        };
        try {
          await validate(args, reporter(policy, level, 'resource', out, r.urn));
        } catch (e) {
          if (e instanceof NotApplicable) continue;
          if (e instanceof UnknownValueError) out.push(unknownViolation(policy, e as Error, 'resource', r.urn));
          else throw new PolicyCrash(policy.name, r.urn, e);
        }
      }
    }
  }

  if (pack.stackPolicies.length === 0) return out;
  for (const policy of pack.stackPolicies) {
    const level = levelOf(policy, options);
    if (level === 'disabled') continue;
    const only = pulumiTypeOf(policy.validateStack);
    if (only && !resources.some((r) => r.type === only)) continue;
    const args: StackValidationArgs = {
      resources: stackResources(resources, byUrn),
      stackTags,
      getConfig: <T extends object>() => policyConfig(policy, options.config) as T,
      notApplicable,
    };
    try {
      await policy.validateStack(args, reporter(policy, level, 'stack', out));
    } catch (e) {
      if (e instanceof NotApplicable) continue;
      if (e instanceof UnknownValueError) out.push(unknownViolation(policy, e as Error, 'stack'));
      else throw new PolicyCrash(policy.name, undefined, e);
    }
  }
  return out;
}

/** The stack's resources as `PolicyResource`s, parents and dependencies linked as objects (server order). */
export function stackResources(resources: readonly EngineResource[], byUrn: ReadonlyMap<string, EngineResource> = new Map(resources.map((r) => [r.urn, r]))): PolicyResource[] {
  const made = new Map<string, PolicyResource>();
  const list = resources.map((r) => {
    const resource: PolicyResource = { ...resourceView(r, byUrn), dependencies: [], propertyDependencies: {} };
    made.set(r.urn, resource);
    return resource;
  });
  const pick = (urns: readonly string[]) => urns.map((u) => made.get(u)).filter((x): x is PolicyResource => x !== undefined);
  resources.forEach((r, i) => {
    const resource = list[i];
    if (r.parent && made.has(r.parent)) resource.parent = made.get(r.parent);
    resource.dependencies = pick(r.dependencies);
    for (const [k, urns] of Object.entries(r.propertyDependencies)) resource.propertyDependencies[k] = pick(urns);
  });
  return list;
}
