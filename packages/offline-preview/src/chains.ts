import { principalAccount } from '@trustline/trust';
import { AWS_PROVIDER_TYPE, allowedAccountIds, hopDurationSeconds, providerAssumeRoles, providerRegion, valueOrNull } from '@trustline/trust-guard';
import type { EngineResource } from './engine';
import type { ChainHop, ProviderChain } from './result';

/**
 * The AWS providers of a recorded stack in registration order, each with its role chain. Reads the
 * provider's decoded props (`assumeRoles` list or JSON text) with trust-guard's provider readers, the
 * same ones the pack's policies judge.
 */
export function providerChains(resources: readonly (EngineResource & { readonly props?: Readonly<Record<string, unknown>> })[]): ProviderChain[] {
  const used = new Map<string, number>();
  for (const r of resources) if (r.provider) used.set(r.provider.urn, (used.get(r.provider.urn) ?? 0) + 1);
  return resources
    .filter((r) => r.type === AWS_PROVIDER_TYPE)
    .map((p) => {
      const props = p.props ?? p.inputs;
      const read = providerAssumeRoles(props);
      const hops: ChainHop[] =
        read.kind === 'ok'
          ? read.value.map((h) => ({
              roleArn: h.roleArn ?? '',
              accountId: (h.roleArn && principalAccount(h.roleArn)) || null,
              externalId: h.externalId !== undefined,
              sessionName: h.sessionName ?? null,
              durationSeconds: valueOrNull(hopDurationSeconds(h)),
            }))
          : [];
      const problem =
        read.kind === 'invalid' ? read.problem : read.kind === 'unknown' ? 'assumeRoles is not known during preview.' : read.kind === 'absent' ? 'the provider assumes no role (it uses the shell credentials).' : undefined;
      return {
        name: p.name,
        urn: p.urn,
        region: valueOrNull(providerRegion(props)),
        allowedAccountIds: valueOrNull(allowedAccountIds(props)) ?? [],
        hops,
        accountId: hops.length > 0 ? hops[hops.length - 1].accountId : null,
        resources: used.get(p.urn) ?? 0,
        ...(problem ? { problem } : {}),
      };
    });
}
