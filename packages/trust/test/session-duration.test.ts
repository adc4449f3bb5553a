// checkMaxSessionDuration: trust-max-session-duration, and values IAM refuses.
import { describe, expect, it } from 'vitest';
import { checkMaxSessionDuration, type Finding } from '../src';
import { CONFIG } from './fixtures';

const keys = (fs: readonly Finding[]) => fs.map((f) => `${f.ruleId} ${f.severity} ${f.key}`);

describe('checkMaxSessionDuration', () => {
  it.each<[number | undefined, number, string[]]>([
    [3600, 3600, []],
    [undefined, 3600, []],
    [43200, 3600, ['trust-max-session-duration advisory trust-max-session-duration[MaxSessionDuration]']],
    [undefined, 900, ['trust-max-session-duration advisory trust-max-session-duration[MaxSessionDuration]']],
    [100, 3600, ['trust-malformed mandatory trust-malformed[MaxSessionDuration]']],
    [1800, 3600, ['trust-malformed mandatory trust-malformed[MaxSessionDuration]']],
    [3600.5, 43200, ['trust-malformed mandatory trust-malformed[MaxSessionDuration]']],
  ])('%s seconds against a maximum of %s', (seconds, max, expected) => {
    expect(keys(checkMaxSessionDuration(seconds, { ...CONFIG, maxSessionDurationSeconds: max }))).toEqual(expected);
  });

  it('names the value, the limit and the fix', () => {
    expect(checkMaxSessionDuration(43200, CONFIG)[0].message).toBe(
      'MaxSessionDuration 43200 seconds exceeds the configured maximum of 3600 seconds; long sessions outlive revoked access. Set maxSessionDuration to 3600 or less.',
    );
    expect(checkMaxSessionDuration(100, CONFIG)[0].message).toBe('MaxSessionDuration 100 is not a whole number of seconds from 3600 to 43200; IAM refuses it.');
  });

  it('is dropped when the rule is disabled', () => {
    expect(checkMaxSessionDuration(43200, { ...CONFIG, rules: { 'trust-max-session-duration': 'disabled' } })).toEqual([]);
  });
});
