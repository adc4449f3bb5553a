/**
 * @trustline/engine-conformance: a stand-in for the Pulumi engine built only from what npm ships (the
 * SDK's entry points and its generated gRPC stubs). It starts the trust-guard pack and the programs the
 * way Pulumi 3.248's nodejs language host does and records what crosses the wire. See README.md for the
 * Pulumi source file each step follows.
 */
export * from './analyze';
export * from './engine';
export * from './monitor';
export * from './pack';
export * from './policy-config';
export * from './program';
export * from './properties';
export { SDK_DIR, SDK_VERSION } from './sdk';
export * from './distinct';
export * from './mocked';
