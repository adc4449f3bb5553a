import { ProblemsError, problemLines, show } from '@trustline/contract';
import { EXTERNAL_ID, registryTrustView, partitionOf, type AccountRegistry } from '@trustline/registry';
import {
  ACCOUNT_ID,
  ORGANIZATION_ID,
  accountIdProblem,
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
export class TrustPolicyError extends ProblemsError {
  constructor(source: string, problems: readonly string[]) {
    super(source, problems, `${source}: the trust policy was refused with ${problemLines(problems)}`);
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
  const review = reviewSpec(spec, context, config);
  if (review.problems.length === 0) {
    const { document, origins } = buildDocument(spec, context, () => true);
    const findings = checkWithAnalyzer(document, config, origins);
    if (findings.length > 0) throw new TrustPolicyError(source, findings);
    return document;
  }
  // When only some principal entries are wrong, the analyzer still judges the others (a third party
  // without externalId, say), so that one error lists everything; a spec whose own shape is wrong
  // elsewhere (conditions, empty lists) is refused on that alone.
  const problems = [...review.problems];
  if (review.problems.length === review.entryProblems) {
    const { document, origins } = buildDocument(spec, context, (field) => ![...review.faulty].some((f) => f === field || f.startsWith(`${field}[`)));
    if (document.Statement.length > 0) problems.push(...checkWithAnalyzer(document, config, origins));
  }
  throw new TrustPolicyError(source, problems);
}

/**
 * The document for `spec`, with the principals and narrowings whose field `keep` accepts
 * (`trustedRoleArns[0]`, `accountRoots[1].accountId`, `accountRoots[1].principalArns`), and where each
 * principal came from: its ref (as findings name it) -> the spec field.
 */
function buildDocument(spec: TrustPolicySpec, context: TrustPolicyContext, keep: (at: string) => boolean): { document: TrustPolicyDocument; origins: Map<string, PrincipalOrigin> } {
  const actions = ['sts:AssumeRole'];
  if (spec.sourceIdentities) actions.push('sts:SetSourceIdentity');
  if (spec.allowTagSession) actions.push('sts:TagSession');

  const common = commonConditions(spec);
  const statements: TrustPolicyStatement[] = [];
  const origins = new Map<string, PrincipalOrigin>();
  /** The first field that names a principal is the one its findings name. */
  const record = (principal: string, subject: string): void => {
    const pr = classifyPrincipal('AWS', principal);
    if (!origins.has(pr.ref)) origins.set(pr.ref, { subject, accountId: pr.accountId ?? '' });
  };
  const roles = (spec.trustedRoleArns ?? []).filter((arn, i) => keep(`trustedRoleArns[${i}]`) && (record(arn, `trustedRoleArns[${i}] ${show(arn)}`), true));
  if (roles.length > 0) {
    statements.push({
      Sid: 'TrustedRoles',
      Effect: 'Allow',
      Principal: { AWS: unique(roles) },
      Action: actions,
      ...(Object.keys(common).length > 0 ? { Condition: common } : {}),
    });
  }
  (spec.accountRoots ?? []).forEach((root, i) => {
    const at = `accountRoots[${i}]`;
    if (!keep(`${at}.accountId`)) return;
    const principal = accountRootArn(root.accountId, context.partition);
    record(principal, `${at}.accountId ${show(root.accountId)}`);
    // A partial document (see buildTrustPolicy) leaves out a narrowing with problems: only mandatory findings
    // about the principal are asked for, and a trusted root without narrowing is advisory.
    const narrowing = keep(`${at}.principalArns`) && keep(`${at}.operator`) ? { [root.operator ?? 'ArnLike']: { 'aws:PrincipalArn': condValue(unique(root.principalArns)) } } : {};
    const condition = { ...common, ...narrowing };
    statements.push({
      Sid: `AccountRoot${root.accountId}`,
      Effect: 'Allow',
      Principal: { AWS: [principal] },
      Action: actions,
      ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
    });
  });
  return { document: { Version: POLICY_VERSION, Statement: statements }, origins };
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
  return reviewSpec(spec, context, config).problems;
}

/** {@link validateSpec}'s problems, and the principal fields that have some (`trustedRoleArns[0]`, `accountRoots[1].accountId`, `accountRoots[1].principalArns[0]`). */
interface SpecReview {
  readonly problems: string[];
  readonly faulty: Set<string>;
  /** How many of the problems belong to one principal entry. */
  readonly entryProblems: number;
}

function reviewSpec(spec: TrustPolicySpec, context: TrustPolicyContext, config: TrustGuardConfig): SpecReview {
  const problems: string[] = [];
  const faulty = new Set<string>();
  let entryProblems = 0;
  const entryProblem = (at: string, problem: string): void => {
    problems.push(problem);
    faulty.add(at);
    entryProblems++;
  };
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
      if (typeof arn !== 'string') return entryProblem(at, `${at} ${show(arn)} must be a role ARN string.`);
      const pr = classifyPrincipal('AWS', arn);
      const standing = principalStanding(pr, accounts);
      if (standing === 'broad') {
        return entryProblem(at, `${at} ${show(arn)} contains a wildcard; name each role ARN exactly, or trust a family of roles with accountRoots and an ArnLike principalArns pattern.`);
      }
      if (pr.kind !== 'role') {
        return entryProblem(at, `${at} ${show(arn)} is not a role ARN (arn:aws:iam::<12-digit account>:role/<name>); to trust an account root use accountRoots with principalArns.`);
      }
      if (standing === 'untrusted') entryProblem(at, untrustedAccount(at, arn, pr.accountId ?? ''));
    });
  }
  if (roots !== undefined) {
    roots.forEach((root, i) => rootProblems(root, `accountRoots[${i}]`, context, accounts, entryProblem));
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
  return { problems, faulty, entryProblems };
}

