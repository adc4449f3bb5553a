import * as engineGrpc from '@pulumi/pulumi/proto/engine_grpc_pb';
import * as enginePb from '@pulumi/pulumi/proto/engine_pb';
import { emptyPb, LoopbackServer } from './sdk';

/** One `Engine.Log` call: what `pulumi.log.*` (and the policy SDK's logging) sends the engine. */
export interface LogEntry {
  readonly severity: 'debug' | 'info' | 'warning' | 'error';
  readonly message: string;
  readonly urn: string;
}

const SEVERITY: Record<number, LogEntry['severity']> = {
  [enginePb.LogSeverity.DEBUG]: 'debug',
  [enginePb.LogSeverity.INFO]: 'info',
  [enginePb.LogSeverity.WARNING]: 'warning',
  [enginePb.LogSeverity.ERROR]: 'error',
};

/**
 * The engine's own gRPC service (`pulumirpc.Engine`, proto/engine.proto; served by pkg/resource/deploy/
 * plugin host `hostServer` in the CLI): programs and packs send their log lines here and the SDK stores
 * the root (stack) resource URN here. Everything it receives is recorded for assertions.
 */
export class EngineServer extends LoopbackServer {
  readonly logs: LogEntry[] = [];
  rootResource = '';

  async start(): Promise<string> {
    const impl: engineGrpc.IEngineServer = {
      log: (call, cb) => {
        const r = call.request;
        this.logs.push({ severity: SEVERITY[r.getSeverity()] ?? 'info', message: r.getMessage(), urn: r.getUrn() });
        cb(null, new emptyPb.Empty());
      },
      getRootResource: (_call, cb) => {
        const res = new enginePb.GetRootResourceResponse();
        res.setUrn(this.rootResource);
        cb(null, res);
      },
      setRootResource: (call, cb) => {
        this.rootResource = call.request.getUrn();
        cb(null, new enginePb.SetRootResourceResponse());
      },
      startDebugging: (_call, cb) => cb(null, new emptyPb.Empty()),
      requirePulumiVersion: (_call, cb) => cb(null, new enginePb.RequirePulumiVersionResponse()),
    };
    return this.listen((server) => server.addService(engineGrpc.EngineService, impl));
  }
}
