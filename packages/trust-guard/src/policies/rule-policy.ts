import type { ResourceValidationPolicy } from '@pulumi/policy';
import { RULES, type RuleId } from '@trustline/trust';
import { evaluateResource, JUDGED_TYPES, packConfigSchema } from './evaluate';

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
    enforcementLevel: rule.defaultEnforcement,
    configSchema: packConfigSchema(),
    validateResource: (args, reportViolation) => {
      if (!JUDGED_TYPES.includes(args.type)) return;
      const evaluation = evaluateResource(args);
      if (!evaluation.ok) {
        // Reported by every policy from its own configuration section (Pulumi gives each policy only its
        // own): a section this policy cannot use must never silently switch the policy off.
        reportViolation(`${ruleId}: ${args.type} "${args.name}" could not be validated: ${evaluation.error}`);
        return;
      }
      for (const f of evaluation.report.findings) {
        if (f.ruleId !== ruleId || f.severity === 'informational') continue;
        reportViolation(`${f.key} in ${f.location}: ${f.message}`);
      }
    },
  };
}
