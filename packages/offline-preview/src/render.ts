import { DEFAULT_SESSION_SECONDS } from '@trustline/trust';
import { renderPathsText } from '@trustline/paths';
import { formatSeconds } from './format';
import { pathsReportOf } from './paths';
import type { PreviewResult, ProviderChain, StackResult } from './result';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const indent = (text: string, prefix: string): string =>
  text
    .split('\n')
    .map((l) => prefix + l)
    .join('\n');

function renderChain(p: ProviderChain): string[] {
  const allowed = p.allowedAccountIds.length > 0 ? `allowedAccountIds ${p.allowedAccountIds.join(', ')}` : 'no allowedAccountIds';
  const lines = [`  ${p.name}  region ${p.region ?? '(default)'}, ${allowed}, ${plural(p.resources, 'resource')}`];
  p.hops.forEach((h, i) => {
    const duration = h.durationSeconds === null ? `duration default (${formatSeconds(DEFAULT_SESSION_SECONDS)})` : `duration ${formatSeconds(h.durationSeconds)}`;
    lines.push(`    ${i + 1}. assume ${h.roleArn || '(no roleArn)'} in account ${h.accountId ?? 'unknown'}; ExternalId ${h.externalId ? 'yes' : 'no'}; ${duration}`);
  });
  if (p.problem) lines.push(`    ! ${p.problem}`);
  return lines;
}

/** The one-line summary of a stack (also what the progress indicator prints when a stack is done). */
export function stackSummaryLine(s: StackResult): string {
  if (s.status === 'error') return `${s.project}: error — ${s.error ?? 'the program could not be run'}`;
  const mandatory = s.findings.filter((f) => f.severity === 'mandatory').length;
  const advisory = s.findings.length - mandatory;
  return `${s.project}: ${s.status} — ${plural(s.resourceCount, 'resource')}, ${plural(s.providers.length, 'AWS provider')}, ${mandatory} mandatory, ${advisory} advisory`;
}

function renderStack(s: StackResult): string {
  const lines = [`== ${s.project} (project ${s.pulumiProject}, stack ${s.stack}, ${s.program}) -> account ${s.accountId}`];
  if (s.status !== 'error') {
    lines.push('provider chain:');
    if (s.providers.length === 0) lines.push('  (no AWS provider)');
    for (const p of s.providers) lines.push(...renderChain(p));
    lines.push(`resources (${s.resourceCount}):`);
    const types = Object.entries(s.resourcesByType);
    const width = Math.max(0, ...types.map(([t]) => t.length));
    for (const [type, count] of types) lines.push(`  ${type.padEnd(width)}  ${count}`);
    lines.push(s.findings.length === 0 ? 'findings: none' : `findings (${s.findings.length}):`);
    for (const f of s.findings) {
      const where = f.resource ? `${f.resource.type} "${f.resource.name}"` : 'stack';
      lines.push(`  [${f.severity}] ${f.ruleId}  ${where}`);
      // The fix usually closes the message; print it once, on its own line.
      const body = f.fix && f.message.endsWith(f.fix) ? f.message.slice(0, -f.fix.length).trimEnd() : f.message;
      if (body) lines.push(indent(body, '      '));
      if (f.fix) lines.push(indent(`fix: ${f.fix}`, '      '));
    }
  }
  lines.push(stackSummaryLine(s));
  return lines.join('\n');
}

/**
 * Human-readable report: per stack the provider chain, resources by type, findings and a summary line;
 * then the code graph (every path into each deploy role and privileged role, the path findings), when the
 * result was made in this process; then the verdict.
 */
export function renderText(result: PreviewResult): string {
  const blocks = result.stacks.map(renderStack);
  const paths = pathsReportOf(result);
  if (paths) blocks.push(`== paths into each deploy role and privileged role (code graph: what the programs and the registry declare)\n${renderPathsText(paths).trimEnd()}`);
  const s = result.summary;
  const verdict = result.exitCode === 0 ? 'passed' : result.exitCode === 1 ? 'failed: mandatory findings' : 'error: a program could not be run';
  blocks.push(
    `offline-preview: ${plural(s.stacks, 'stack')}, ${plural(s.resources, 'resource')}, ${s.mandatory} mandatory, ${s.advisory} advisory, path findings ${s.pathMandatory} mandatory, ${s.pathAdvisory} advisory, ${plural(s.errors, 'error')} — ${verdict} (exit ${result.exitCode}).`,
  );
  return `${blocks.join('\n\n')}\n`;
}

/** The result as JSON (schemaVersion 1), two-space indented, with a trailing newline. */
export function renderJson(result: PreviewResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
