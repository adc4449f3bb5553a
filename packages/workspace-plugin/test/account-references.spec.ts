import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FsTree } from 'nx/src/generators/tree';
import { describe, expect, it } from 'vitest';
import { findAccountReferences, referenceProblem, workspaceFiles } from '../src';
import { diskWorkspace, virtualWorkspace } from './helpers';

const IMPORT = "import { getAccount, hopSessionName, loadRegistry } from '@trustline/registry';\n";

/** `file:line:column text` of each reference to account qa (044444444444) in a sample workspace holding `files`. */
function references(files: Record<string, string>): string[] {
  const tree = virtualWorkspace();
  for (const [file, text] of Object.entries(files)) tree.write(file, text);
  return findAccountReferences(tree, [{ key: 'qa', accountId: '044444444444' }], ['projects/qa']).map((r) => `${r.file}:${r.line}:${r.column} ${r.text}`);
}

describe('findAccountReferences: what counts', () => {
  it.each<[string, Record<string, string>, string[]]>([
    [
      'the issue: a lookup in another project, and Nx targets in a workflow and a script',
      {
        'projects/dev/index.ts': `${IMPORT}export const q = getAccount(loadRegistry(), 'qa');\n`,
        '.github/workflows/deploy-qa.yml': 'on: push\njobs:\n  deploy:\n    steps:\n      - run: npx nx run qa:up\n',
        'scripts/zz.mjs': "import { execSync } from 'node:child_process';\nexecSync('npx nx run qa:up', { stdio: 'inherit' });\n",
      },
      [
        '.github/workflows/deploy-qa.yml:5:25 - run: npx nx run qa:up',
        "projects/dev/index.ts:2:18 getAccount(loadRegistry(), 'qa')",
        "scripts/zz.mjs:2:22 execSync('npx nx run qa:up', { stdio: 'inherit' });",
      ],
    ],
    [
      'an alias, a namespace import, a template without substitutions, and a const holding the callee',
      {
        'access/src/a.ts': "import { getAccount as find } from '@trustline/registry';\nfind(r, 'qa');\n",
        'access/src/b.ts': 'import * as reg from \'@trustline/registry\';\nreg.getAccount(r, `qa`);\n',
        'access/src/c.ts': `${IMPORT}const lookup = getAccount;\nlookup(r, "qa");\n`,
      },
      ["access/src/a.ts:2:1 find(r, 'qa')", 'access/src/b.ts:2:1 reg.getAccount(r, `qa`)', 'access/src/c.ts:3:1 lookup(r, "qa")'],
    ],
    [
      'a re-export under another name, and a key held by a const in another file, also re-exported',
      {
        'packages/components/src/registry.ts': "export { getAccount as accountOf } from '@trustline/registry';\n",
        'packages/components/src/keys.ts': "export const QA = 'qa' as const;\n",
        'packages/components/src/use.ts': "import { accountOf } from './registry';\nimport { QA } from './keys';\nexport const a = accountOf(r, QA);\n",
        // the key re-exported under another name, two imports away from its literal
        'packages/components/src/more-keys.ts': "export { QA as KEY } from './keys';\n",
        'packages/components/src/far.ts': "import * as reg from '@trustline/registry';\nimport { KEY } from './more-keys';\nreg.getAccount(r, KEY);\n",
      },
      ['packages/components/src/far.ts:3:1 reg.getAccount(r, KEY)', 'packages/components/src/use.ts:3:18 accountOf(r, QA)'],
    ],
    [
      "every registry export that takes an account key (hopSessionName's accountKey), in JavaScript too",
      {
        'access/src/session.ts': `${IMPORT}export const s = hopSessionName('deploy', 'qa');\n`,
        'scripts/lookup.mjs': "import { getAccount } from '@trustline/registry';\ngetAccount(r, 'qa');\n",
        'scripts/lookup.cjs': "const { getAccount } = require('@trustline/registry');\nconst reg = require('@trustline/registry');\nreg.getAccount(r, 'qa');\n",
      },
      ["access/src/session.ts:2:18 hopSessionName('deploy', 'qa')", "scripts/lookup.cjs:3:1 reg.getAccount(r, 'qa')", "scripts/lookup.mjs:2:1 getAccount(r, 'qa')"],
    ],
    [
      'Nx commands: run-many project lists, `nx <target> <project>`, a configuration, an argument array',
      {
        'package.json': `${JSON.stringify({ name: 'trustline', private: true, scripts: { 'deploy:qa': 'nx run-many -t up -p dev,qa' } }, null, 2)}\n`,
        'scripts/deploy.sh': '#!/bin/sh\nnpx nx run-many --projects=prod qa --target=preview\nnx destroy qa\nnx run qa:up:production\n',
        'packages/components/src/spawn.ts': "spawnSync('npx', ['nx', 'run-many', '-t', 'up', '-p', 'qa']);\n",
      },
      [
        "package.json:5:44 \"deploy:qa\": \"nx run-many -t up -p dev,qa\"",
        "packages/components/src/spawn.ts:1:56 spawnSync('npx', ['nx', 'run-many', '-t', 'up', '-p', 'qa']);",
        'scripts/deploy.sh:2:33 npx nx run-many --projects=prod qa --target=preview',
        'scripts/deploy.sh:3:12 nx destroy qa',
        'scripts/deploy.sh:4:8 nx run qa:up:production',
      ],
    ],
    [
      "the account's package, folder and (in an account program) id",
      {
        'projects/dev/package.json': `${JSON.stringify({ name: '@trustline/account-dev', nx: { name: 'dev' }, dependencies: { '@trustline/account-qa': '*' } })}\n`,
        '.github/CODEOWNERS': '/projects/qa/ @qa-team\n',
        'access/src/ids.ts': "export const QA_ID = '044444444444';\n",
      },
      [
        '.github/CODEOWNERS:1:2 /projects/qa/ @qa-team',
        "access/src/ids.ts:1:23 export const QA_ID = '044444444444';",
        'projects/dev/package.json:1:71 {"name":"@trustline/account-dev","nx":{"name":"dev"},"dependencies":{"@trustline/account-qa":"*"}}',
      ],
    ],
  ])('%s', (_title, files, expected) => {
    expect(references(files)).toEqual(expected);
  });

  it.each<[string, Record<string, string>]>([
    [
      'a key computed at run time (a parameter, a let, a template with a substitution, a concatenation): it cannot be known before the program runs',
      {
        'access/src/dynamic.ts':
          `${IMPORT}export const byParam = (key: string) => getAccount(r, key);\n` +
          "let k = 'qa';\ngetAccount(r, k);\nconst env = 'q';\ngetAccount(r, `${env}a`);\ngetAccount(r, 'q' + 'a');\n",
      },
    ],
    [
      "the decoy: 'qa' used where no registry lookup is (another getAccount, a method, a string, a YAML key, mkdir -p)",
      {
        'access/src/decoy.ts':
          "function getAccount(_r: unknown, k: string) { return k; }\ngetAccount(r, 'qa');\n" +
          "const other = { getAccount: (_r: unknown, k: string) => k };\nother.getAccount(r, 'qa');\nexport const environment = 'qa';\nconsole.log('qa', 'qa:');\n",
        'access/src/local.ts': "import { getAccount } from './decoy';\ngetAccount(r, 'qa');\n",
        '.github/workflows/matrix.yml': 'env:\n  qa: true\n  stage: qa: up\njobs:\n  x:\n    steps:\n      - run: mkdir -p qa\n',
      },
    ],
    [
      'comments, tests, fixtures, benchmarks, templates, Markdown and the account\'s own folder',
      {
        'access/src/commented.ts': `${IMPORT}// getAccount(loadRegistry(), 'qa'); npx nx run qa:up\n/* projects/qa 044444444444 */\n`,
        '.github/workflows/old.yml': '# - run: npx nx run qa:up\n',
        'access/src/qa.test.ts': `${IMPORT}getAccount(loadRegistry(), 'qa');\n`,
        'access/test/helpers.ts': `${IMPORT}getAccount(loadRegistry(), 'qa');\n`,
        'access/fixtures/ids.ts': "export const QA = '044444444444';\n",
        'packages/components/bench/qa.ts': `${IMPORT}getAccount(loadRegistry(), 'qa');\n`,
        'packages/workspace-plugin/src/generators/account/files/index.ts': `${IMPORT}getAccount(loadRegistry(), 'qa');\n`,
        'README.md': 'Deploy with `npx nx run qa:up` (projects/qa).\n',
        'projects/qa/index.ts': `${IMPORT}getAccount(loadRegistry(), 'qa');\n`,
      },
    ],
    [
      'other keys that start with the same letters, and an id in a library (libraries get accounts from the registry)',
      {
        'access/src/other.ts': `${IMPORT}getAccount(r, 'qa-2');\ngetAccount(r, 'qa2');\n`,
        'scripts/other.sh': 'nx run qa-2:up\nnx run-many -p qa-2\n',
        'packages/components/src/example.ts': "export const EXAMPLE = 'arn:aws:iam::044444444444:role/deploy';\n",
      },
    ],
  ])('not a reference: %s', (_title, files) => {
    expect(references(files)).toEqual([]);
  });

  it('says where each reference is and what it does, in one sentence', () => {
    const tree = virtualWorkspace();
    tree.write('projects/dev/index.ts', `${IMPORT}export const q = getAccount(loadRegistry(), 'qa');\n`);
    tree.write('scripts/zz.mjs', "execSync('npx nx run qa:up');\n");
    expect(findAccountReferences(tree, [{ key: 'qa' }], ['projects/qa']).map(referenceProblem)).toEqual([
      `projects/dev/index.ts:2:18 looks up account "qa" with @trustline/registry's getAccount (getAccount(loadRegistry(), 'qa')); remove that reference first.`,
      `scripts/zz.mjs:1:22 runs qa:up, an Nx target of account "qa" (execSync('npx nx run qa:up');); remove that reference first.`,
    ]);
  });

  it('finds every account of a list at once (org:init removes several)', () => {
    const tree = virtualWorkspace();
    tree.write('access/src/all.ts', `${IMPORT}getAccount(r, 'dev');\ngetAccount(r, 'prod');\ngetAccount(r, 'stays');\n`);
    const found = findAccountReferences(tree, [{ key: 'dev' }, { key: 'test' }, { key: 'prod' }], ['projects/dev', 'projects/test', 'projects/prod']);
    expect(found.map((r) => [r.key, r.line])).toEqual([
      ['dev', 2],
      ['prod', 3],
    ]);
  });
});

