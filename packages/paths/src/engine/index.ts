/** The access-path engine: build once from a snapshot, then ask who can reach a role and what a principal can reach. */
export { buildAccessGraph, type AccessGraph, type GraphStats, type BuildProblem } from './build';
export { whoCanReach, whatCanReach, findCycles, roleArns, DEFAULT_MAX_HOPS, MAX_PATHS, type QueryOptions } from './query';
export { privilegedRoles } from './privileged';
