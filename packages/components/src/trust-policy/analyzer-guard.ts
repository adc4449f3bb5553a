import { analyzeTrustPolicy, parseConfig, type Finding, type TrustGuardConfig } from '@trustline/trust';
import type { TrustPolicyContext, TrustPolicyDocument } from './types';

/** A parsed config and the context lists it was parsed from. */
interface CachedConfig {
  readonly trustedCount: number;
  readonly organizationId: string | undefined;
  readonly externalAccounts: TrustPolicyContext['externalAccounts'];
  readonly config: TrustGuardConfig;
}

/** Keyed by the context's trustedAccountIds list: contexts built from one registry share it (registryTrustView). */
const configs = new WeakMap<readonly string[], CachedConfig>();

/**
 * The analyzer's config for a builder context: the same registry view the policy pack uses (trusted
 * accounts, organization, external accounts) with default rule enforcement.
 *
 * Parsed once per list of trusted accounts (and organization and external accounts), then shared: the
 * config is an immutable value, and the analyzer builds its account sets once per config object
 * (`prepare` in @trustline/trust). Parsed per role, the access program validated every account id once
 * per account it declared, quadratic in the accounts (issue 20). `source` only names a config that fails
 * to parse, so a failure is never cached and each caller's error names its own source.
 */
export function guardConfig(context: TrustPolicyContext): TrustGuardConfig {
  const key = context.trustedAccountIds;
  const cached = configs.get(key);
  if (cached !== undefined && cached.trustedCount === key.length && cached.organizationId === context.organizationId && cached.externalAccounts === context.externalAccounts) {
    return cached.config;
  }
  const config = parseGuardConfig(context);
  configs.set(key, { trustedCount: key.length, organizationId: context.organizationId, externalAccounts: context.externalAccounts, config });
  return config;
}

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
