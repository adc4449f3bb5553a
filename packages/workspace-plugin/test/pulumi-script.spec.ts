import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from './helpers';
import { workspaceCopy } from './workspace-copy';

/**
 * scripts/pulumi.sh: every target that runs the Pulumi CLI goes through it, so a machine without the CLI
 * gets an install hint instead of "/bin/sh: 1: pulumi: not found", and `plugins` installs the exact AWS
 * provider plugin version before preview/up/refresh/destroy.
 */
const SCRIPT = path.join(WORKSPACE_ROOT, 'scripts/pulumi.sh');
const BASH = '/bin/bash';
const temps: string[] = [];
afterAll(() => {
  for (const t of temps) fs.rmSync(t, { recursive: true, force: true });
});

/**
 * A copy of the workspace holding the frozen sample organization (its projects dev, prod and test), with
 * node_modules linked: the script runs in an account project folder as Nx runs it, whatever accounts the
 * checkout holds.
 */
const SAMPLE_WS = workspaceCopy();
temps.push(SAMPLE_WS);
const DEV = path.join(SAMPLE_WS, 'projects/dev');

/** A PATH folder holding only `node` and, when asked, a stand-in `pulumi` that prints its arguments. */
function pathDir(withPulumi: boolean): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulumi-sh-'));
  temps.push(dir);
  fs.symlinkSync(process.execPath, path.join(dir, 'node'));
  if (withPulumi) {
    fs.writeFileSync(path.join(dir, 'pulumi'), '#!/bin/sh\necho "pulumi $*"\n', { mode: 0o755 });
  }
  return dir;
}

function run(args: string[], cwd: string, pathEnv: string) {
  const r = spawnSync(BASH, [SCRIPT, ...args], { cwd, env: { PATH: pathEnv, HOME: os.tmpdir() }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('scripts/pulumi.sh', () => {
  it('without pulumi on PATH: exit 127 and how to install it', () => {
    const r = run(['preview', '--stack', 'dev'], DEV, pathDir(false));
    expect(r.code).toBe(127);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      [
        'pulumi.sh: cannot run "pulumi preview --stack dev": the Pulumi CLI is not on PATH.',
        'Install it (https://www.pulumi.com/docs/iac/download-install/):',
        '  Linux, macOS:  curl -fsSL https://get.pulumi.com | sh    (then add ~/.pulumi/bin to PATH, or open a new shell)',
        '  macOS:         brew install pulumi/tap/pulumi',
        '  Windows:       winget install pulumi',
        'Then run the target again. The offline preview and the tests need no Pulumi CLI: npm start, npm test.',
        '',
      ].join('\n'),
    );
  });

  it('with pulumi on PATH: runs it with the arguments as given', () => {
    const r = run(['preview', '--stack', 'dev', '--policy-pack', '../../policies/trust-guard'], DEV, pathDir(true));
    expect([r.code, r.stdout, r.stderr]).toEqual([0, 'pulumi preview --stack dev --policy-pack ../../policies/trust-guard\n', '']);
  });

  it('install-plugins installs exactly the AWS plugin version node_modules/@pulumi/aws declares', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(WORKSPACE_ROOT, 'node_modules/@pulumi/aws/package.json'), 'utf8'));
    const version: string = pkg.pulumi?.version ?? pkg.version;
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    for (const cwd of [DEV, SAMPLE_WS]) {
      const r = run(['install-plugins'], cwd, pathDir(true));
      expect([r.code, r.stdout, r.stderr]).toEqual([0, `pulumi plugin install resource aws ${version}\n`, '']);
    }
  });

  it('install-plugins names the folder when @pulumi/aws is not installed there', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'no-aws-'));
    temps.push(empty);
    const r = run(['install-plugins'], empty, pathDir(true));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`pulumi.sh: @pulumi/aws is not installed where ${fs.realpathSync(empty)} resolves packages; run npm ci first.\n`);
  });
});

describe('the Pulumi targets of every program of the sample organization and of the generator template', () => {
  const template = fs
    .readFileSync(path.join(WORKSPACE_ROOT, 'packages/workspace-plugin/src/generators/account/files/package.json__tmpl__'), 'utf8')
    .replace(/<%= packageName %>/g, '@trustline/account-qa')
    .replace(/<%= key %>/g, 'qa');
  const read = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(SAMPLE_WS, file), 'utf8'));
  const projects = fs.readdirSync(path.join(SAMPLE_WS, 'projects')).sort();
  const programs: [string, string, unknown][] = [
    ['access/package.json', '', read('access/package.json')],
    ...projects.map((k): [string, string, unknown] => [`projects/${k}/package.json`, '../../', read(`projects/${k}/package.json`)]),
    ['files/package.json__tmpl__ (rendered for qa)', '../../', JSON.parse(template)],
  ];

  it('are the access project, the sample accounts and the template', () => {
    expect(projects).toEqual(['dev', 'prod', 'test']);
  });

  it.each(programs)('%s: plugins installs the AWS plugin; preview, up, refresh and destroy run pulumi through scripts/pulumi.sh after it', (_file, rel, pkg) => {
    const targets = (pkg as { nx: { targets: Record<string, { command?: string; dependsOn?: string[]; options?: { command?: string } }> } }).nx.targets;
    expect(targets.plugins?.options?.command).toBe(`bash ${rel}scripts/pulumi.sh install-plugins`);
    for (const name of ['preview', 'up', 'refresh', 'destroy']) {
      expect({ name, command: targets[name]?.options?.command?.split(' ').slice(0, 3).join(' '), dependsOn: targets[name]?.dependsOn }).toEqual({
        name,
        command: `bash ${rel}scripts/pulumi.sh ${name}`,
        dependsOn: ['plugins'],
      });
    }
  });
});
