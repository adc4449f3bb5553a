// Flat ESLint config. Module boundaries (the arrows accounts -> components -> trust library;
// policies -> trust library) are enforced here with no-restricted-imports per folder, because
// @nx/eslint-plugin has no release on the Nx 23.3 line this workspace pins.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noPulumiOrAws = [
  { group: ['@pulumi/*'], message: 'This package is pure: no Pulumi runtime here (see STYLE: one pure trust library).' },
  { group: ['@aws-sdk/*'], message: 'This package is pure: no AWS SDK here.' },
];
// Pulumi's packages only through their exported entry points (issue 9): @pulumi/pulumi, its generated gRPC
// stubs under @pulumi/pulumi/proto, @pulumi/policy, @pulumi/aws. Other modules are internals that change
// without notice. Every restrict() list carries it, because a later no-restricted-imports replaces an earlier one.
const noPulumiInternals = {
  group: ['@pulumi/pulumi/*', '!@pulumi/pulumi/proto', '!@pulumi/pulumi/proto/*', '@pulumi/policy/*', '@pulumi/aws/*'],
  message: 'Import Pulumi only through its exported entry points (@pulumi/pulumi, @pulumi/pulumi/proto/*, @pulumi/policy, @pulumi/aws); other modules are internals.',
};
const restrict = (patterns, paths = []) => ({
  'no-restricted-imports': ['error', { patterns: [...patterns, noPulumiInternals], paths }],
});
// @trustline/testing is test support for account projects (vitest inside): only their tests import it.
const noTesting = { group: ['@trustline/testing'], message: '@trustline/testing is test support: only account project and access tests (projects/**/*.test.ts, access/**/*.test.ts) import it.' };
// Account programs and access: components + registry; never each other, never policies.
const accountImports = [
  { group: ['@trustline/trust-guard', '@trustline/trust-guard-cli', '@trustline/trust-guard-pack', '@trustline/account-*', '@trustline/access', '@trustline/offline-preview', '@trustline/workspace-plugin'], message: 'Account projects are thin: they use @trustline/components and @trustline/registry only.' },
  { group: ['../*'], message: 'Account projects never reach into sibling folders; shared logic lives in @trustline/components.' },
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.nx/**', '**/files/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.ts', '**/*.js', '**/*.cjs', '**/*.mjs'],
    rules: restrict([]),
  },
  {
    // Tests mutate parsed JSON fixtures freely.
    files: ['**/*.test.ts', '**/*.spec.ts', '**/test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  // Every library's sources: no test support (the per-package blocks below repeat it in their own lists,
  // because a later no-restricted-imports replaces an earlier one).
  {
    files: ['packages/*/src/**/*.ts'],
    ignores: ['packages/testing/**'],
    rules: restrict([noTesting]),
  },
  // the JSON reader: the bottom layer with the trust library; pure, depends on nothing, does no I/O.
  {
    files: ['packages/json/src/**/*.ts'],
    rules: restrict([
      ...noPulumiOrAws,
      { group: ['@trustline/*'], message: 'The JSON reader is the bottom layer: it imports nothing of ours.' },
      { group: ['node:*', 'fs', 'child_process', 'net', 'http', 'https', 'path', 'os'], message: 'The JSON reader does no I/O: callers read the bytes and pass them in.' },
    ]),
  },
  // config contracts: the bottom layer with the JSON reader; pure, depends on nothing of ours, does no I/O.
  {
    files: ['packages/contract/src/**/*.ts'],
    rules: restrict([
      ...noPulumiOrAws,
      { group: ['@trustline/*'], message: 'The contract helper is the bottom layer: it imports nothing of ours.' },
      { group: ['node:*', 'fs', 'child_process', 'net', 'http', 'https', 'path', 'os'], message: 'Contracts do no I/O: callers read the document and pass it in.' },
    ]),
  },
  // trust library: pure; depends on nothing of ours but the contract helper its config is written with.
  {
    files: ['packages/trust/src/**/*.ts'],
    rules: restrict([
      ...noPulumiOrAws,
      { group: ['@trustline/*', '!@trustline/contract'], message: 'The trust library sits on the bottom layer: it imports nothing of ours but @trustline/contract.' },
      { group: ['node:fs', 'fs', 'node:child_process', 'child_process', 'node:net', 'net', 'node:http', 'http', 'node:https', 'https'], message: 'The trust library does no I/O.' },
    ]),
  },
  // access-path engine: pure; reads the trust library, the JSON reader and the contract helper only; no I/O.
  {
    files: ['packages/paths/src/**/*.ts'],
    rules: restrict([
      ...noPulumiOrAws,
      { group: ['@trustline/*', '!@trustline/trust', '!@trustline/json', '!@trustline/contract'], message: 'The path engine is pure: it imports the trust library, the JSON reader and the contract helper only.' },
      { group: ['node:fs', 'fs', 'node:child_process', 'child_process', 'node:net', 'net', 'node:http', 'http', 'node:https', 'https'], message: 'The path engine does no I/O: callers read the snapshot and pass it in.' },
      noTesting,
    ]),
  },
  // registry: pure data + validation; may read its file, may not reach Pulumi/AWS or upper layers.
  {
    files: ['packages/registry/src/**/*.ts'],
    rules: restrict([
      ...noPulumiOrAws,
      { group: ['@trustline/components', '@trustline/trust-guard', '@trustline/trust-guard-cli', '@trustline/trust-guard-pack', '@trustline/account-*', '@trustline/access', '@trustline/offline-preview', '@trustline/workspace-plugin'], message: 'The registry sits below components and policies.' },
      noTesting,
    ]),
  },
  // components: may use trust + registry, never policies, projects or tooling.
  {
    files: ['packages/components/src/**/*.ts'],
    rules: restrict([
      { group: ['@trustline/trust-guard', '@trustline/trust-guard-cli', '@trustline/trust-guard-pack', '@trustline/account-*', '@trustline/access', '@trustline/offline-preview', '@trustline/workspace-plugin'], message: 'Components sit below projects and beside policies: arrows point down only.' },
      noTesting,
    ]),
  },
  // policies (the pack and its library): trust + registry only.
  {
    files: ['policies/**/*.ts'],
    rules: restrict([
      { group: ['@trustline/components', '@trustline/account-*', '@trustline/access', '@trustline/offline-preview', '@trustline/workspace-plugin'], message: 'Policies depend on the trust library and registry only, never on what they judge.' },
    ]),
  },
  // the library of policies never reaches the CLI or live tools (AWS SDK).
  {
    files: ['packages/trust-guard/src/**/*.ts'],
    rules: restrict([
      { group: ['@trustline/components', '@trustline/trust-guard-cli', '@trustline/account-*', '@trustline/access', '@trustline/offline-preview', '@trustline/workspace-plugin'], message: 'Policies depend on the trust library and registry only, never on what they judge or on the CLI.' },
      ...noPulumiOrAws.filter((p) => p.group[0] === '@aws-sdk/*'),
      noTesting,
    ]),
  },
  // account projects and access: components + registry; never each other, never policies.
  {
    files: ['projects/**/*.ts', 'access/**/*.ts'],
    rules: restrict([...accountImports, noTesting]),
  },
  // @cloud-copilot/iam-simulate is AGPL-3.0: a root devDependency that only tests may import (the access-path
  // oracle, packages/paths/test/oracle). A separate rule id, so the per-folder no-restricted-imports lists above
  // cannot replace it.
  {
    files: ['**/*.ts', '**/*.js', '**/*.cjs', '**/*.mjs'],
    ignores: ['**/*.test.ts', '**/*.spec.ts', '**/test/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@cloud-copilot/iam-simulate', '@cloud-copilot/iam-simulate/*'], message: '@cloud-copilot/iam-simulate is AGPL-3.0: only test files (*.test.ts, test/**) may import it, never a shipped package (src/) or a script.' }] },
      ],
    },
  },
  // account project (and access) tests may also use the shared test support.
  {
    files: ['projects/**/*.test.ts', 'access/**/*.test.ts'],
    rules: restrict(accountImports),
  },
);
