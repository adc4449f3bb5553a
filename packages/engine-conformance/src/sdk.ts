import { createRequire } from 'node:module';
import * as path from 'node:path';
import type * as GrpcJs from '@grpc/grpc-js';
import type * as StructPb from 'google-protobuf/google/protobuf/struct_pb';
import type * as EmptyPb from 'google-protobuf/google/protobuf/empty_pb';

/**
 * The modules the Pulumi SDK's generated stubs are built on, loaded from where @pulumi/pulumi itself
 * resolves them, so servers and messages here are exactly the ones the stubs (and the SDK) use. Nothing
 * else of the SDK is reached except its public entry points and `@pulumi/pulumi/proto/*`.
 */
const sdkRequire = createRequire(require.resolve('@pulumi/pulumi/package.json'));

export const grpc: typeof GrpcJs = sdkRequire('@grpc/grpc-js');
export const structPb: typeof StructPb = sdkRequire('google-protobuf/google/protobuf/struct_pb');
export const emptyPb: typeof EmptyPb = sdkRequire('google-protobuf/google/protobuf/empty_pb');

/** Folder of the installed @pulumi/pulumi (its `cmd/run` and `cmd/run-policy-pack` entry points live here). */
export const SDK_DIR = path.dirname(require.resolve('@pulumi/pulumi/package.json'));
/** The SDK version, which is also the protocol version these checks follow (tag v<version> of pulumi/pulumi). */
export const SDK_VERSION: string = sdkRequire('./package.json').version;

/** Start a gRPC server on a free loopback port (as the engine's rpcutil.ServeWithOptions does) and return its address. */
export async function serve(register: (server: GrpcJs.Server) => void): Promise<{ address: string; close: () => Promise<void> }> {
  const server = new grpc.Server({ 'grpc.max_receive_message_length': 400 * 1024 * 1024 });
  register(server);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    address: `127.0.0.1:${port}`,
    // The engine tears its servers down when the plugin or program is done; nothing is left to answer.
    close: async () => server.forceShutdown(),
  };
}

/** A gRPC service the engine serves on loopback ({@link serve}): `address` once started; `stop` shuts it down. */
export abstract class LoopbackServer {
  address = '';
  private closeFn: (() => Promise<void>) | undefined;

  /** Serves what `register` adds on a free loopback port and returns its address. */
  protected async listen(register: (server: GrpcJs.Server) => void): Promise<string> {
    const { address, close } = await serve(register);
    this.address = address;
    this.closeFn = close;
    return address;
  }

  async stop(): Promise<void> {
    await this.closeFn?.();
  }
}

/** Promisify one unary call of a generated client. */
export function unary<Req, Res>(
  client: object,
  method: string,
  request: Req,
): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    const fn = (client as Record<string, (req: Req, cb: (err: Error | null, res: Res) => void) => void>)[method];
    fn.call(client, request, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

/** A plain JavaScript object as a protobuf Struct (the Struct class the stubs use). */
export function structOf(value: Readonly<Record<string, unknown>>): StructPb.Struct {
  return structPb.Struct.fromJavaScript(value as Record<string, StructPb.JavaScriptValue>);
}
