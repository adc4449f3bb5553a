import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers';
import { type LiveRead, isTestSource, liveReads, rootNamesFor, rootNamesIn } from './live-workspace-guard';

/**
 * No test depends on which accounts the checkout's registry holds: a team's `npm run account:add` or
 * `npm run org:init` must leave `npm test` green. So no test source reads the root accounts.json or lists
 * or reads projects/ (see live-workspace-guard.ts for what the scan looks for and what to use instead).
 */

/**
 * The test files that read the live workspace on purpose, because the checkout's own accounts are what they
 * check. Each passes on any valid organization and names no account; a reason says why it must read the
 * live one. Keep this list short: an entry that no longer reads the live workspace fails the test below.
 */
const ALLOWED = new Map<string, string>([
  // The checkout's own registry loads, sorted, ids as strings, and is found by walking up from a project
  // folder: the one check of the live file itself. It names no account.
  ['packages/registry/test/registry.test.ts', 'checks that the live registry itself loads'],
  // The shipped workflows must name none of the organization's accounts: the live registry is the list to check against.
  ['packages/ci/test/workflows.test.ts', 'checks that the workflows name none of the live accounts'],
  // Compares projects/dev with the generator's output only while the live registry renders dev exactly as
  // the frozen sample does (the checkout still ships the sample project); skipped otherwise.
  ['packages/workspace-plugin/test/template-matches-dev.spec.ts', 'checks the shipped sample project while the checkout holds it'],
  // `npm start` on the repository: every program of the checkout runs and the committed trust graph is current,
  // whatever the organization (the sample's own values are checked on copies in the same file).
  ['packages/offline-preview/test/cli.e2e.test.ts', 'runs npm start on the checkout and checks its trust graph'],
  // The conformance suite copies the checkout's code WITHOUT projects/ (the exclusion names the folder) and renders
  // the sample's projects from the frozen fixture, so it reads no account of the checkout.
  ['packages/engine-conformance/test/conformance-workspace.ts', 'names projects/ only to leave it out of its copy'],
  // The e2e copies take the sample's project folders only and leave the checkout's other projects out, so a
  // copy costs the same at any number of accounts; the sample's registry replaces the live one.
  ['packages/workspace-plugin/test/workspace-copy.ts', 'names projects/ only to leave the non-sample projects out of its copy'],
]);

/** This guard's own files: they hold planted offenders as text, to show the scan fails on them. */
const SELF = new Set(['packages/ci/test/live-workspace.test.ts', 'packages/ci/test/live-workspace-guard.ts']);

const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f !== '' && fs.existsSync(path.join(ROOT, f)));
const tests = files.filter((f) => isTestSource(f) && !SELF.has(f));
const text = new Map(tests.map((f) => [f, fs.readFileSync(path.join(ROOT, f), 'utf8')]));
/** Root names exported by any test source or by @trustline/bench (its REPO), and Nx's `workspaceRoot`. */
const shared = new Set([
  'workspaceRoot',
  ...[...tests, ...files.filter((f) => f.startsWith('packages/bench/src/'))].flatMap((f) => rootNamesIn(ROOT, f, text.get(f) ?? fs.readFileSync(path.join(ROOT, f), 'utf8')).exported),
]);
const scan = (file: string, source: string): LiveRead[] => liveReads(ROOT, file, source, rootNamesFor(ROOT, file, source, shared));
const reads = tests.flatMap((f) => scan(f, text.get(f) as string));
const show = (found: LiveRead[]) => found.map((r) => `${r.file}:${r.line}: ${r.reason}`);

describe('tests and the live workspace', () => {
  it('scans the test sources of every package, access and policies, and knows the root names', () => {
    expect(tests).toContain('packages/workspace-plugin/test/pulumi-script.spec.ts');
    expect(tests).toContain('access/index.test.ts');
    expect(tests.filter((f) => f.startsWith('projects/'))).toEqual([]);
    expect([...shared].sort()).toEqual(expect.arrayContaining(['REPO', 'ROOT', 'WORKSPACE_ROOT', 'workspaceRoot']));
  });

  it('no test reads the root accounts.json or lists or reads projects/, outside the allow-list', () => {
    const offending = reads.filter((r) => !ALLOWED.has(r.file));
    expect(
      show(offending),
      'Build the workspace from the frozen sample instead: useSampleOrganization on a temporary copy, or @trustline/registry\'s SAMPLE_REGISTRY_FILE.',
    ).toEqual([]);
  });

  it('every allow-listed file still reads the live workspace (a stale entry is removed)', () => {
    const reading = new Set(reads.map((r) => r.file));
    expect([...ALLOWED.keys()].filter((f) => !reading.has(f))).toEqual([]);
  });
});

