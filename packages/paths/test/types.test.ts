import { describe, expect, it } from 'vitest';
import * as paths from '../src';

describe('@trustline/paths entry point', () => {
  it('exports no runtime values beyond the engine (types only until the engine lands)', () => {
    expect(Object.keys(paths)).toEqual([]);
  });
});
