import * as fs from 'node:fs';
import type { TestProject } from 'vitest/node';
import { conformanceWorkspace } from './conformance-workspace';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The temporary workspace programs.e2e.test.ts runs (see conformance-workspace.ts). */
    conformanceWorkspace: string;
  }
}

/**
 * Builds the workspace before the test files are collected: programs.e2e.test.ts declares one block per
 * program it runs and per stack it proves, so it needs the plan, and with it the workspace, up front.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const ws = await conformanceWorkspace();
  project.provide('conformanceWorkspace', ws);
  return () => fs.rmSync(ws, { recursive: true, force: true });
}
