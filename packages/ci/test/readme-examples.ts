import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SAMPLE_REGISTRY_FILE } from '@trustline/registry';
import { ROOT } from './helpers';

/**
 * README examples whose output the README quotes, so that a test can run them and compare (issue 21).
 *
 * A marked example is an HTML comment, then a fenced `sh` block (the commands), then, after nothing but
 * blank lines, a fenced block holding the exact output:
 *
 *     <!-- readme-example: <id> [exit=<status>] [stream=both|stdout|stderr] [files=<repo path>,...] [tree=<repo path>,...] -->
 *     ```sh
 *     npx trust-guard check preview.json
 *     ```
 *     ```text
 *     <the output>
 *     ```
 *
 * The commands run with bash in a temporary workspace: `accounts.json` is the frozen sample registry
 * (packages/registry/fixtures/sample-accounts.json), `files` are copied in by base name, `tree` folders at
 * their repository path, and `npx <bin>`
 * runs the repository's `node_modules/.bin/<bin>` there. `exit` is the expected exit status (default 0);
 * `stream` what is compared (default `both`: stdout and stderr as one stream, in the order written).
 */
export interface ReadmeExample {
  readonly id: string;
  /** The README, relative to the repository root, and the line of the marker (1-based). */
  readonly file: string;
  readonly line: number;
  readonly commands: string;
  readonly expected: string;
  readonly exit: number;
  readonly stream: 'both' | 'stdout' | 'stderr';
  readonly files: readonly string[];
  /** Repository folders (or files) copied into the workspace at the same relative path, so a command can name them as a user in the repository would. */
  readonly trees: readonly string[];
}

const MARKER = /^<!-- readme-example: (\S+)((?: [a-z]+=\S+)*) -->$/;
/** A marker-like comment that does not parse is an error, never a skipped example. */
const LOOSE_MARKER = /^\s*<!--\s*readme-example/;

/** The workspace path every example's output is written with (the README's own example path). */
export const SHOWN_WORKSPACE = '/home/me/infra';

/**
 * What a rerun may change and the README cannot show, each replaced by a fixed text before comparing.
 * Nothing else is normalised.
 */
export const NORMALISATIONS: readonly { readonly name: string; readonly apply: (text: string, workspace: string) => string }[] = [
  { name: `the temporary workspace's path, shown as ${SHOWN_WORKSPACE}`, apply: (text, workspace) => text.split(workspace).join(SHOWN_WORKSPACE) },
];

/**
 * The fenced block that starts at `lines[at]`: its info string, its text (lines joined, final newline, the
 * fence's indentation removed, as in a list item) and the line after it.
 */
