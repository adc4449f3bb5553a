import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JsonError, jsonProblem, parseJson } from '@trustline/json';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers';

/** Every JSON file the repository tracks (package manifests, nx.json, accounts.json, fixtures, schemas). */
const tracked = execFileSync('git', ['ls-files', '-z', '*.json'], { cwd: ROOT, encoding: 'utf8' })
  .split('\0')
  .filter((f) => f !== '' && !f.includes('/corpus/') && fs.existsSync(path.join(ROOT, f)));

/** Fixtures that are malformed on purpose (the CLI's tests read them to show the error). */
const MALFORMED_ON_PURPOSE = new Set(['packages/trust-guard-cli/test/fixtures/not-json.json']);

describe('the JSON files of the repository', () => {
  it('are found', () => {
    expect(tracked).toContain('package.json');
    expect(tracked).toContain('accounts.json');
  });

  // A merge can leave a key twice (two "devDependencies" blocks); JSON.parse and npm keep the last one
  // silently, so a dependency disappears. The strict reader refuses it, naming file, line and key.
  it.each(tracked.filter((f) => !MALFORMED_ON_PURPOSE.has(f)))('%s has each key once and parses strictly', (file) => {
    let problem = '';
    try {
      parseJson(fs.readFileSync(path.join(ROOT, file)), { file, maxDepth: Infinity });
    } catch (e) {
      if (!(e instanceof JsonError)) throw e;
      problem = jsonProblem(e);
    }
    expect(problem).toBe('');
  });
});
