import { analyzeTrustPolicy, parseConfig } from '@trustline/trust';
import type { TrustPolicyContext, TrustPolicyDocument } from './types';

/**
 * Second opinion on a built document from the pure analyzer (`@trustline/trust`), with the same
 * registry view the policy pack uses: trusted accounts, organization and external accounts, default
 * rule enforcement. Returns one sentence per mandatory finding (`rule-id: message`), or none; advisory
 * findings (an account root narrowed by aws:PrincipalArn, for one) are left to the policy pack.
 */
export function checkWithAnalyzer(document: TrustPolicyDocument, context: TrustPolicyContext): string[] {
  const config = parseConfig(
    {
      trustedAccounts: [...context.trustedAccountIds],
      ...(context.organizationId !== undefined ? { organizationId: context.organizationId } : {}),
      externalAccounts: (context.externalAccounts ?? []).map((e) => ({
        accountId: e.accountId,
        ...(e.name !== undefined && { name: e.name }),
        ...(e.externalIdPatterns !== undefined && { externalIdPatterns: [...e.externalIdPatterns] }),
      })),
    },
    context.source ?? 'trust policy context',
  );
  return analyzeTrustPolicy(document, config)
    .filter((f) => f.severity === 'mandatory')
    .map((f) => `${f.ruleId}: ${f.message}`);
}
