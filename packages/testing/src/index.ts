/**
 * @trustline/testing: test support for account projects. `describeAccountProject` registers the checks
 * every `projects/<key>/index.test.ts` runs; the checks themselves are pure functions returning problem
 * sentences, exported so they can be tested (and reused) on their own. The frozen sample registry that
 * workspace tests assert account lists against is `SAMPLE_REGISTRY_FILE` in `@trustline/registry`.
 */
export * from './account-project-checks';
export * from './describe-account-project';
