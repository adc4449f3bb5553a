import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli';
import { parseArgs, UsageError } from '../src/options';

describe('parseArgs', () => {
  const ok: Array<[string, string[], ReturnType<typeof parseArgs>]> = [
    ['no options runs everything as text', [], { projects: [], json: false, graph: false, help: false }],
    ['repeated --project keeps order and drops duplicates', ['--project', 'prod', '--project=access', '--project', 'prod'], { projects: ['prod', 'access'], json: false, graph: false, help: false }],
    ['--json and --graph', ['--json', '--graph'], { projects: [], json: true, graph: true, help: false }],
    ['--workspace with a value', ['--workspace', '/tmp/ws'], { projects: [], json: false, graph: false, help: false, workspace: '/tmp/ws' }],
    ['--workspace=value', ['--workspace=../ws'], { projects: [], json: false, graph: false, help: false, workspace: '../ws' }],
    ['-h', ['-h'], { projects: [], json: false, graph: false, help: true }],
    ['--workers', ['--workers=2', '--help'], { projects: [], json: false, graph: false, help: true, workers: 2 }],
    ['--paths-out with a folder', ['--paths-out', '.trust-guard/code-snapshot', '--json'], { projects: [], json: true, graph: false, help: false, pathsOut: '.trust-guard/code-snapshot' }],
  ];
  it.each(ok)('%s', (_name, argv, expected) => {
    expect(parseArgs(argv)).toEqual(expected);
  });

  const bad: Array<[string, string[], string]> = [
    ['unknown option', ['--jsn'], 'unknown option "--jsn"; allowed: --project <key>, --json, --graph, --workspace <dir>, --workers <n>, --paths-out <dir>, --help.'],
    ['stray argument', ['dev'], 'unexpected argument "dev"; select projects with --project dev.'],
    ['--project without value', ['--project'], 'option --project needs a value (for example --project dev).'],
    ['--project followed by an option', ['--project', '--json'], 'option --project needs a value (for example --project dev).'],
    ['--project= empty', ['--project='], 'option --project needs a value after "=".'],
    ['bad key', ['--project', 'Dev_1'], '--project "Dev_1" is not a project key; use "access" or a registry account key (lower-case letters, digits and dashes, such as "dev").'],
    ['unknown option with a value, as typed', ['--jsn=1'], 'unknown option "--jsn=1"; allowed: --project <key>, --json, --graph, --workspace <dir>, --workers <n>, --paths-out <dir>, --help.'],
    ['unknown short option', ['-j'], 'unknown option "-j"; allowed: --project <key>, --json, --graph, --workspace <dir>, --workers <n>, --paths-out <dir>, --help.'],
    ['stray argument after an option', ['--json', 'prod'], 'unexpected argument "prod"; select projects with --project prod.'],
    ['flag with a value', ['--json=yes'], 'option --json takes no value, but got "yes".'],
    ['flag with an empty value', ['--graph='], 'option --graph takes no value, but got "".'],
    ['--workspace= empty', ['--workspace='], 'option --workspace needs a value after "=".'],
    ['--workers not a number', ['--workers', '0'], '--workers "0" is not a number of threads; use a whole number from 1 to 999 (1 runs every stack in the main thread).'],
    ['two workspaces', ['--workspace', 'a', '--workspace', 'b'], 'option --workspace was given twice ("a" and the next); give one workspace.'],
    ['--graph with --project', ['--graph', '--project', 'dev'], '--graph draws every stack of the workspace and cannot be combined with --project (dev); run npm start -- --graph alone.'],
    ['--paths-out without value', ['--paths-out'], 'option --paths-out needs a value (for example --paths-out .trust-guard/code-snapshot).'],
    ['two --paths-out', ['--paths-out', 'a', '--paths-out', 'b'], 'option --paths-out was given twice ("a" and the next); give one folder.'],
    ['--paths-out with --project', ['--paths-out', 'snap', '--project', 'dev'], '--paths-out writes the code graph of every stack of the workspace and cannot be combined with --project (dev); run npm start -- --paths-out snap alone.'],
  ];
  it.each(bad)('rejects %s, saying what is allowed', (_name, argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

describe('the CLI shell', () => {
  const capture = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t), isTTY: false } } };
  };

  it('exits 2 on a bad option, naming it, and prints nothing on stdout', async () => {
    const c = capture();
    expect(await main(['--nope'], c.io)).toBe(2);
    expect(c.err.join('')).toBe('offline-preview: unknown option "--nope"; allowed: --project <key>, --json, --graph, --workspace <dir>, --workers <n>, --paths-out <dir>, --help.\nRun "npm start -- --help" for the options.\n');
    expect(c.out).toEqual([]);
  });

  it('prints the usage for --help and exits 0', async () => {
    const c = capture();
    expect(await main(['--help'], c.io)).toBe(0);
    expect(c.out.join('')).toContain('Usage: npm start -- [options]');
    expect(c.out.join('')).toContain('--project <key>');
  });

  it('exits 2 before running anything when --paths-out names a folder that is not a previous code snapshot, naming what it holds', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paths-out-'));
    try {
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'keep me');
      const c = capture();
      expect(await main(['--paths-out', dir, '--workspace', '/nonexistent/trustline-ws'], c.io)).toBe(2);
      expect(c.err.join('')).toBe(
        `offline-preview: --paths-out ${JSON.stringify(dir)} is not empty and is not a previous snapshot (it holds "notes.txt"); npm start -- --paths-out replaces only an empty folder or a folder it wrote before (<accountId>.json files). Choose a new folder.\n`,
      );
      expect(fs.readdirSync(dir)).toEqual(['notes.txt']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 when the workspace has no registry, naming the file', async () => {
    const c = capture();
    expect(await main(['--workspace', '/nonexistent/trustline-ws'], c.io)).toBe(2);
    expect(c.err.join('')).toBe('offline-preview: workspace /nonexistent/trustline-ws does not exist.\n');
  });
});
