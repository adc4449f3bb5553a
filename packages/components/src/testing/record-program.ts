import * as pulumi from '@pulumi/pulumi';
import * as resproto from '@pulumi/pulumi/proto/resource_pb';
import { newUrn, parseUrn, providerRefUrn, roleArn } from '@trustline/registry';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import { Struct } from 'google-protobuf/google/protobuf/struct_pb';

/** The provider a custom resource is managed by, as the engine resolves its reference. */
export interface RecordedProviderRef {
  /** The reference the engine sees: `<provider URN>::<provider id>`. */
  readonly ref: string;
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** The provider's inputs with JSON-encoded values decoded (see {@link RecordedResource.props}). */
  readonly props: Readonly<Record<string, unknown>>;
}

/** One resource registration, shaped like the resource a policy pack sees during preview. */
export interface RecordedResource {
  /** Type token, e.g. `aws:iam/role:Role` or `pulumi:providers:aws`. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  readonly urn: string;
  /** True for resources a provider manages; false for components and the stack. */
  readonly custom: boolean;
  /**
   * The inputs exactly as registered. Provider resources carry their non-string config JSON-encoded
   * here (`assumeRoles: "[{...}]"`), as the engine and a policy pack see them.
   */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** {@link inputs}, with a provider's JSON-encoded config decoded to objects and arrays. */
  readonly props: Readonly<Record<string, unknown>>;
  /** Parent URN; top-level resources have the stack as parent. */
  readonly parent?: string;
  /** URNs this resource depends on (explicit `dependsOn` plus resources whose outputs feed its inputs). */
  readonly dependencies: readonly string[];
  /** Per input property, the URNs its value came from. */
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  /** The provider managing this custom resource; undefined when it would fall back to a default provider. */
  readonly provider?: RecordedProviderRef;
}

/**
 * A stack's configuration as the engine holds it and hands it to a program (`PULUMI_CONFIG`): keys
 * namespaced as in `Pulumi.<stack>.yaml` (`aws:region`, `<project>:<key>`), every value a string. The one
 * owner of this shape: the mock harness, the offline preview and the engine-conformance suite use it.
 */
export type StackConfig = Readonly<Record<string, string>>;

/** The result of running a program under mocks. */
export interface RecordedProgram {
  /** Every registration, in registration order, including the stack and component resources. */
  readonly resources: readonly RecordedResource[];
  /** The stack outputs (the program module's exports, or what a program function returned). */
  readonly outputs: Readonly<Record<string, unknown>>;
}

/** What a mock returns for one registration: the physical id and output state. */
export interface MockState {
  readonly id: string;
  readonly state: Record<string, unknown>;
}

export interface RecordProgramOptions {
  /** Pulumi project name (`pulumi.getProject()` inside the program). */
  readonly project: string;
  /** Stack name (`pulumi.getStack()` inside the program). */
  readonly stack: string;
  /**
   * Stack configuration, keys namespaced as in `Pulumi.<stack>.yaml` (`aws:region`). Replaces all
   * configuration of an earlier run.
   * @default {}
   */
  readonly config?: StackConfig;
  /**
   * Runs the program. For a module program, import it fresh here (`vi.resetModules()` then
   * `import('./index')` under vitest; clear `require.cache` otherwise): a cached module registers nothing.
   * Whatever it returns or resolves to (a module namespace is fine) becomes the stack outputs.
   */
  readonly program: () => unknown;
  /**
   * Whether `pulumi.runtime.isDryRun()` is true, as during `pulumi preview`.
   * @default true
   */
  readonly preview?: boolean;
  /**
   * Output state for a registration; the default echoes the inputs and derives `arn`, `id` and
   * `name` (see {@link defaultMockState}).
   */
  readonly mockState?: (resource: RecordedResource) => MockState;
}

const PROVIDER_TYPE_PREFIX = 'pulumi:providers:';
/** Pulumi's wire markers: a secret arrives as `{ [SIG_KEY]: SECRET_SIG, value }`. */
const SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

/**
 * Replaces wire-format secrets (`{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
 * value}`) with their plaintext, as a policy pack sees them: `aws.ssm.Parameter` marks `value` secret.
 */
export function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (typeof value !== 'object' || value === null) return value;
  const obj = value as Record<string, unknown>;
  if (obj[SIG_KEY] === SECRET_SIG) return unwrapSecrets(obj.value);
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, unwrapSecrets(v)]));
}

/** Decodes the JSON-encoded config values that generated provider classes send (`"[{...}]"`, `"true"`). */
export function decodeProviderInputs(inputs: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inputs)) {
    out[key] = value;
    if (typeof value !== 'string') continue;
    try {
      out[key] = JSON.parse(value) as unknown;
    } catch {
      // A plain string (a region, a profile name) is not JSON: keep it as it is.
    }
  }
  return out;
}

/**
 * Default mock state: the inputs echoed back, an id of `<name>-id`, for IAM roles an `arn` in the account
 * the provider is pinned to (`allowedAccountIds`) and the partition of its region, so role ARN outputs look
 * real, for S3 buckets a `bucket` name of `<name>-mock`, and for other custom resources a placeholder `arn`.
 */
