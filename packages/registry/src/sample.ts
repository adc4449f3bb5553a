import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseRegistry } from './load';
import type { AccountRegistry } from './types';

/**
 * A frozen copy of the sample registry (identity 012345678901 with hub role trustline-hub, org
 * o-exampleorg01, accounts dev 111111111111, prod 333333333333 with an ExternalId, test 222222222222,
 * external vendor 999999999999). Tests that assert account lists read this file, never the live
 * `accounts.json`, which changes every time a team onboards an account.
 * It lives here, in the package that defines the format, so every package's tests can use it without a
 * test-only dependency edge in the project graph. No source names the sample's keys or ids: a real
 * organization replaces them (`npm run org:init`), and only tests read this fixture.
 */
export const SAMPLE_REGISTRY_FILE = path.join(__dirname, '..', 'fixtures', 'sample-accounts.json');

/** The fixture's text, byte for byte (for tests that write it into a temporary workspace). */
export function sampleRegistryText(): string {
  return fs.readFileSync(SAMPLE_REGISTRY_FILE, 'utf8');
}

/** A fresh, mutable parse of the fixture's JSON, for tests that break one field and validate again. */
export function sampleRegistryJson(): Record<string, unknown> {
  return JSON.parse(sampleRegistryText()) as Record<string, unknown>;
}

/** The fixture, validated: what `loadRegistry` returns for it. */
export function loadSampleRegistry(): AccountRegistry {
  return parseRegistry(sampleRegistryText(), SAMPLE_REGISTRY_FILE);
}
