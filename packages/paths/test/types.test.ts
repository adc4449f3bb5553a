import { describe, expect, it } from 'vitest';
import * as paths from '../src';

describe('@trustline/paths entry point', () => {
  it('exports the snapshot readers', () => {
    expect(Object.keys(paths)).toContain('readSnapshot');
  });
});