describe('workspaceFiles', () => {
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, stdio: 'ignore' });

  it("in a git repository: tracked files and untracked ones git does not ignore, with the tree's pending changes", () => {
    const ws = diskWorkspace();
    fs.writeFileSync(path.join(ws.root, '.gitignore'), 'ignored/\n');
    fs.mkdirSync(path.join(ws.root, 'ignored'));
    fs.writeFileSync(path.join(ws.root, 'ignored/deploy.sh'), 'nx run qa:up\n');
    fs.mkdirSync(path.join(ws.root, 'scripts'));
    fs.writeFileSync(path.join(ws.root, 'scripts/new.sh'), 'nx run qa:up\n');
    git(ws.root, 'init', '-q');
    git(ws.root, 'add', 'accounts.json', '.gitignore');
    const tree = new FsTree(ws.root, false);
    tree.write('scripts/pending.sh', 'nx run qa:preview\n');
    tree.delete('accounts.json');
    const files = workspaceFiles(tree);
    expect(files).toContain('scripts/new.sh');
    expect(files).toContain('scripts/pending.sh');
    expect(files).toContain('access/package.json');
    expect(files).not.toContain('ignored/deploy.sh');
    expect(files).not.toContain('accounts.json');
    expect(findAccountReferences(tree, [{ key: 'qa' }], []).map((r) => r.file)).toEqual(['scripts/new.sh', 'scripts/pending.sh']);
  });

  it('outside git: the files .gitignore does not ignore, never node_modules', () => {
    const tree = virtualWorkspace();
    tree.write('.gitignore', 'dist/\n');
    tree.write('dist/deploy.sh', 'nx run qa:up\n');
    tree.write('node_modules/x/deploy.sh', 'nx run qa:up\n');
    tree.write('scripts/deploy.sh', 'nx run qa:up\n');
    expect(workspaceFiles(tree).filter((f) => f.endsWith('deploy.sh'))).toEqual(['scripts/deploy.sh']);
  });
});
