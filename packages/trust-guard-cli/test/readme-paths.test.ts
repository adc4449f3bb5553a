import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/main';
import { recordingIO } from './helpers';

/**
 * README "Who can reach prod" shows the output of `trust-guard paths` on the example snapshot. Each block
 * follows a `<!-- readme-example: <id> -->` marker; this test runs the command the block names and compares
 * its output with the block, so the README cannot drift from what the command prints.
 */
const ROOT = path.resolve(__dirname, '../../..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

function block(id: string): { fence: string; lines: string[] } {
  const marker = `<!-- readme-example: ${id} -->\n`;
  const at = README.indexOf(marker);
  expect(at, `README.md has no ${marker.trim()}`).toBeGreaterThanOrEqual(0);
  const rest = README.slice(at + marker.length);
  const m = /^```(\w+)\n([\s\S]*?)^```$/m.exec(rest);
  expect(m?.index, `a fenced block right after ${marker.trim()}`).toBe(0);
  return { fence: m![1], lines: m![2].split('\n').slice(0, -1) };
}

async function run(args: string[]): Promise<{ code: number; out: string }> {
  const io = recordingIO({}, ROOT);
  const code = await runCli(args, io);
  return { code, out: io.out };
}

/** The command of the text example, as the README shows it (`$ npx trust-guard paths …`). */
function textCommand(): string[] {
  const { lines } = block('paths-text');
  expect(lines[0]).toMatch(/^\$ npx trust-guard paths /);
  return lines[0].replace(/^\$ npx trust-guard /, '').split(' ');
}

describe('README "Who can reach prod"', () => {
  it('the text example is what the command prints, and it exits 1', async () => {
    const { fence, lines } = block('paths-text');
    expect(fence).toBe('console');
    const { code, out } = await run(textCommand());
    expect(code).toBe(1);
    expect(lines.slice(1).join('\n')).toBe(out.replace(/\n$/, ''));
  });

  it('the Mermaid picture is what the same command prints with --format mermaid', async () => {
    const { fence, lines } = block('paths-mermaid');
    expect(fence).toBe('mermaid');
    const { out } = await run([...textCommand(), '--format', 'mermaid']);
    expect(lines.join('\n')).toBe(out.replace(/\n$/, ''));
  });
});
