import { describe, expect, it } from 'vitest';
import * as paths from '../src';

describe('@trustline/paths entry point', () => {
  it('exports the engine and no other runtime value', () => {
    expect(Object.keys(paths).sort()).toEqual(['DEFAULT_MAX_HOPS', 'MAX_PATHS', 'buildAccessGraph', 'findCycles', 'privilegedRoles', 'roleArns', 'whatCanReach', 'whoCanReach']);
  });
});
