import { EXTERNAL_ID, registryTrustView, partitionOf, type AccountRegistry } from '@trustline/registry';
import {
  ACCOUNT_ID,
  ORGANIZATION_ID,
  accountRootArn,
  accountSets,
  classifyPrincipal,
  namesPrincipals,
  principalStanding,
  type AccountSets,
  type TrustGuardConfig,
} from '@trustline/trust';
import { checkWithAnalyzer, guardConfig, type PrincipalOrigin } from './analyzer-guard';
import {
  POLICY_VERSION,
  type AccountRootTrust,
  type TrustCondition,
  type TrustPolicyContext,
  type TrustPolicyDocument,
  type TrustPolicySpec,
  type TrustPolicyStatement,
} from './types';

/** Thrown when a spec is too broad or malformed. `problems` holds one sentence per problem. */
export class TrustPolicyError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(
      `${source}: the trust policy was refused with ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'TrustPolicyError';
  }
}

/** The builder's context for a registry: its own accounts, organization and external accounts. */
export function trustContextFromRegistry(registry: AccountRegistry, source?: string): TrustPolicyContext {
  const view = registryTrustView(registry);
  return {
    trustedAccountIds: view.trustedAccounts,
    organizationId: view.organizationId,
    externalAccounts: view.externalAccounts,
    partition: partitionOf(registry.identity.region),
    ...(source ? { source } : {}),
  };
}

/** Session names and source identities: what STS accepts, without wildcards (pinning is exact). */
const STS_NAME = /^[\w+=,.@-]{2,64}$/;
const MFA_MAX_AGE_SECONDS = 129600;

const show = (v: unknown): string => (v === undefined ? 'missing' : JSON.stringify(v));
/** One value as a string, several as a list: the shape IAM itself returns. */
const condValue = (values: readonly string[]): string | readonly string[] => (values.length === 1 ? values[0] : [...values]);
const unique = (values: readonly string[]): string[] => [...new Set(values)];

/**
 * Builds a role trust policy from a declarative spec, refusing anything broad: wildcards in principals,
 * accounts outside the registry, third parties without `sts:ExternalId`, empty lists, and account roots
 * not narrowed by `aws:PrincipalArn`. The trust library judges every principal: {@link validateSpec}
 * asks it where each one stands, then the analyzer judges the built document (see `analyzer-guard.ts`),
 * and each mandatory finding is refused naming the spec field that produced its principal. Every
 * problem is collected into one {@link TrustPolicyError}. Pure: no Pulumi runtime, no I/O.
 */
export function buildTrustPolicy(spec: TrustPolicySpec, context: TrustPolicyContext): TrustPolicyDocument {
  const source = context.source ?? 'trust policy spec';
  const config = guardConfig(context);
  const problems = validateSpec(spec, context, config);
  if (problems.length > 0) throw new TrustPolicyError(source, problems);

  const actions = ['sts:AssumeRole'];
  if (spec.sourceIdentities) actions.push('sts:SetSourceIdentity');
  if (spec.allowTagSession) actions.push('sts:TagSession');

  const common = commonConditions(spec);
  const statements: TrustPolicyStatement[] = [];
  /** Principal ref (as findings name it) -> the spec field it came from; the first field wins. */
  const origins = new Map<string, PrincipalOrigin>();
  const record = (principal: string, subject: string): void => {
    const pr = classifyPrincipal('AWS', principal);
    if (!origins.has(pr.ref)) origins.set(pr.ref, { subject, accountId: pr.accountId ?? '' });
  };
  if (spec.trustedRoleArns && spec.trustedRoleArns.length > 0) {
    spec.trustedRoleArns.forEach((arn, i) => record(arn, `trustedRoleArns[${i}] ${show(arn)}`));
    statements.push({
      Sid: 'TrustedRoles',
      Effect: 'Allow',
      Principal: { AWS: unique(spec.trustedRoleArns) },
      Action: actions,
      ...(Object.keys(common).length > 0 ? { Condition: common } : {}),
    });
  }
  (spec.accountRoots ?? []).forEach((root, i) => {
    const principal = accountRootArn(root.accountId, context.partition);
    record(principal, `accountRoots[${i}].accountId ${show(root.accountId)}`);
    statements.push({
      Sid: `AccountRoot${root.accountId}`,
      Effect: 'Allow',
      Principal: { AWS: [principal] },
      Action: actions,
      Condition: { ...common, [root.operator ?? 'ArnLike']: { 'aws:PrincipalArn': condValue(unique(root.principalArns)) } },
    });
  });
  const document: TrustPolicyDocument = { Version: POLICY_VERSION, Statement: statements };

  const findings = checkWithAnalyzer(document, config, origins);
  if (findings.length > 0) throw new TrustPolicyError(source, findings);
  return document;
}

function commonConditions(spec: TrustPolicySpec): TrustCondition {
  const equals: Record<string, string | readonly string[]> = {};
  if (spec.externalId !== undefined) equals['sts:ExternalId'] = spec.externalId;
  if (spec.principalOrgId !== undefined) equals['aws:PrincipalOrgID'] = spec.principalOrgId;
  if (spec.sessionNames) equals['sts:RoleSessionName'] = condValue(unique(spec.sessionNames));
  if (spec.sourceIdentities) equals['sts:SourceIdentity'] = condValue(unique(spec.sourceIdentities));
  const condition: Record<string, Record<string, string | readonly string[]>> = {};
  if (Object.keys(equals).length > 0) condition.StringEquals = equals;
  if (spec.mfa) {
    condition.Bool = { 'aws:MultiFactorAuthPresent': 'true' };
    condition.NumericLessThan = { 'aws:MultiFactorAuthAge': String(spec.mfa.maxAgeSeconds) };
  }
  return condition;
}

/** A principal in an account that is neither the organization's nor a declared external account. */
const untrustedAccount = (at: string, value: string, accountId: string): string =>
  `${at} ${show(value)} names account ${accountId}, which is not in the registry; trust only the identity account, the registry's accounts, or a registry external account together with externalId.`;

/**
 * Every problem with a spec, one sentence each: field, quoted value, what is allowed. The spec's own
 * shape (types, empty lists, operators, ExternalId, MFA, session-name and organization values) is
 * checked here; where each principal stands (broad, an account of ours, external, unknown) is asked of
 * the trust library (`principalStanding`). Whether an external account is bounded by sts:ExternalId is
 * left to the analyzer, which judges the built document.
 */
export function validateSpec(spec: TrustPolicySpec, context: TrustPolicyContext, config: TrustGuardConfig = guardConfig(context)): string[] {
  const problems: string[] = [];
  const accounts = accountSets(config);

  const roles = spec.trustedRoleArns;
  const roots = spec.accountRoots;
  if (roles !== undefined && roles.length === 0) {
    problems.push('trustedRoleArns [] is empty; leave it out or name the role ARNs that may assume the role.');
  }
  if (roots !== undefined && roots.length === 0) {
    problems.push('accountRoots [] is empty; leave it out or name the accounts with their principalArns.');
  }
  if (roles === undefined && roots === undefined) {
    problems.push('the spec trusts no principal; set trustedRoleArns (exact role ARNs) or accountRoots (an account narrowed by principalArns).');
  }
  if (roles !== undefined) {
    roles.forEach((arn, i) => {
      const at = `trustedRoleArns[${i}]`;
      if (typeof arn !== 'string') return void problems.push(`${at} ${show(arn)} must be a role ARN string.`);
      const pr = classifyPrincipal('AWS', arn);
      const standing = principalStanding(pr, accounts);
      if (standing === 'broad') {
        return void problems.push(
          `${at} ${show(arn)} contains a wildcard; name each role ARN exactly, or trust a family of roles with accountRoots and an ArnLike principalArns pattern.`,
        );
      }
      if (pr.kind !== 'role') {
        return void problems.push(
          `${at} ${show(arn)} is not a role ARN (arn:aws:iam::<12-digit account>:role/<name>); to trust an account root use accountRoots with principalArns.`,
        );
      }
      if (standing === 'untrusted') problems.push(untrustedAccount(at, arn, pr.accountId ?? ''));
    });
  }
  if (roots !== undefined) {
    roots.forEach((root, i) => problems.push(...rootProblems(root, `accountRoots[${i}]`, context, accounts)));
  }

  if (spec.externalId !== undefined && (typeof spec.externalId !== 'string' || !EXTERNAL_ID.test(spec.externalId))) {
    problems.push(`externalId ${show(spec.externalId)} is not a valid sts:ExternalId (2 to 1224 of letters, digits and +=,.@:/_-).`);
  }
  if (spec.mfa !== undefined) {
    const age = spec.mfa.maxAgeSeconds;
    if (typeof age !== 'number' || !Number.isInteger(age) || age < 1 || age > MFA_MAX_AGE_SECONDS) {
      problems.push(`mfa.maxAgeSeconds ${show(age)} must be a whole number of seconds from 1 to ${MFA_MAX_AGE_SECONDS} (36 hours, the longest STS session).`);
    }
  }
  if (spec.principalOrgId !== undefined) {
    if (typeof spec.principalOrgId !== 'string' || !ORGANIZATION_ID.test(spec.principalOrgId)) {
      problems.push(`principalOrgId ${show(spec.principalOrgId)} is not an AWS Organizations id ("o-" then 10 to 32 lower-case letters or digits).`);
    } else if (context.organizationId !== undefined && spec.principalOrgId !== context.organizationId) {
      problems.push(`principalOrgId ${show(spec.principalOrgId)} is not the registry's organization ${show(context.organizationId)}; use the registry's organizationId.`);
    }
  }
  problems.push(...nameListProblems('sessionNames', spec.sessionNames, 'sts:RoleSessionName'));
  problems.push(...nameListProblems('sourceIdentities', spec.sourceIdentities, 'sts:SourceIdentity'));
  if (spec.allowTagSession !== undefined && typeof spec.allowTagSession !== 'boolean') {
    problems.push(`allowTagSession ${show(spec.allowTagSession)} must be true or false.`);
  }
  return problems;
}

function rootProblems(root: AccountRootTrust, at: string, context: TrustPolicyContext, accounts: AccountSets): string[] {
  const problems: string[] = [];
  const id = root.accountId;
  const idValid = typeof id === 'string' && ACCOUNT_ID.test(id);
  if (!idValid) {
    problems.push(`${at}.accountId ${show(id)} is not a 12-digit AWS account id (keep it a string: "012345678901").`);
  } else if (principalStanding(classifyPrincipal('AWS', accountRootArn(id, context.partition)), accounts) === 'untrusted') {
    problems.push(untrustedAccount(`${at}.accountId`, id, id));
  }
  const operator = root.operator ?? 'ArnLike';
  if (operator !== 'ArnLike' && operator !== 'ArnEquals') {
    problems.push(`${at}.operator ${show(operator)} must be "ArnLike" (patterns) or "ArnEquals" (exact ARNs).`);
  }
  const example = `"arn:aws:iam::${idValid ? id : '<account>'}:role/ci/*"`;
  const arns = root.principalArns;
  if (arns === undefined || arns.length === 0) {
    problems.push(
      `${at}.principalArns ${show(arns)} must name principals: an account root alone trusts every principal of account ${show(id)} that its own IAM policies allow, so narrow it with aws:PrincipalArn (e.g. ${example}).`,
    );
    return problems;
  }
  arns.forEach((arn, j) => {
    const where = `${at}.principalArns[${j}]`;
    const pr = typeof arn === 'string' ? classifyPrincipal('AWS', arn) : undefined;
    // An ARN in a known partition: not "*", a bare account id, or a value IAM would not accept as a principal.
    if (pr === undefined || pr.kind === 'invalid' || pr.partition === undefined) {
      const why = pr?.problem === undefined ? '' : ` (it ${pr.problem})`;
      return void problems.push(`${where} ${show(arn)} is not an IAM ARN in account ${show(id)}${why}; write a role or user ARN such as ${example}.`);
    }
    if (pr.accountId !== id) {
      return void problems.push(`${where} ${show(arn)} is not in account ${show(id)}; aws:PrincipalArn must narrow to principals of the trusted account.`);
    }
    // aws:PrincipalArn is the role or user ARN (never a session), so a narrowing pattern must name roles or
    // users and start their name with a literal character: `role*`, `*role/*` or `role/*` match every role.
    if ((pr.kind !== 'role' && pr.kind !== 'user') || !namesPrincipals(arn)) {
      const every = pr.kind === 'user' || arn.includes(':user') ? 'user' : pr.kind === 'role' || arn.includes('role') ? 'role' : 'principal';
      return void problems.push(`${where} ${show(arn)} matches every ${every} of the account; narrow it to a path or name such as ${example}.`);
    }
    if (operator === 'ArnEquals' && pr.wildcard) {
      problems.push(`${where} ${show(arn)} contains a wildcard but ${at}.operator is "ArnEquals", which is for exact ARNs; use "ArnLike" for patterns.`);
    }
  });
  return problems;
}

function nameListProblems(field: string, values: readonly string[] | undefined, key: string): string[] {
  if (values === undefined) return [];
  if (values.length === 0) return [`${field} [] is empty; leave it out or list the exact ${key} values to allow.`];
  const problems: string[] = [];
  values.forEach((v, i) => {
    if (typeof v !== 'string' || !STS_NAME.test(v)) {
      problems.push(`${field}[${i}] ${show(v)} is not an exact ${key} (2 to 64 of letters, digits and +=,.@_-; no wildcards, pinning is exact).`);
    }
  });
  return problems;
}