function fence(lines: readonly string[], at: number, where: string): { info: string; text: string; next: number } {
  const open = /^( *)(`{3,})(.*)$/.exec(lines[at] ?? '');
  if (!open) throw new Error(`${where}: expected a fenced block (\`\`\`) here, found ${JSON.stringify(lines[at] ?? 'the end of the file')}.`);
  const [, indent, ticks, info] = open;
  const close = lines.findIndex((l, i) => i > at && l === indent + ticks);
  if (close < 0) throw new Error(`${where}: the fenced block is never closed.`);
  const text = lines
    .slice(at + 1, close)
    .map((l) => `${l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()}\n`)
    .join('');
  return { info: info.trim(), text, next: close + 1 };
}

const skipBlank = (lines: readonly string[], at: number): number => {
  let i = at;
  while (i < lines.length && lines[i].trim() === '') i++;
  return i;
};

/** Every marked example of one markdown text; a malformed marker or a missing block throws, naming the line. */
export function extractExamples(markdown: string, file: string): ReadmeExample[] {
  const lines = markdown.split(/\r?\n/);
  const out: ReadmeExample[] = [];
  lines.forEach((line, i) => {
    if (!LOOSE_MARKER.test(line)) return;
    const where = `${file}:${i + 1}`;
    const m = MARKER.exec(line.trim());
    if (!m) throw new Error(`${where}: ${JSON.stringify(line.trim())} is not a readme-example marker; write <!-- readme-example: <id> [exit=<status>] [stream=both|stdout|stderr] [files=<path>,...] [tree=<path>,...] -->.`);
    const attrs = new Map<string, string>();
    for (const a of m[2].trim().split(' ').filter(Boolean)) {
      const [k, v] = [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)];
      if (!['exit', 'stream', 'files', 'tree'].includes(k)) throw new Error(`${where}: unknown attribute "${k}"; allowed: exit, stream, files, tree.`);
      attrs.set(k, v);
    }
    const exit = Number(attrs.get('exit') ?? '0');
    if (!Number.isInteger(exit) || exit < 0) throw new Error(`${where}: exit "${attrs.get('exit')}" is not an exit status.`);
    const stream = attrs.get('stream') ?? 'both';
    if (stream !== 'both' && stream !== 'stdout' && stream !== 'stderr') throw new Error(`${where}: stream "${stream}" is not one of both, stdout, stderr.`);
    const commands = fence(lines, i + 1, where);
    if (commands.info !== 'sh') throw new Error(`${where}: the block after the marker must be a \`\`\`sh block of commands, found "\`\`\`${commands.info}".`);
    const output = fence(lines, skipBlank(lines, commands.next), `${where} (output block)`);
    const files = (attrs.get('files') ?? '').split(',').filter(Boolean);
    const trees = (attrs.get('tree') ?? '').split(',').filter(Boolean);
    if (out.some((e) => e.id === m[1])) throw new Error(`${where}: the id "${m[1]}" is used twice in ${file}.`);
    out.push({ id: m[1], file, line: i + 1, commands: commands.text, expected: output.text, exit, stream, files, trees });
  });
  return out;
}

/**
 * The README and every README it links to (relative links to a `README.md`, followed from each file read),
 * relative to the repository root, in the order found.
 */
export function linkedReadmes(root: string, start = 'README.md'): string[] {
  const seen: string[] = [];
  const visit = (file: string) => {
    if (seen.includes(file)) return;
    seen.push(file);
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    for (const [, target] of text.matchAll(/\]\(([^)#\s]*README\.md)(?:#[^)]*)?\)/g)) {
      if (/^[a-z]+:/i.test(target)) continue;
      const next = path.posix.normalize(path.posix.join(path.posix.dirname(file), target));
      if (fs.existsSync(path.join(root, next))) visit(next);
    }
  };
  visit(start);
  return seen;
}

/** What running an example gave, normalised, and whether it matches what the README shows. */
export interface ExampleRun {
  readonly output: string;
  readonly exit: number;
  readonly matches: boolean;
}

/** Runs one example in a fresh temporary workspace (removed afterwards) and compares it with the README. */
export function runExample(example: ReadmeExample, root: string = ROOT): ExampleRun {
  const workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'readme-example-')));
  try {
    fs.copyFileSync(SAMPLE_REGISTRY_FILE, path.join(workspace, 'accounts.json'));
    for (const f of example.files) fs.copyFileSync(path.join(root, f), path.join(workspace, path.basename(f)));
    for (const t of example.trees) fs.cpSync(path.join(root, t), path.join(workspace, t), { recursive: true });
    const redirect = example.stream === 'both' ? 'exec 2>&1\n' : example.stream === 'stdout' ? 'exec 2>/dev/null\n' : 'exec 1>/dev/null\n';
    const script = `npx() { local bin="$1"; shift; "${path.join(root, 'node_modules', '.bin')}/$bin" "$@"; }\n${redirect}${example.commands}`;
    const env: NodeJS.ProcessEnv = { ...process.env, INIT_CWD: workspace, HOME: workspace };
    delete env.TRUSTLINE_REGISTRY;
    const run = spawnSync('bash', ['-c', script], { cwd: workspace, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const raw = example.stream === 'stderr' ? run.stderr : run.stdout;
    const output = NORMALISATIONS.reduce((text, n) => n.apply(text, workspace), raw);
    const exit = run.status ?? -1;
    return { output, exit, matches: output === example.expected && exit === example.exit };
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}
