/**
 * @trustline/components: the only entry point. Trust-policy builder (pure), the CrossAccountRole and
 * AccountBaseline components, the assume-role provider factory, and the mock harness for programs.
 */
export * from './errors';
export * from './trust-policy/types';
export * from './trust-policy/build-trust-policy';
export * from './trust-policy/deploy-role-trust';
export * from './cross-account-role/cross-account-role';
export * from './account-provider/account-provider';
export * from './account-baseline/account-baseline';
export * from './testing/record-program';
