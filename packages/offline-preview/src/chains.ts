import { AWS_PROVIDER_TYPE, accountOfArn, allowedAccountIds, hopDurationSeconds, providerAssumeRoles, providerRegion, valueOrNull } from '@trustline/trust-guard';
import type { EngineResource } from './engine';

/** One `sts:AssumeRole` hop of a provider, as the preview prints it. */
export interface ChainHop {
  readonly roleArn: string;
  /** Account of the role, or null when the ARN is not an IAM role ARN. */
  readonly accountId: string | null;
  /** Whether the hop passes an `sts:ExternalId` (the value itself is never printed). */
  readonly externalId: boolean;
  readonly sessionName: string | null;
  /** Session duration in seconds, or null when the hop does not set one (STS default: one hour). */
  readonly durationSeconds: number | null;
}

/** One AWS provider of a stack: which roles it assumes, into which account. */
export interface ProviderChain {
  /** The provider's logical (Pulumi) name. */
  readonly name: string;
  readonly urn: string;
  /** The provider's `region`, or null when it sets none or it is not known during preview. */
  readonly region: string | null;
  /** The provider's `allowedAccountIds`; empty when it sets none or they cannot be read. */
  readonly allowedAccountIds: readonly string[];
  /** The role chain, first hop first, as trust-guard reads it from `assumeRoles` (or `assumeRole`). */
  readonly hops: readonly ChainHop[];
  /** Account of the last hop (where resources land), or null when unknown. */
  readonly accountId: string | null;
  /** How many resources this provider manages. */
  readonly resources: number;
  /** Why the chain could not be read (unknown or malformed assumeRoles), if it could not. */
  readonly problem?: string;
}

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
              accountId: (h.roleArn && accountOfArn(h.roleArn)) || null,
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
