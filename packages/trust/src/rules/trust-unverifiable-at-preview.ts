import { severityFor } from './index';
import type { Finding, TrustGuardConfig } from '../types';
import { defineRule } from './rule';

export const trustUnverifiableAtPreview = defineRule({
  id: 'trust-unverifiable-at-preview',
  description: 'The trust policy depends on values unknown at preview time and could only be checked after deployment.',
  defaultEnforcement: 'advisory',
  exemptable: true,
  broad: false,
  emittedBy: ['pack'],
  fix: 'Build the document from known values (account ids and role names from the registry) to have it checked at preview.',
});

/** A document the pack cannot read yet: where it is, and in which resource. */
export interface UnknownDocument {
  readonly kind: 'trust' | 'identity';
  /** The resource field holding the document (`assumeRolePolicy`), the finding's key subject. */
  readonly location: string;
  readonly type: string;
  readonly name: string;
}

/**
 * The finding for a document Pulumi does not know yet. A value computed from another resource's output
 * is filled in at `pulumi up`, where the pack checks it again; at preview it is reported, never passed
 * silently. Undefined when the rule is disabled.
 */
export function unverifiableAtPreview(doc: UnknownDocument, config: Pick<TrustGuardConfig, 'rules'>): Finding | undefined {
  const severity = severityFor(trustUnverifiableAtPreview.id, config);
  if (!severity) return undefined;
  const what = doc.kind === 'trust' ? 'trust policy' : 'identity policy';
  const fix = trustUnverifiableAtPreview.fix;
  return {
    ruleId: trustUnverifiableAtPreview.id,
    severity,
    key: `${trustUnverifiableAtPreview.id}[${doc.location}]`,
    statementIndex: null,
    message:
      `The ${what} in ${doc.location} of ${doc.type} "${doc.name}" depends on a value that is not known during preview, ` +
      `so it cannot be verified until update; trust-guard checks it again when pulumi up runs. ${fix}`,
    fix,
  };
}
