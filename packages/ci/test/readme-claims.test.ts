import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers';
import { extractExamples, linkedReadmes, runExample, SHOWN_WORKSPACE, type ReadmeExample } from './readme-examples';

/**
 * The README's shown commands whose output it quotes are run and compared (issue 21), so the examples
 * cannot go stale: every `<!-- readme-example: ... -->` of README.md and the READMEs it links
 * (README.md, "Development", describes the marker).
 */
const readmes = linkedReadmes(ROOT);
const examples: ReadmeExample[] = readmes.flatMap((file) => extractExamples(fs.readFileSync(path.join(ROOT, file), 'utf8'), file));

describe('README examples', () => {
  it('are found in README.md and the READMEs it links', () => {
    expect(readmes[0]).toBe('README.md');
    expect(readmes).toContain('policies/trust-guard/README.md');
    // The examples issue 21 found stale must stay marked: removing a marker fails here.
    expect(examples.map((e) => `${e.file}#${e.id}`)).toEqual(
      expect.arrayContaining([
        'policies/trust-guard/README.md#trust-guard-zone',
        'policies/trust-guard/README.md#trust-guard-unreadable',
        'policies/trust-guard/README.md#trust-guard-text-output',
      ]),
    );
  });

  it.each(examples.map((e) => [`${e.file}:${e.line} ${e.id}`, e] as const))('%s prints what the README shows', (_name, example) => {
    const run = runExample(example);
    expect({ exit: run.exit, output: run.output }).toEqual({ exit: example.exit, output: example.expected });
  });
});

describe('the README example check can fail', () => {
  const md = (output: string, marker = '<!-- readme-example: demo exit=0 -->') => [marker, '```sh', 'echo "$PWD/out.txt"; echo second line', '```', '', '```text', ...output.split('\n'), '```', ''].join('\n');

  it('a marked example whose output is right passes, after the named normalisation of the workspace path', () => {
    const [example] = extractExamples(md(`${SHOWN_WORKSPACE}/out.txt\nsecond line`), 'demo.md');
    expect(example).toMatchObject({ id: 'demo', line: 1, exit: 0, stream: 'both', commands: 'echo "$PWD/out.txt"; echo second line\n' });
    expect(runExample(example).matches).toBe(true);
  });

  it('a wrong output, or a wrong exit status, fails', () => {
    const [wrongText] = extractExamples(md(`${SHOWN_WORKSPACE}/out.txt\nsecond line, edited`), 'demo.md');
    expect(runExample(wrongText)).toMatchObject({ matches: false, output: `${SHOWN_WORKSPACE}/out.txt\nsecond line\n` });
    const [wrongExit] = extractExamples(md(`${SHOWN_WORKSPACE}/out.txt\nsecond line`, '<!-- readme-example: demo exit=1 -->'), 'demo.md');
    expect(runExample(wrongExit)).toMatchObject({ matches: false, exit: 0 });
  });

  it('a stream is compared on its own: stderr only', () => {
    const [example] = extractExamples(['<!-- readme-example: err stream=stderr exit=3 -->', '```sh', 'echo out; echo err >&2; exit 3', '```', '```', 'err', '```'].join('\n'), 'demo.md');
    expect(runExample(example)).toEqual({ output: 'err\n', exit: 3, matches: true });
  });

  it('a malformed marker or a missing block is an error that names the line, never a skipped example', () => {
    expect(() => extractExamples('text\n<!-- readme-example: x bogus=1 -->\n```sh\ntrue\n```\n```\n```\n', 'a.md')).toThrow('a.md:2: unknown attribute "bogus"; allowed: exit, stream, files, tree.');
    expect(() => extractExamples('<!-- readme-example x -->\n', 'a.md')).toThrow('a.md:1: "<!-- readme-example x -->" is not a readme-example marker');
    expect(() => extractExamples('<!-- readme-example: x -->\n```sh\ntrue\n```\nSome prose.\n', 'a.md')).toThrow('a.md:1 (output block): expected a fenced block (```) here, found "Some prose."');
    expect(() => extractExamples('<!-- readme-example: x -->\n```text\ntrue\n```\n```\n```\n', 'a.md')).toThrow('a.md:1: the block after the marker must be a ```sh block of commands, found "```text".');
  });
});