/** Reports each problem of one account-root entry against the field it is about (`<at>.accountId`, `<at>.principalArns`, ...). */
function rootProblems(root: AccountRootTrust, at: string, context: TrustPolicyContext, accounts: AccountSets, report: (field: string, problem: string) => void): void {
  const id = root.accountId;
  const idValid = typeof id === 'string' && ACCOUNT_ID.test(id);
  if (!idValid) {
    report(`${at}.accountId`, accountIdProblem(`${at}.accountId`, id));
  } else if (principalStanding(classifyPrincipal('AWS', accountRootArn(id, context.partition)), accounts) === 'untrusted') {
    report(`${at}.accountId`, untrustedAccount(`${at}.accountId`, id, id));
  }
  const operator = root.operator ?? 'ArnLike';
  if (operator !== 'ArnLike' && operator !== 'ArnEquals') {
    report(`${at}.operator`, `${at}.operator ${show(operator)} must be "ArnLike" (patterns) or "ArnEquals" (exact ARNs).`);
  }
  const example = `"arn:aws:iam::${idValid ? id : '<account>'}:role/ci/*"`;
  const arns = root.principalArns;
  if (arns === undefined || arns.length === 0) {
    report(
      `${at}.principalArns`,
      `${at}.principalArns ${show(arns)} must name principals: an account root alone trusts every principal of account ${show(id)} that its own IAM policies allow, so narrow it with aws:PrincipalArn (e.g. ${example}).`,
    );
    return;
  }
  arns.forEach((arn, j) => {
    const where = `${at}.principalArns[${j}]`;
    const pr = typeof arn === 'string' ? classifyPrincipal('AWS', arn) : undefined;
    // An ARN in a known partition: not "*", a bare account id, or a value IAM would not accept as a principal.
    if (pr === undefined || pr.kind === 'invalid' || pr.partition === undefined) {
      const why = pr?.problem === undefined ? '' : ` (it ${pr.problem})`;
      return report(where, `${where} ${show(arn)} is not an IAM ARN in account ${show(id)}${why}; write a role or user ARN such as ${example}.`);
    }
    if (pr.accountId !== id) {
      return report(where, `${where} ${show(arn)} is not in account ${show(id)}; aws:PrincipalArn must narrow to principals of the trusted account.`);
    }
    // aws:PrincipalArn is the role or user ARN (never a session), so a narrowing pattern must name roles or
    // users and start their name with a literal character: `role*`, `*role/*` or `role/*` match every role.
    if ((pr.kind !== 'role' && pr.kind !== 'user') || !namesPrincipals(arn)) {
      const every = pr.kind === 'user' || arn.includes(':user') ? 'user' : pr.kind === 'role' || arn.includes('role') ? 'role' : 'principal';
      return report(where, `${where} ${show(arn)} matches every ${every} of the account; narrow it to a path or name such as ${example}.`);
    }
    if (operator === 'ArnEquals' && pr.wildcard) {
      report(where, `${where} ${show(arn)} contains a wildcard but ${at}.operator is "ArnEquals", which is for exact ARNs; use "ArnLike" for patterns.`);
    }
  });
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
