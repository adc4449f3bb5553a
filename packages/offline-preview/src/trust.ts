import { roleArn, type AccountRegistry } from '@trustline/registry';
import { trustEdges } from '@trustline/trust';
import { TRUST_POLICY_FIELD, resolveConfigKept } from '@trustline/trust-guard';
import type { ProviderChain, RoleTrust, TrustEdgeView } from './result';

interface RoleResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly provider?: { readonly urn: string };
}

/**
 * The stack's IAM roles with the edges of their trust policies (via the trust library's `trustEdges`,
 * judged with the same registry-derived configuration as the pack). A role's account is the end of its
 * provider's role chain, else the provider's first allowed account, else unknown (null).
 */
export function roleTrust(resources: readonly RoleResource[], providers: readonly ProviderChain[], registry: AccountRegistry): RoleTrust[] {
  // Kept per registry (trust-guard's resolveConfigKept): every stack asks for it.
  const resolved = resolveConfigKept(undefined, registry, 'offline-preview');
  if (!resolved.ok) throw new Error(`the trust graph needs the trust-guard configuration: ${resolved.error}`);
  const byProvider = new Map(providers.map((p) => [p.urn, p]));
  const out: RoleTrust[] = [];
  for (const r of resources) {
    const field = TRUST_POLICY_FIELD[r.type];
    if (!field) continue;
    const provider = r.provider ? byProvider.get(r.provider.urn) : undefined;
    const roleName = typeof r.inputs.name === 'string' && r.inputs.name !== '' ? r.inputs.name : r.name;
    // trustEdges never throws; a document it cannot read has no edges, and the pack reports it as trust-malformed.
    const edges: TrustEdgeView[] = trustEdges(r.inputs[field], resolved.config).map((e) => ({
        principal: e.principal,
        kind: e.kind,
        accountId: e.accountId ?? null,
        actions: [...e.actions],
        conditions: [...e.conditions],
        broad: e.broad,
        ruleIds: [...e.ruleIds],
      }));
    const accountId = provider?.accountId ?? provider?.allowedAccountIds[0] ?? null;
    const rolePath = typeof r.inputs.path === 'string' && r.inputs.path.startsWith('/') ? r.inputs.path : '/';
    const arn = accountId ? roleArn(accountId, roleName, provider?.region ?? '', rolePath) : null;
    out.push({ urn: r.urn, name: r.name, roleName, accountId, arn, edges });
  }
  return out;
}
