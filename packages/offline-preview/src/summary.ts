import type { CodePaths } from './paths';
import type { PreviewResult, StackResult } from './result';

/** Adds the code graph's paths, the summary and the exit code to a list of stack results (their `iam` taken off). */
export function summarize(workspace: string, registryFile: string, withIam: readonly StackResult[], paths: Pick<CodePaths, 'json' | 'mandatory' | 'advisory'>): PreviewResult {
  const stacks = withIam.map(({ iam: _iam, ...s }) => s);
  const findings = stacks.flatMap((s) => s.findings);
  const errors = stacks.filter((s) => s.status === 'error').length;
  const mandatory = findings.filter((f) => f.severity === 'mandatory').length;
  return {
    schemaVersion: 1,
    workspace,
    registry: registryFile,
    stacks,
    summary: {
      stacks: stacks.length,
      resources: stacks.reduce((n, s) => n + s.resourceCount, 0),
      mandatory,
      advisory: findings.length - mandatory,
      errors,
      pathMandatory: paths.mandatory,
      pathAdvisory: paths.advisory,
    },
    paths: paths.json,
    exitCode: errors > 0 ? 2 : mandatory + paths.mandatory > 0 ? 1 : 0,
  };
}

/** Resource type to count, sorted by type (the stack resource and providers included). */
export function countByType(resources: readonly { readonly type: string }[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

