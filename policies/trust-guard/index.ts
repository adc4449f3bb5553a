// The policy pack entry point Pulumi runs (`pulumi preview --policy-pack policies/trust-guard`).
// Constructing a PolicyPack starts a gRPC server that never exits, so this file does nothing else and
// nothing imports it: tests and the offline preview import the lists from src/policies instead.
import { PolicyPack } from '@pulumi/policy';
import { resourcePolicies, stackPolicies } from './src/policies';

new PolicyPack('trust-guard', {
  policies: [...resourcePolicies, ...stackPolicies],
});