export function defaultMockState(resource: RecordedResource): MockState {
  const state: Record<string, unknown> = { ...resource.inputs };
  const account = resource.provider?.props.allowedAccountIds;
  const accountId = Array.isArray(account) && typeof account[0] === 'string' ? account[0] : '000000000000';
  if (resource.type === 'aws:iam/role:Role') {
    const name = typeof resource.inputs.name === 'string' ? resource.inputs.name : resource.name;
    const path = typeof resource.inputs.path === 'string' ? resource.inputs.path : '/';
    const region = resource.provider?.props.region;
    state.arn = roleArn(accountId, name, typeof region === 'string' ? region : '', path);
    state.name = name;
  } else if (resource.type === 'aws:s3/bucket:Bucket' && state.bucket === undefined) {
    // The engine would autoname the bucket; a stable stand-in keeps outputs that use it known.
    state.bucket = `${resource.name}-mock`;
    state.arn = `arn:aws:s3:::${resource.name}-mock`;
  } else if (resource.custom && state.arn === undefined) {
    state.arn = `arn:aws:mock::${accountId}:${resource.type}/${resource.name}`;
  }
  return { id: `${resource.name}-id`, state };
}

let running = false;

/**
 * Runs a Pulumi program in-process and records every registration as the engine would hand it to a
 * policy pack: type, name, URN, inputs, parent, dependencies and the provider (reference and props).
 * Safe to call repeatedly in one process for different projects and stacks; calls must not overlap,
 * because the Pulumi runtime's state is process-global.
 *
 * The program talks to a {@link RecordingMonitor}, this harness's own resource monitor, installed with
 * the SDK's exported `pulumi.runtime.setMockOptions` (the call `pulumi.runtime.setMocks` makes with the
 * SDK's stock mock monitor). The SDK sends it the same RegisterResourceRequest it sends the engine over
 * gRPC, so parent, dependencies and provider come from the request itself; nothing inside the SDK is
 * replaced or patched.
 */
export async function recordProgram(options: RecordProgramOptions): Promise<RecordedProgram> {
  if (running) {
    throw new Error(`recordProgram(${options.project}/${options.stack}) was called while another recording is running; the Pulumi runtime is process-global, so await each recording before starting the next.`);
  }
  running = true;
  try {
    return await record(options);
  } finally {
    running = false;
  }
}

async function record(options: RecordProgramOptions): Promise<RecordedProgram> {
  const monitor = new RecordingMonitor(options);
  pulumi.runtime.setAllConfig({ ...(options.config ?? {}) });
  pulumi.runtime.setMockOptions(monitor, options.project, options.stack, options.preview ?? true);

  // The program's own error is caught inside the stack callback so the stack still completes: rethrown
  // from runInPulumiStack it would also reject the stack's internal promises (unhandled rejections) and
  // leave its output registration in flight when the next recording swaps the monitor.
  let programError: { readonly error: unknown } | undefined;
  let outputs: Record<string, unknown> | undefined;
  try {
    outputs = (await pulumi.runtime.runInPulumiStack(async () => {
      try {
        return toOutputs(await options.program());
      } catch (error) {
        programError = { error };
        return undefined;
      }
    })) as Record<string, unknown> | undefined;
  } finally {
    // Waits for every outstanding registration (the RPC queue) to drain, as the language host does at exit.
    await pulumi.runtime.disconnect();
  }
  if (programError) throw programError.error;
  return { resources: monitor.resources, outputs: outputs ?? {} };
}

type Callback<T> = (err: Error | null, response?: T) => void;

/** An error shaped as gRPC reports one to the SDK (`details` is what the SDK rethrows for invokes and calls). */
function rpcError(message: string): Error {
  return Object.assign(new Error(message), { code: 2, details: message });
}

/**
 * Features the recording monitor reports, as the SDK asks the engine for them (`supportsFeature`) before
 * the program runs. The same set `pulumi.runtime.setMocks` enables: output values stay off so inputs
 * arrive as plain values, and transforms need the engine's callback server.
 */
const FEATURES: ReadonlySet<string> = new Set(['secrets', 'resourceReferences', 'deletedWith', 'replaceWith', 'aliasSpecs', 'parameterization', 'resourceHooks', 'errorHooks']);

/**
 * An in-process resource monitor: the engine side of the calls the Node.js SDK makes while a program
 * runs (the ResourceMonitor service of `@pulumi/pulumi/proto/resource_grpc_pb`, with the protobuf
 * messages of `@pulumi/pulumi/proto/resource_pb`). It records each registration, gives it the URN the
 * engine would (see {@link urnOf}), and answers with the output state of `mockState`.
 */
export class RecordingMonitor {
  /** Every registration, in the order the SDK sent them. */
  readonly resources: RecordedResource[] = [];
  private readonly byUrn = new Map<string, RecordedResource>();
  private readonly mockState: (resource: RecordedResource) => MockState;

