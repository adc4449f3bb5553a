import type { TrustGuardConfig } from '../src';

/**
 * The sample registry's world: identity 012345678901, dev/test/prod, vendor 999999999999. The tests'
 * fixtures and the analyzer benchmark judge policies against it (no vitest import here, so the benchmark
 * can load it outside the test runner).
 */
export const CONFIG: TrustGuardConfig = {
  trustedAccounts: ['012345678901', '111111111111', '222222222222', '333333333333'],
  organizationId: 'o-exampleorg01',
  externalAccounts: [{ accountId: '999999999999', name: 'example-monitoring-vendor' }],
  rules: {},
  maxSessionDurationSeconds: 3600,
  exemptions: [],
};
