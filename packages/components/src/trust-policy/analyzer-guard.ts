import { analyzeTrustPolicy, parseConfig, type Finding, type TrustGuardConfig } from '@trustline/trust';
import type { TrustPolicyContext, TrustPolicyDocument } from './types';

/**
 * The analyzer's config for a builder context: the same registry view the policy pack uses (trusted
 * accounts, organization, external accounts) with default rule enforcement.
 */
export function guardConfig(context: TrustPolicyContext): TrustGuardConfig {
  // A frozen account list (a frozen registry's view, see registryTrustView) cannot change: its config is
  // parsed once, not for every role built against it (parsing checks every account: 0.5 ms at 1,000).
  const ids = context.trustedAccountIds;
  const kept = Object.isFrozen(ids) ? guardConfigs.get(ids) : undefined;
  if (kept && kept.organizationId === context.organizationId && kept.externalAccounts === context.externalAccounts) return kept.config;
  const config = parseGuardConfig(context);
  if (Object.isFrozen(ids)) guardConfigs.set(ids, { organizationId: context.organizationId, externalAccounts: context.externalAccounts, config });
  return config;
}

const guardConfigs = new WeakMap<readonly string[], { organizationId: string | undefined; externalAccounts: TrustPolicyContext['externalAccounts']; config: TrustGuardConfig }>();

function parseGuardConfig(context: TrustPolicyContext): TrustGuardConfig {
  return parseConfig(
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
}

/** Where a principal of the built document came from in the spec. */
export interface PrincipalOrigin {
  /** The spec field and the value written there, as a sentence starts: `trustedRoleArns[0] "arn:aws:iam::…:role/x"`. */
  readonly subject: string;
  /** The account the principal is in. */
  readonly accountId: string;
}

/**
 * Judges a built document with the pure analyzer (`@trustline/trust`). Returns one sentence per
 * mandatory finding, or none; advisory findings (an account root narrowed by aws:PrincipalArn, for one)
 * are left to the policy pack. A finding about a principal found in `origins` (keyed by the principal's
 * `ref`, as findings name it) names the spec field that produced it; others read `rule-id: message`.
 */
export function checkWithAnalyzer(document: TrustPolicyDocument, config: TrustGuardConfig, origins: ReadonlyMap<string, PrincipalOrigin> = new Map()): string[] {
  return analyzeTrustPolicy(document, config)
    .filter((f) => f.severity === 'mandatory')
    .map((f) => {
      const origin = f.principal === undefined ? undefined : origins.get(f.principal);
      return origin === undefined ? `${f.ruleId}: ${f.message}` : findingSentence(f, origin, config);
    });
}

function findingSentence(f: Finding, origin: PrincipalOrigin, config: TrustGuardConfig): string {
  if (f.ruleId === 'trust-external-without-external-id') {
    // The spec has one externalId for every principal, so the fix is to set it.
    const name = config.externalAccounts.find((e) => e.accountId === origin.accountId)?.name;
    return `${origin.subject} is in external account ${origin.accountId}${name !== undefined ? ` (${JSON.stringify(name)})` : ''}; a third party may be trusted only with externalId set (the confused-deputy guard).`;
  }
  return `${origin.subject} is refused by ${f.ruleId}: ${f.message}`;
}
