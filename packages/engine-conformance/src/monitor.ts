import { randomUUID } from 'node:crypto';
import * as resourceGrpc from '@pulumi/pulumi/proto/resource_grpc_pb';
import * as resourcePb from '@pulumi/pulumi/proto/resource_pb';
import { newUrn, parseUrn } from '@trustline/registry';
import { UNKNOWN, engineValue } from './properties';
import type * as grpcTypes from '@grpc/grpc-js';
import { emptyPb, grpc, LoopbackServer, structOf } from './sdk';

/** One resource as the engine's step generator holds it after RegisterResource. */
export interface RegisteredResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  /** Parent URN; the stack resource has none. */
  readonly parent: string;
  /** Provider reference `urn::id` as the program sent it (or the default provider the engine picked). */
  readonly provider: string;
  readonly id: string;
  /** Inputs as the engine passes them to an analyzer (see properties.ts). */
  readonly inputs: Record<string, unknown>;
  readonly dependencies: readonly string[];
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  readonly protect: boolean;
  readonly ignoreChanges: readonly string[];
  readonly additionalSecretOutputs: readonly string[];
  readonly deleteBeforeReplace?: boolean;
  readonly version: string;
  outputs?: Record<string, unknown>;
}

export interface MonitorOptions {
  readonly project: string;
  readonly stack: string;
  readonly dryRun: boolean;
  /** `pulumi:disable-default-providers` from the stack config: packages (or `*`) without a default provider. */
  readonly disabledDefaultProviders: readonly string[];
}

/** URN reading is owned by the registry (urn.ts); re-exported for this suite's importers. */
export { providerRefUrn } from '@trustline/registry';

/**
 * A ResourceMonitor (`pulumirpc.ResourceMonitor`, proto/resource.proto) that records the resource graph
 * the way pkg/resource/deploy/source_eval.go (`resmon`) and step_generator.go build it, with no provider
 * plugins: every resource "succeeds" with its inputs as outputs (what Pulumi's mocks do too). It mints URNs
 * as urn.New does, gives new providers the unknown id at preview and an id at update (deploy/providers/
 * registry.go), and refuses a custom resource without a provider when its package's default provider is
 * disabled, with the engine's message. Anything it does not implement is answered UNIMPLEMENTED and
 * recorded in `unsupported`, so a program that needs it fails visibly.
 */
export class ResourceMonitorServer extends LoopbackServer {
  readonly resources: RegisteredResource[] = [];
  readonly byUrn = new Map<string, RegisteredResource>();
  readonly features: string[] = [];
  readonly invokes: string[] = [];
  readonly unsupported: string[] = [];
  readonly errors: string[] = [];

  constructor(readonly options: MonitorOptions) {
    super();
  }

