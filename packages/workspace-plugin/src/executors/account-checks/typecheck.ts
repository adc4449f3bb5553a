import * as path from 'node:path';
import * as ts from 'typescript';
import { type BatchTask, type TaskResult, ownerOf } from './batch';

/** A project's parsed `tsconfig.json`, or the diagnostics that stopped it being read. */
interface ParsedProject {
  readonly task: BatchTask;
  readonly config?: ts.ParsedCommandLine;
  readonly configErrors: readonly ts.Diagnostic[];
}

function parseProject(task: BatchTask, workspaceRoot: string): ParsedProject {
  const dir = path.resolve(workspaceRoot, task.root);
  const file = path.join(dir, 'tsconfig.json');
  const read = ts.readConfigFile(file, ts.sys.readFile);
  if (read.error) return { task, configErrors: [read.error] };
  const config = ts.parseJsonConfigFileContent(read.config, ts.sys, dir, { noEmit: true }, file);
  return { task, config, configErrors: config.errors };
}

/** Compiler options as a grouping key: projects whose options are equal share one program. */
function optionsKey(options: ts.CompilerOptions): string {
  const { configFilePath: _configFilePath, ...rest } = options;
  return JSON.stringify(rest, Object.keys(rest).sort());
}

/**
 * Type-checks each project as `tsc -p <root>/tsconfig.json --noEmit` would, but builds one TypeScript
 * program per distinct set of compiler options instead of one per project: the Pulumi and AWS typings
 * every account program loads are parsed and bound once, and each added account costs only its own
 * files. A diagnostic in a project's own files fails that project; one in a file outside every
 * project's folder (a workspace library the programs import, checked with the group's options) fails
 * every project of the group, as each of their `tsc` runs would have reported it.
 */
export async function typecheckProjects(tasks: readonly BatchTask[], workspaceRoot: string): Promise<Record<string, TaskResult>> {
  const host: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => workspaceRoot,
    getNewLine: () => '\n',
  };
  const diagnostics = new Map<string, ts.Diagnostic[]>(tasks.map((t) => [t.id, []]));
  const groups = new Map<string, ParsedProject[]>();
  for (const task of tasks) {
    const parsed = parseProject(task, workspaceRoot);
    if (!parsed.config || parsed.configErrors.length > 0) {
      diagnostics.get(task.id)?.push(...parsed.configErrors);
      continue;
    }
    const key = optionsKey(parsed.config.options);
    groups.set(key, [...(groups.get(key) ?? []), parsed]);
  }

  for (const members of groups.values()) {
    const options = members[0].config?.options ?? {};
    const rootNames = [...new Set(members.flatMap((m) => m.config?.fileNames ?? []))];
    const program = ts.createProgram({ rootNames, options });
    const groupTasks = members.map((m) => m.task);
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const owner = d.file ? ownerOf(d.file.fileName, groupTasks, workspaceRoot) : undefined;
      for (const task of owner ? [owner] : groupTasks) diagnostics.get(task.id)?.push(d);
    }
  }

  const results: Record<string, TaskResult> = {};
  for (const task of tasks) {
    const found = diagnostics.get(task.id) ?? [];
    const errors = found.filter((d) => d.category === ts.DiagnosticCategory.Error).length;
    results[task.id] = {
      success: errors === 0,
      terminalOutput:
        found.length === 0
          ? `tsc (batched): ${task.root} has no type errors.\n`
          : `${ts.formatDiagnostics(found, host)}\ntsc (batched): ${task.root} has ${errors} type error(s).\n`,
    };
  }
  return results;
}
