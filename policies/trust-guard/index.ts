// The policy pack Pulumi runs (`pulumi preview --policy-pack policies/trust-guard`). Pulumi's nodejs
// language host starts `@pulumi/pulumi/cmd/run-policy-pack` with this folder as cwd, and that `require`s
// the folder, i.e. package.json `main` (this file); PulumiPolicy.yaml's `main` is never read
// (sdk/go/common/resource/plugin/analyzer_plugin.go, sdk/nodejs/cmd/run-policy-pack/run.ts at v3.248.0).
// Constructing the PolicyPack starts its gRPC server, so this file does nothing else; tests and the
// offline preview import the policies from @trustline/trust-guard instead.
import { PolicyPack } from '@pulumi/policy';
import { resourcePolicies, stackPolicies } from '@trustline/trust-guard';

new PolicyPack('trust-guard', {
  policies: [...resourcePolicies, ...stackPolicies],
});