  async start(): Promise<string> {
    const unimplemented = (name: string) => (_call: unknown, cb: grpcTypes.sendUnaryData<never>) => {
      this.unsupported.push(name);
      cb({ code: grpc.status.UNIMPLEMENTED, details: `the conformance engine does not implement ResourceMonitor.${name}` } as grpcTypes.ServiceError, null);
    };
    const impl: resourceGrpc.IResourceMonitorServer = {
      // pkg/resource/deploy/source_eval.go supportsFeatureID: the features the 3.248 engine answers true.
      supportsFeature: (call, cb) => {
        const id = call.request.getId();
        this.features.push(id);
        const res = new resourcePb.SupportsFeatureResponse();
        res.setHassupport(ENGINE_FEATURES.includes(id));
        cb(null, res);
      },
      registerResource: (call, cb) => {
        try {
          cb(null, this.register(call.request));
        } catch (e) {
          this.errors.push((e as Error).message);
          cb({ code: grpc.status.INVALID_ARGUMENT, details: (e as Error).message } as grpcTypes.ServiceError, null);
        }
      },
      registerResourceOutputs: (call, cb) => {
        const r = this.byUrn.get(call.request.getUrn());
        if (r) r.outputs = engineValue(call.request.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
        cb(null, new emptyPb.Empty());
      },
      invoke: (call, cb) => {
        const tok = call.request.getTok();
        this.invokes.push(tok);
        cb({ code: grpc.status.UNIMPLEMENTED, details: `the conformance engine has no provider plugin to answer invoke ${tok}` } as grpcTypes.ServiceError, null);
      },
      signalAndWaitForShutdown: (_call, cb) => cb(null, new emptyPb.Empty()),
      getDeploymentInfo: unimplemented('GetDeploymentInfo'),
      call: unimplemented('Call'),
      readResource: unimplemented('ReadResource'),
      registerStackTransform: unimplemented('RegisterStackTransform'),
      registerStackInvokeTransform: unimplemented('RegisterStackInvokeTransform'),
      registerResourceHook: unimplemented('RegisterResourceHook'),
      registerErrorHook: unimplemented('RegisterErrorHook'),
      registerPackage: unimplemented('RegisterPackage'),
    };
    return this.listen((server) => server.addService(resourceGrpc.ResourceMonitorService, impl));
  }

  private urnOf(type: string, name: string, parent: string): string {
    return newUrn(this.options.stack, this.options.project, parent ? parseUrn(parent)?.qualifiedType : undefined, type, name);
  }

  private register(req: resourcePb.RegisterResourceRequest): resourcePb.RegisterResourceResponse {
    const type = req.getType();
    const name = req.getName();
    const parent = req.getParent();
    const custom = req.getCustom();
    const urn = this.urnOf(type, name, parent);
    if (this.byUrn.has(urn)) throw new Error(`Duplicate resource URN '${urn}'; try giving it a unique name`);
    const isProvider = type.startsWith('pulumi:providers:');
    let provider = req.getProvider();
    if (custom && !isProvider && provider === '' && !req.getRemote()) provider = this.defaultProvider(type, urn, req.getVersion());

    const raw = (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
    const inputs = engineValue(raw) as Record<string, unknown>;
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps, key) => {
      propertyDependencies[key] = deps.getUrnsList();
    });
    const id = !custom ? '' : isProvider ? (this.options.dryRun ? UNKNOWN : randomUUID()) : this.options.dryRun ? '' : `${name}-id`;
    const rec: RegisteredResource = {
      urn,
      type,
      name,
      custom,
      parent,
      provider,
      id,
      inputs,
      dependencies: req.getDependenciesList(),
      propertyDependencies,
      protect: req.getProtect() ?? false,
      ignoreChanges: req.getIgnorechangesList(),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      deleteBeforeReplace: req.getDeletebeforereplacedefined() ? req.getDeletebeforereplace() : undefined,
      version: req.getVersion(),
    };
    this.resources.push(rec);
    this.byUrn.set(urn, rec);

    const res = new resourcePb.RegisterResourceResponse();
    res.setUrn(urn);
    res.setId(id);
    // Outputs: the inputs as the program sent them (secrets and unknowns kept), as a mock provider returns.
    res.setObject(structOf(raw));
    return res;
  }

  /**
   * The default provider the engine would use for a custom resource registered without one
   * (source_eval.go defaultProviders; name from deploy/providers/provider.go DefaultName). When stack config
   * disables it, registration fails as step.go reports it.
   */
  private defaultProvider(type: string, urn: string, version: string): string {
    const pkg = type.split(':')[0];
    const v = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
    const providerName = v ? `default_${v[1]}_${v[2]}_${v[3]}` : 'default';
    const disabled = this.options.disabledDefaultProviders;
    if (disabled.includes(pkg) || disabled.includes('*')) {
      throw new Error(`Default provider for '${providerName}' disabled. '${urn}' must use an explicit provider.`);
    }
    const providerUrn = newUrn(this.options.stack, this.options.project, undefined, `pulumi:providers:${pkg}`, providerName);
    if (!this.byUrn.has(providerUrn)) {
      const rec: RegisteredResource = {
        urn: providerUrn,
        type: `pulumi:providers:${pkg}`,
        name: providerName,
        custom: true,
        parent: '',
        provider: '',
        id: this.options.dryRun ? UNKNOWN : randomUUID(),
        inputs: version ? { version } : {},
        dependencies: [],
        propertyDependencies: {},
        protect: false,
        ignoreChanges: [],
        additionalSecretOutputs: [],
        version,
      };
      this.resources.push(rec);
      this.byUrn.set(providerUrn, rec);
    }
    return `${providerUrn}::${this.byUrn.get(providerUrn)?.id ?? UNKNOWN}`;
  }
}

/** pkg/resource/deploy/source_eval.go supportsFeatureID at v3.248.0 (default options). */
export const ENGINE_FEATURES: readonly string[] = [
  'secrets',
  'resourceReferences',
  'outputValues',
  'aliasSpecs',
  'replacementTrigger',
  'deletedWith',
  'replaceWith',
  'transforms',
  'invokeTransforms',
  'parameterization',
  'resourceHooks',
  'errorHooks',
  'sendsOptionsToHooks',
];
