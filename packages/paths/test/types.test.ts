import { describe, expect, it } from 'vitest';
import * as paths from '../src';

describe('@trustline/paths entry point', () => {
  it('exports the engine, the snapshot readers and the path rules', () => {
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(['buildAccessGraph', 'findCycles', 'privilegedRoles', 'roleArns', 'whatCanReach', 'whoCanReach', 'readSnapshot', 'parseOrganization', 'judgePaths', 'selectTargets']));
  });
});
