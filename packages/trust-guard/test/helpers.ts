import { SAMPLE_REGISTRY_FILE } from '@trustline/registry';

/** The workspace's frozen sample registry, so tests do not change when the repository's accounts.json does. */
export const TEST_REGISTRY = SAMPLE_REGISTRY_FILE;

/** Points registry lookups (the policies) at the test registry. */
export function useTestRegistry(): void {
  process.env.TRUSTLINE_REGISTRY = TEST_REGISTRY;
}

export { ENGINE_UNKNOWN as UNKNOWN } from '../src/unknown';
