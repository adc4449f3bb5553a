/**
 * Usage: tsx record-under-mocks.ts <workspace> <out.json> <account key>...
 * Records each account project's stack under Pulumi's mocks as `npm start` does and writes
 * `{ "<key>": RecordedResource[] }` to out.json (stdout is left to the programs). See src/mocked.ts.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { recordProgram, type RecordedResource } from '@trustline/components';
import { discoverProjects, loadWorkspaceRegistry } from '@trustline/offline-preview';

async function main(): Promise<void> {
  const [workspace, out, ...keys] = process.argv.slice(2);
  const { registry } = loadWorkspaceRegistry(workspace);
  const recorded: Record<string, readonly RecordedResource[]> = {};
  for (const project of discoverProjects(workspace, registry, keys)) {
    // A CommonJS load, as Pulumi's Node.js language host and the offline preview run a program.
    const { resources } = await recordProgram({
      project: project.pulumiProject,
      stack: project.stack,
      config: project.config,
      program: () => createRequire(project.programFile)(project.programFile) as unknown,
    });
    recorded[project.key] = resources;
  }
  fs.writeFileSync(out, JSON.stringify(recorded));
}

main().catch((e: unknown) => {
  process.stderr.write(`record-under-mocks: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
