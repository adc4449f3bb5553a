import type { ReportViolation, ResourceValidationPolicy } from '@pulumi/policy';
import { LOCKED_RULES, lockedRuleReason, RULE_IDS, RULES, type RuleId } from '@trustline/trust';
import type { LocatedFinding, ResourceReport } from '../analyze';
import { evaluateResource, JUDGED_TYPES, packConfigSchema, skippedLockedRules, type Evaluation } from './evaluate';

/**
 * The engine also takes a violation as an object whose `enforcementLevel` wins over the policy's configured
 * one (@pulumi/policy server.js makeReportViolationFun; the CLI keeps each diagnostic's own level,
 * pkg/resource/plugin/analyzer_plugin.go convertDiagnostics). The typings declare only the string form.
 */
type MandatoryViolation = { readonly name: string; readonly message: string; readonly enforcementLevel: 'mandatory' };
const reportMandatory = (report: ReportViolation, v: MandatoryViolation): void => (report as unknown as (v: MandatoryViolation) => void)(v);

/** The violation text of one finding: its key, the document, the message, and a note when its exemption expired. */
function violationText(f: LocatedFinding, report: ResourceReport): string {
  const expired = report.expired?.find((e) => e.finding === f);
  return `${f.key} in ${f.location}: ${f.message}${expired ? ` ${expired.note}` : ''}`;
}

/**
 * The finding behind a violation a rule policy reported on the resource in `args` (the arguments the
 * policy was called with; memoised, so this does not judge the resource again), or undefined for any
 * other violation. Lets a consumer of violations (the offline preview) read the finding's rule id and fix
 * as data: the violation is matched by its policy name and exact text, never parsed.
 */
export function findingOfViolation(
  args: Parameters<typeof evaluateResource>[0],
  violation: { readonly policyName: string; readonly message: string },
): LocatedFinding | undefined {
  if (!(RULE_IDS as readonly string[]).includes(violation.policyName)) return undefined;
  const evaluation: Evaluation = evaluateResource(args);
  if (!evaluation.ok) return undefined;
  for (const f of evaluation.report.findings) {
    if (f.ruleId !== violation.policyName) continue;
    const text = violationText(f, evaluation.report);
    // A locked rule reported in place of its skipped policy carries a parenthesised note after the text.
    if (violation.message === text || violation.message.startsWith(`${text} (`)) return f;
  }
  return undefined;
}

/**
 * The Pulumi policy for one analyzer rule. One policy per rule id, so Pulumi's own per-policy
 * `enforcementLevel` configuration works; each reports only its rule's findings from the shared,
 * memoised analysis. Informational findings (advisory that never fails anything, such as a Lambda
 * execution role trusting lambda.amazonaws.com) are left to the CLI to keep previews quiet.
 */
export function rulePolicy(ruleId: RuleId): ResourceValidationPolicy {
  const rule = RULES[ruleId];
  return {
    name: ruleId,
    description: rule.description,
    // The rule's own fix sentence; a finding whose fix names what was found carries that one (findingOfViolation).
    remediationSteps: rule.fix,
    enforcementLevel: rule.defaultEnforcement,
    configSchema: packConfigSchema(),
    validateResource: (args, reportViolation) => {
      if (!JUDGED_TYPES.includes(args.type)) return;
      // Noted before anything can return, so that a policy that ran is never taken for a skipped one.
      const skipped = skippedLockedRules(args.urn, ruleId);
      const evaluation = evaluateResource(args);
      if (!evaluation.ok) {
        // Reported by every policy from its own configuration section (Pulumi gives each policy only its
        // own): a section this policy cannot use must never silently switch the policy off.
        reportViolation(`${ruleId}: ${args.type} "${args.name}" could not be validated: ${evaluation.error}`);
        return;
      }
      const locked = LOCKED_RULES.includes(ruleId);
      for (const f of evaluation.report.findings) {
        if (f.ruleId !== ruleId || f.severity === 'informational') continue;
        // A locked rule stays mandatory whatever enforcementLevel the pack configuration gives its policy.
        if (locked) reportMandatory(reportViolation, { name: ruleId, message: violationText(f, evaluation.report), enforcementLevel: 'mandatory' });
        else reportViolation(violationText(f, evaluation.report));
      }
      for (const id of skipped) {
        for (const f of evaluation.report.findings) {
          if (f.ruleId !== id || f.severity === 'informational') continue;
          const note = `(The policy pack configuration disables ${id}, but it is always mandatory: ${lockedRuleReason(id)}. Reported by ${ruleId} in its place.)`;
          reportMandatory(reportViolation, { name: id, message: `${violationText(f, evaluation.report)} ${note}`, enforcementLevel: 'mandatory' });
        }
      }
    },
  };
}
