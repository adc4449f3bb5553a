import { describe, expect, it } from 'vitest';
import { CHAINED_SESSION_MAX_SECONDS, providerHopDuration } from '../src';

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
