import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectInput, type Detection } from './detect';

/** Reads `file` (relative to `cwd`) and detects its format. Never throws: a problem comes back as the reason to print after "cannot read <file>: ". */
export function readInput(file: string, cwd: string): Detection {
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'it is a directory, not a file' : err.message;
    return { ok: false, problem: why };
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { ok: false, problem: `not valid JSON (${(e as Error).message})` };
  }
  return detectInput(json, file);
}