describe('the scan finds a planted offender', () => {
  const planted = 'packages/planted/test/planted.test.ts';
  const cases: Array<[string, string, string[]]> = [
    ['the registry through an imported root', "const r = loadRegistry(path.join(ROOT, 'accounts.json'));", ['reads the root accounts.json']],
    ['the registry through REGISTRY_FILE', 'const r = fs.readFileSync(path.join(WORKSPACE_ROOT, REGISTRY_FILE));', ['reads the root accounts.json']],
    ['the registry relative to __dirname', "const LIVE = path.resolve(__dirname, '../../../accounts.json');", ['names accounts.json of the checkout (path relative to __dirname)']],
    ['the projects through a local root', "const ws = path.resolve(__dirname, '../../..');\nconst keys = fs.readdirSync(path.join(ws, 'projects'));", ['lists or reads the root projects/']],
    ['one project through Nx\'s workspaceRoot', "run(path.join(workspaceRoot, 'projects/dev'));", ['lists or reads the root projects/']],
    ['a project relative to __dirname', "const DEV = path.join(__dirname, '../../../projects/dev');", ['names projects/dev of the checkout (path relative to __dirname)']],
    ['the registry found by walking up', 'const r = loadRegistry();', ['loads the registry found by walking up from the working folder (the root accounts.json)']],
    [
      'the policy pack of the checkout, started there',
      "const workspace = path.resolve(__dirname, '../../..');\nconst pack = await PackProcess.start(path.join(workspace, 'policies', 'trust-guard'), address);",
      ["names the checkout's policy pack, which judges against the root accounts.json found from its folder"],
    ],
    ['a copy that keeps the live registry', 'const copy = workspaceCopy({ sample: false });', ['copies the workspace with its live registry (workspaceCopy({ sample: false }))']],
    [
      'a bench copy without the sample',
      "import { copyWorkspace } from '@trustline/bench';\nconst ws = copyWorkspace();",
      ['copies the workspace (copyWorkspace) without useSampleOrganization, so it keeps the live registry'],
    ],
  ];
  it.each(cases)('%s', (_name, source, reasons) => {
    expect(scan(planted, source).map((r) => r.reason)).toEqual(reasons);
  });

  it('and names the file and line, which the allow-list does not excuse', () => {
    const found = scan(planted, "// a comment naming accounts.json and ROOT is fine\nconst x = 1;\nconst r = loadRegistry(path.join(ROOT, 'accounts.json'));\n");
    expect(show(found)).toEqual([`${planted}:3: reads the root accounts.json`]);
    expect(ALLOWED.has(planted)).toBe(false);
  });

  it('but a real call on a line after a string that holds one is still found', () => {
    const found = scan(planted, "const src = 'loadRegistry()';\nconst r = loadRegistry();\n");
    expect(show(found)).toEqual([`${planted}:2: loads the registry found by walking up from the working folder (the root accounts.json)`]);
  });

  it.each<[string, string]>([
    ['the frozen sample', 'const r = loadRegistry(SAMPLE_REGISTRY_FILE);'],
    ['a copy holding the sample', "import { copyWorkspace } from '@trustline/bench';\nconst ws = copyWorkspace();\nuseSampleOrganization(ws);\nfs.readdirSync(path.join(ws, 'projects'));"],
    ['a file of its own named accounts.json in a temporary folder', "const file = path.join(dir, 'accounts.json');"],
    ['a local ROOT that is not the root', "const ROOT = { Version: '2012-10-17' };\nconst f = path.join(ROOT, 'accounts.json');"],
    ['a URL in a string', "const u = 'https://example.com/projects';"],
    ['a lookup written as test data in a string or template (a planted source file)', "const src = `// it's here\\n${IMPORT}getAccount(loadRegistry(), 'qa');`;\nconst other = \"loadRegistry()\";"],
  ])('but not %s', (_name, source) => {
    expect(scan(planted, source)).toEqual([]);
  });
});
