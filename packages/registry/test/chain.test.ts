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
  const cases: { hop: 'hub' | 'deploy' | 'bootstrap'; key: string; name: string }[] = [
    { hop: 'hub', key: 'dev', name: 'trustline-hub-dev' },
    { hop: 'deploy', key: 'prod', name: 'trustline-deploy-prod' },
    { hop: 'bootstrap', key: 'shared-services', name: 'trustline-bootstrap-shared-services' },
    // Characters STS refuses become "-", and the name is cut to STS's 64 characters.
    { hop: 'deploy', key: 'a key/with spaces', name: 'trustline-deploy-a-key-with-spaces' },
    { hop: 'hub', key: 'k'.repeat(80), name: `trustline-hub-${'k'.repeat(50)}` },
  ];
  it.each(cases)('the $hop hop of account $key', ({ hop, key, name }) => {
    expect(hopSessionName(hop, key)).toBe(name);
  });
});