  constructor(private readonly options: Pick<RecordProgramOptions, 'project' | 'stack' | 'mockState'>) {
    this.mockState = options.mockState ?? defaultMockState;
  }

  supportsFeature(req: resproto.SupportsFeatureRequest, callback: Callback<resproto.SupportsFeatureResponse>): void {
    const response = new resproto.SupportsFeatureResponse();
    response.setHassupport(FEATURES.has(req.getId()));
    callback(null, response);
  }

  registerResource(req: resproto.RegisterResourceRequest, callback: Callback<resproto.RegisterResourceResponse>): void {
    this.register(req).then(
      (response) => callback(null, response),
      (err: unknown) => callback(rpcError(err instanceof Error ? err.message : String(err))),
    );
  }

  registerResourceOutputs(_req: resproto.RegisterResourceOutputsRequest, callback: Callback<Empty>): void {
    callback(null, new Empty());
  }

  registerPackage(_req: resproto.RegisterPackageRequest, callback: Callback<resproto.RegisterPackageResponse>): void {
    // Packages matter to the engine only for parameterized providers, which these programs do not use.
    const response = new resproto.RegisterPackageResponse();
    response.setRef('recording-monitor-package');
    callback(null, response);
  }

  invoke(req: resproto.ResourceInvokeRequest, callback: Callback<never>): void {
    callback(rpcError(`recordProgram: the program called ${req.getTok()}; invokes are not mocked. Pass the value in through config instead.`));
  }

  call(req: resproto.ResourceCallRequest, callback: Callback<never>): void {
    callback(rpcError(`recordProgram: the program called method ${req.getTok()}; calls are not mocked.`));
  }

  readResource(req: resproto.ReadResourceRequest, callback: Callback<never>): void {
    callback(rpcError(`recordProgram: the program reads the existing resource ${req.getType()} "${req.getName()}" (a get); reads are not mocked.`));
  }

  signalAndWaitForShutdown(_req: Empty, callback: Callback<Empty>): void {
    callback(null, new Empty());
  }

  /** Nothing to close: there is no connection. */
  close(): void {}

  private async register(req: resproto.RegisterResourceRequest): Promise<resproto.RegisterResourceResponse> {
    const recorded = describe(req, this.byUrn, this.options);
    this.resources.push(recorded);
    this.byUrn.set(recorded.urn, recorded);
    const { id, state } = this.mockState(recorded);
    const response = new resproto.RegisterResourceResponse();
    response.setUrn(recorded.urn);
    response.setId(id);
    response.setObject(Struct.fromJavaScript((await pulumi.runtime.serializeProperties(`${recorded.type} "${recorded.name}"`, state)) as Record<string, never>));
    return response;
  }
}

/** A module namespace (with `default`/`__esModule` noise) or a plain object, as stack outputs. */
function toOutputs(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === '__esModule' || key === 'default') continue;
    out[key] = v;
  }
  return out;
}

/**
 * The URN the engine gives a resource: its type is qualified by the parent's qualified type, except
 * under the root stack (`urn:pulumi:dev::dev::aws:s3/bucket:Bucket::b`,
 * `urn:pulumi:dev::dev::trustline:x:Baseline$aws:s3/bucket:Bucket::b`). The SDK's stock mock monitor
 * qualifies with the stack's type and only the nearest parent, which is why this harness answers
 * registrations with its own monitor: URNs, parents and dependencies keep the shape a policy pack sees
 * during a real preview.
 */
export function urnOf(stack: string, project: string, parent: string | undefined, type: string, name: string): string {
  return newUrn(stack, project, parent === undefined ? undefined : parseUrn(parent)?.qualifiedType, type, name);
}

function describe(req: resproto.RegisterResourceRequest, byUrn: ReadonlyMap<string, RecordedResource>, options: Pick<RecordProgramOptions, 'project' | 'stack'>): RecordedResource {
  const type = req.getType();
  const name = req.getName();
  const parent = req.getParent() || undefined;
  const registered = req.getObject();
  const inputs = unwrapSecrets(registered ? pulumi.runtime.deserializeProperties(registered) : {}) as Record<string, unknown>;
  const propertyDependencies: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((value, key) => {
    propertyDependencies[key] = value.getUrnsList();
  });
  let provider: RecordedProviderRef | undefined;
  const ref = req.getProvider();
  if (ref) {
    const urn = providerRefUrn(ref);
    const target = byUrn.get(urn);
    const parts = parseUrn(urn);
    provider = {
      ref,
      urn,
      type: target?.type ?? parts?.qualifiedType ?? '',
      name: target?.name ?? parts?.name ?? '',
      props: target?.props ?? {},
    };
  }
  return {
    type,
    name,
    urn: urnOf(options.stack, options.project, parent, type, name),
    custom: req.getCustom(),
    inputs,
    props: type.startsWith(PROVIDER_TYPE_PREFIX) ? decodeProviderInputs(inputs) : inputs,
    ...(parent ? { parent } : {}),
    dependencies: req.getDependenciesList(),
    propertyDependencies,
    ...(provider ? { provider } : {}),
  };
}
