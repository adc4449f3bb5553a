import { describe, expect, it } from 'vitest';
import { CHAINED_SESSION_MAX_SECONDS, hopSessionName, providerHopDuration } from '../src';

describe('providerHopDuration', () => {
  it.each([
    [CHAINED_SESSION_MAX_SECONDS, '3600s'],
    [900, '900s'],
    [43200, '43200s'],
  ])('writes %d seconds as %j', (seconds, text) => {
    expect(providerHopDuration(seconds)).toBe(text);
  });

  it.each([[0], [-60], [1.5], [Number.NaN]])('refuses %d seconds', (seconds) => {
    expect(() => providerHopDuration(seconds)).toThrow(`A role hop's duration must be a whole, positive number of seconds; got ${JSON.stringify(seconds)}.`);
  });
});

describe('hopSessionName', () => {
  it.each([
    ['hub', 'dev', 'trustline-hub-dev'],
    ['deploy', 'prod', 'trustline-deploy-prod'],
    ['bootstrap', 'shared-services', 'trustline-bootstrap-shared-services'],
    ['deploy', 'a key/with spaces', 'trustline-deploy-a-key-with-spaces'],
    ['hub', 'k'.repeat(80), `trustline-hub-${'k'.repeat(50)}`],
  ] as const)('%s hop of %j is %j', (hop, key, name) => {
    expect(hopSessionName(hop, key)).toBe(name);
  });
});
