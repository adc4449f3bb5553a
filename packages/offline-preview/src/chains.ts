import { AWS_PROVIDER_TYPE, accountOfArn, allowedAccountIds, parseGoDuration, providerAssumeRoles } from '@trustline/trust-guard';
import type { EngineResource } from './engine';

/** Type token of an AWS provider resource. */

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
  readonly name: string;
  readonly urn: string;
  readonly region: string | null;
  readonly allowedAccountIds: readonly string[];
  readonly hops: readonly ChainHop[];
  /** Account of the last hop (where resources land), or null when unknown. */
  readonly accountId: string | null;
  /** How many resources this provider manages. */
  readonly resources: number;
  /** Why the chain could not be read (unknown or malformed assumeRoles), if it could not. */
  readonly problem?: string;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function seconds(duration: string | undefined): number | null {
  if (duration === undefined) return null;
  try {
    return parseGoDuration(duration);
  } catch {
    return null;
  }
}

/**
 * The AWS providers of a recorded stack in registration order, each with its role chain. Reads the
 * provider's decoded props (`assumeRoles` list or JSON text).
 */
export function providerChains(resources: readonly (EngineResource & { readonly props?: Readonly<Record<string, unknown>> })[]): ProviderChain[] {
  const used = new Map<string, number>();
  for (const r of resources) if (r.provider) used.set(r.provider.urn, (used.get(r.provider.urn) ?? 0) + 1);
  return resources
    .filter((r) => r.type === AWS_PROVIDER_TYPE)
    .map((p) => {
      const props = p.props ?? p.inputs;
      const read = providerAssumeRoles(props);
      const allowed = allowedAccountIds(props);
      const hops: ChainHop[] =
        read.kind === 'ok'
          ? read.value.map((h) => ({
              roleArn: h.roleArn ?? '',
              accountId: (h.roleArn && accountOfArn(h.roleArn)) || null,
              externalId: h.externalId !== undefined,
              sessionName: h.sessionName ?? null,
              durationSeconds: seconds(h.duration),
            }))
          : [];
      const problem =
        read.kind === 'invalid' ? read.problem : read.kind === 'unknown' ? 'assumeRoles is not known during preview.' : read.kind === 'absent' ? 'the provider assumes no role (it uses the shell credentials).' : undefined;
      return {
        name: p.name,
        urn: p.urn,
        region: str(props.region),
        allowedAccountIds: allowed.kind === 'ok' ? allowed.value : [],
        hops,
        accountId: hops.length > 0 ? hops[hops.length - 1].accountId : null,
        resources: used.get(p.urn) ?? 0,
        ...(problem ? { problem } : {}),
      };
    });
}
