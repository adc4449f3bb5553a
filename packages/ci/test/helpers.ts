import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '../../..');
const VALIDATOR = path.join(ROOT, 'node_modules', '.bin', 'action-validator');

/** Runs @action-validator/cli (GitHub's workflow schema, offline) on `file`: its exit status and report. */
export function actionValidator(file: string): { status: number; report: string } {
  try {
    execFileSync(VALIDATOR, [file], { stdio: 'pipe', encoding: 'utf8' });
    return { status: 0, report: '' };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { status: err.status, report: `${err.stdout}${err.stderr}` };
  }
}
