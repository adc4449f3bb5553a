/**
 * The access-path engine: build once from a snapshot, then ask who can reach a role and what a
 * principal can reach.
 *
 * - build.ts: documents parsed once (documents.ts), capability classes (principals of one account whose
 *   sts:AssumeRole statements are equal) in a reverse index by the roles they may assume, edges from what
 *   each trust statement names, each hop judged on both sides: trust (Allow, Deny, NotPrincipal),
 *   identity, boundary, the SCPs of the caller's OU path and the RCPs of the target's (evaluate.ts);
 * - facts.ts: conditions three-valued: keys fixed by the caller's origin or the target are evaluated,
 *   the others become guards;
 * - query.ts: hop-bounded searches over the graph (graphology), cycles (strongly connected components);
 * - privileged.ts: roles that allow `*` or `iam:*`.
 */
export { buildAccessGraph, type AccessGraph, type GraphStats, type BuildProblem } from './build';
export { whoCanReach, whatCanReach, findCycles, roleArns, DEFAULT_MAX_HOPS, MAX_PATHS, type QueryOptions } from './query';
export { privilegedRoles } from './privileged';
