import { FindingSink, prepare } from './context';
import { normalizePolicy } from './normalize';
import { judgeAssumeAnyRole } from './rules/identity-assume-any-role';
import { reportIdentityShape } from './rules/trust-malformed';
import type { Finding, TrustGuardConfig } from './types';
import { internalError } from './analyze';

/**
 * Judges an identity policy (attached to a user, group or role): rule `identity-assume-any-role`
 * reports an Allow of sts:AssumeRole on every role in every account (see rules/identity-assume-any-role.ts);
 * rule `trust-malformed` reports shapes IAM refuses (see reportIdentityShape). Never throws.
 */
export function analyzeIdentityPolicy(doc: unknown, config: TrustGuardConfig): Finding[] {
  try {
    const p = prepare(config);
    const out = new FindingSink(p);
    const model = normalizePolicy(doc);
    if (!reportIdentityShape(model, out)) return out.findings;
    for (const s of model.statements) judgeAssumeAnyRole(s, p, out);
    return out.findings;
  } catch (e) {
    return internalError(e, config);
  }
}
