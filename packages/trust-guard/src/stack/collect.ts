import type { PolicyProviderResource, PolicyResource } from '@pulumi/policy';
import { AWS_PROVIDER_TYPE } from './providers';

/**
 * Every AWS provider of a stack, once each: the provider resources themselves and the providers that
 * resources reference (default providers appear only as references).
 */
export function awsProviders(resources: readonly PolicyResource[]): PolicyProviderResource[] {
  const byUrn = new Map<string, PolicyProviderResource>();
  for (const r of resources) {
    if (r.type === AWS_PROVIDER_TYPE && !byUrn.has(r.urn)) byUrn.set(r.urn, { type: r.type, urn: r.urn, name: r.name, props: r.props });
  }
  for (const r of resources) {
    const p = r.provider;
    if (p && p.type === AWS_PROVIDER_TYPE && !byUrn.has(p.urn)) byUrn.set(p.urn, p);
  }
  return [...byUrn.values()];
}
