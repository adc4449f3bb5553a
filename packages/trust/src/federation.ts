import { hasWildcard, likeMatches, operatorWeakness } from './conditions';
import type { NormalizedPrincipal, NormalizedStatement } from './model';
import { quote } from './normalize';

/**
 * Web identity and SAML federation: which claims bound the caller, per provider.
 * GitHub: https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
 * IAM keys: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif
 */

export interface FederationProblem {
  readonly reason: string;
  readonly fix: string;
  /** True for a risk that depends on what the role may do (Cognito guest identities). */
  readonly informational: boolean;
}

/** Returns why `value` does not pin a subject, or undefined when it does. */
type SubjectCheck = (value: string) => string | undefined;

interface Profile {
  readonly label: string;
  /** Claim that must be pinned (sub), or undefined when the audience alone identifies the app. */
  readonly subject?: { readonly claim: string; readonly check: SubjectCheck; readonly example: string };
  /** Claims whose exact numeric value pins the subject as well (GitHub's repository_id, repository_owner_id). */
  readonly numericSubjects?: readonly string[];
  readonly audience?: { readonly claim: string; readonly example: string };
}

const WILD = /[*?]/;

/** `<prefix><owner>/<rest>`: owner must be exact and followed by "/" before any wildcard. */
function ownerPathCheck(prefix: string, what: string, other: string): SubjectCheck {
  return (v) => {
    if (v === '*' || v === '?') return `matches every ${other}`;
    if (!v.toLowerCase().startsWith(prefix)) {
      return WILD.test(v.slice(0, prefix.length)) ? `matches every ${other}` : `names no ${what}, so any ${other} can present it`;
    }
    const rest = v.slice(prefix.length);
    const wild = rest.search(WILD);
    if (wild < 0) return undefined;
    if (wild === 0) return `has a wildcard owner, so a ${other} of any account matches`;
    const slash = rest.indexOf('/');
    if (slash < 0 || slash > wild) {
      const owner = rest.slice(0, wild);
      return `has no "/" after the owner, so it also matches other owners such as "${owner}-evil"`;
    }
    return undefined;
  };
}

const githubSub = ownerPathCheck('repo:', 'repository', 'repository');
const gitlabSub = ownerPathCheck('project_path:', 'project path', 'GitLab project');

const terraformSub: SubjectCheck = (v) => {
  if (!v.startsWith('organization:')) return WILD.test(v.slice(0, 13)) ? 'matches every Terraform Cloud organization' : 'names no Terraform Cloud organization';
  const rest = v.slice(13);
  const wild = rest.search(WILD);
  if (wild < 0) return undefined;
  const colon = rest.indexOf(':');
  if (colon < 0 || colon > wild) return wild === 0 ? 'matches every Terraform Cloud organization' : `has no ":" after the organization, so it also matches organizations such as "${rest.slice(0, wild)}-evil"`;
  return undefined;
};

const eksSub: SubjectCheck = (v) => {
  const prefix = 'system:serviceaccount:';
  if (!v.startsWith(prefix)) return WILD.test(v.slice(0, prefix.length)) ? 'matches every service account of the cluster' : 'names no Kubernetes service account';
  const rest = v.slice(prefix.length);
  const colon = rest.indexOf(':');
  const wild = rest.search(WILD);
  if (colon < 0 || (wild >= 0 && wild < colon)) return 'has a wildcard namespace, so service accounts of any namespace match';
  return undefined;
};

const genericSub: SubjectCheck = (v) => (v === '' || v[0] === '*' || v[0] === '?' ? 'matches any subject' : undefined);

const GITHUB: Profile = {
  label: 'GitHub Actions',
  subject: { claim: 'sub', check: githubSub, example: 'repo:acme/infra:ref:refs/heads/main' },
  numericSubjects: ['repository_id', 'repository_owner_id'],
};
const GITLAB: Profile = { label: 'GitLab', subject: { claim: 'sub', check: gitlabSub, example: 'project_path:acme/infra:ref_type:branch:ref:main' } };
const TERRAFORM: Profile = { label: 'Terraform Cloud', subject: { claim: 'sub', check: terraformSub, example: 'organization:acme:project:infra:workspace:prod:run_phase:apply' } };
const EKS: Profile = { label: 'EKS IRSA', subject: { claim: 'sub', check: eksSub, example: 'system:serviceaccount:payments:api' } };
const COGNITO: Profile = { label: 'Cognito', audience: { claim: 'aud', example: 'eu-west-1:11111111-2222-3333-4444-555555555555' } };
const GOOGLE: Profile = { label: 'Google', audience: { claim: 'aud', example: '123456789012-abc.apps.googleusercontent.com' } };
const FACEBOOK: Profile = { label: 'Facebook', audience: { claim: 'app_id', example: '123456789012345' } };
const AMAZON: Profile = { label: 'Login with Amazon', audience: { claim: 'app_id', example: 'amzn1.application-oa2-client.abc' } };
const GENERIC: Profile = { label: 'OIDC', subject: { claim: 'sub', check: genericSub, example: '<the exact subject of the workload>' } };
/** Judged by {@link circleciProblem}: the issuer names one organization, so aud = that id pins the tenant. */
const CIRCLECI: Profile = { label: 'CircleCI' };
const CIRCLECI_PREFIX = 'oidc.circleci.com/org/';
/** Judged by {@link spaceliftProblem}: the issuer is one Spacelift account, so aud = that host pins the tenant. */
const SPACELIFT: Profile = { label: 'Spacelift' };
/**
 * A Spacelift account's issuer, `<account>.app.spacelift.io`: "the URL of your Spacelift account, for example
 * https://demo.app.spacelift.io ... unique for each Spacelift account", and aud is that hostname
 * (https://docs.spacelift.io/integrations/cloud-providers/oidc, "Standard claims"). No wildcard: a pattern
 * names no one account.
 */
const SPACELIFT_HOST = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.app\.spacelift\.io$/i;
/**
 * Spacelift's subject: `space:<space_id>:(stack|module):<stack_id|module_id>:run_type:<run_type>:scope:<read|write>`
 * (https://docs.spacelift.io/integrations/cloud-providers/oidc, "Standard claims"; ids are slugs, without
 * ":"). A value pins a workload when it fixes the space (`space:production:*`) or a stack or module
 * (`*:stack:oidc-is-awesome:*`, the AWS guide's own example:
 * https://docs.spacelift.io/integrations/cloud-providers/oidc/aws-oidc). The segment must follow ":" or the
 * start, so `*stack:x:*` (which a stack named `evilstack` could end in) pins nothing.
 */
const spaceliftSub: SubjectCheck = (v) =>
  /^space:[^:*?]+:/.test(v) || /(?:^|:)(?:stack|module):[^:*?]+(?::|$)/.test(v)
    ? undefined
    : 'pins neither a space nor a stack or module (the subject is space:<space>:stack:<stack>:run_type:<type>:scope:<read|write>), so every run of the Spacelift account matches';

/** One row of the issuer table: what pins the tenant, what pins the workload, and what the analyzer requires. */
export interface IssuerInfo {
  readonly issuer: string;
  readonly label: string;
  /** Claims (or the issuer itself) that limit tokens to one customer of a shared service. */
  readonly tenant: string;
  /** Claims that limit tokens to one workload (repository, project, service account) of that customer. */
  readonly workload: string;
  /** What a trust policy must pin for the analyzer to accept it. */
  readonly required: string;
}

/**
 * The issuers the analyzer knows. Shared issuers (GitHub, GitLab.com, Terraform Cloud, Cognito, Google)
 * sign tokens for every customer, so a claim must pin the customer; tenant-specific issuers (CircleCI's
 * per-organization URL, an EKS cluster's URL) are one customer already.
 * GitHub: https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect
 * CircleCI: https://circleci.com/docs/openid-connect-tokens/ (issuer and aud are the organization id)
 * Spacelift: https://docs.spacelift.io/integrations/cloud-providers/oidc (issuer and aud are the account's host)
 * Terraform Cloud: https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/aws-configuration
 * EKS: https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
 * Cognito: https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html
 */
export const ISSUERS: readonly IssuerInfo[] = [
  {
    issuer: 'token.actions.githubusercontent.com',
    label: 'GitHub Actions',
    tenant: 'nothing: shared by every GitHub user',
    workload: 'sub `repo:<owner>/<repo>:...`, or repository_id / repository_owner_id',
    required: 'sub with an exact owner followed by "/" (or an exact numeric repository_id / repository_owner_id)',
  },
  { issuer: 'gitlab.com', label: 'GitLab', tenant: 'nothing: shared (a self-managed GitLab host is judged the same way)', workload: 'sub `project_path:<group>/<project>:...`', required: 'sub with an exact group followed by "/"' },
  { issuer: 'app.terraform.io', label: 'Terraform Cloud', tenant: 'nothing: shared', workload: 'sub `organization:<org>:project:...:workspace:...`', required: 'sub with an exact organization followed by ":"' },
  {
    issuer: 'oidc.circleci.com/org/<organization-id>',
    label: 'CircleCI',
    tenant: 'the issuer itself (one organization); aud is that organization id',
    workload: 'sub `org/<organization-id>/project/<project-id>/user/<user-id>`',
    required: 'aud equal to the organization id in the issuer, or sub under `org/<organization-id>/`',
  },
  {
    issuer: '<account>.app.spacelift.io',
    label: 'Spacelift',
    tenant: 'the issuer itself (one Spacelift account); aud is that hostname',
    workload: 'sub `space:<space>:stack:<stack>:run_type:<type>:scope:<scope>` (`module:<module>` for a module)',
    required: 'aud equal to the issuer host, and sub with an exact space or an exact stack or module',
  },
  {
    issuer: 'oidc.eks.<region>.amazonaws.com/id/<cluster-id>',
    label: 'EKS IRSA',
    tenant: 'the issuer itself (one cluster)',
    workload: 'sub `system:serviceaccount:<namespace>:<name>`',
    required: 'sub with an exact namespace',
  },
  { issuer: 'cognito-identity.amazonaws.com', label: 'Cognito', tenant: 'aud (the identity pool id)', workload: 'amr (authenticated or guest)', required: 'exact aud; amr "unauthenticated" is informational' },
  { issuer: 'accounts.google.com', label: 'Google', tenant: 'aud (the OAuth client id)', workload: 'sub (the Google account)', required: 'exact aud' },
  { issuer: 'graph.facebook.com, www.amazon.com', label: 'Facebook, Login with Amazon', tenant: 'app_id', workload: 'sub', required: 'exact app_id' },
  { issuer: 'any other issuer', label: 'OIDC', tenant: 'unknown', workload: 'sub', required: 'sub not starting with a wildcard' },
];

function profileOf(provider: string): Profile {
  if (provider === 'token.actions.githubusercontent.com' || provider.startsWith('token.actions.githubusercontent.com/')) return GITHUB;
  if (provider.startsWith(CIRCLECI_PREFIX) && provider.length > CIRCLECI_PREFIX.length && !WILD.test(provider)) return CIRCLECI;
  // Before GitLab's loose match: a Spacelift account may be called "gitlab".
  if (SPACELIFT_HOST.test(provider)) return SPACELIFT;
  if (provider === 'gitlab.com' || provider.includes('gitlab')) return GITLAB;
  if (provider === 'app.terraform.io') return TERRAFORM;
  if (provider.startsWith('oidc.eks.')) return EKS;
  if (provider === 'cognito-identity.amazonaws.com') return COGNITO;
  if (provider === 'accounts.google.com') return GOOGLE;
  if (provider === 'graph.facebook.com') return FACEBOOK;
  if (provider === 'www.amazon.com') return AMAZON;
  return GENERIC;
}

export const providerLabel = (pr: NormalizedPrincipal): string => (pr.kind === 'saml' ? 'SAML' : profileOf(pr.name ?? '').label);

interface ClaimVerdict {
  bound: boolean;
  present: boolean;
  reason: string | undefined;
}

/** Whether some condition on `key` pins it: an operator that can narrow, and every (ORed) value passes `check`. */
function claim(s: NormalizedStatement, key: string, check: SubjectCheck): ClaimVerdict {
  const v: ClaimVerdict = { bound: false, present: false, reason: undefined };
  for (const c of s.conditions) {
    if (c.key !== key) continue;
    v.present = true;
    const weak = operatorWeakness(c);
    if (weak !== undefined) {
      v.reason ??= `the condition ${c.operator} ${key} does not pin it: ${weak}`;
      continue;
    }
    let bad: string | undefined;
    for (const value of c.values) {
      const why = check(value);
      if (why !== undefined) {
        bad = `${key} value ${quote(value)} ${why}`;
        break;
      }
    }
    if (bad === undefined) {
      v.bound = true;
      return v;
    }
    v.reason ??= c.values.length > 1 ? `${bad} (values are ORed, so one loose value opens the role)` : bad;
  }
  return v;
}

const exact: SubjectCheck = (v) => (hasWildcard(v) ? 'is a wildcard' : v === '' ? 'is empty' : undefined);
const numeric: SubjectCheck = (v) => (/^\d+$/.test(v) ? undefined : 'is not an exact numeric id');

/**
 * Why a federated principal is not bounded in statement `s`, or undefined when its audience and
 * subject are pinned.
 */
export function federationProblem(s: NormalizedStatement, pr: NormalizedPrincipal): FederationProblem | undefined {
  if (pr.kind === 'saml') {
    const aud = claim(s, 'saml:aud', exact);
    if (aud.bound) return undefined;
    return {
      reason: aud.reason ?? 'there is no SAML:aud condition, so assertions addressed to other service providers are accepted',
      fix: 'Add "StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}.',
      informational: false,
    };
  }
  const provider = pr.name ?? '';
  const profile = profileOf(provider);
  const prefix = provider + ':';
  if (profile === CIRCLECI) return circleciProblem(s, provider, prefix);
  if (profile === SPACELIFT) return spaceliftProblem(s, provider, prefix);
  if (s.conditions.length === 0) {
    return {
      reason: 'the statement has no condition at all, so any token this provider issues can assume the role',
      fix: fixFor(profile, prefix),
      informational: false,
    };
  }
  if (profile.audience !== undefined) {
    const aud = claim(s, prefix + profile.audience.claim, exact);
    if (!aud.bound) {
      return { reason: aud.reason ?? `there is no ${prefix}${profile.audience.claim} condition, so tokens issued to any application are accepted`, fix: fixFor(profile, prefix), informational: false };
    }
  }
  if (profile.subject !== undefined) {
    const sub = claim(s, prefix + profile.subject.claim, profile.subject.check);
    if (!sub.bound) {
      for (const n of profile.numericSubjects ?? []) {
        if (claim(s, prefix + n, numeric).bound) return undefined;
      }
      return { reason: sub.reason ?? `there is no ${prefix}${profile.subject.claim} condition, so every ${profile.label} workload can assume the role`, fix: fixFor(profile, prefix), informational: false };
    }
  }
  if (profile === COGNITO) {
    const amr = prefix + 'amr';
    // A pattern such as "unauth*" or "*" admits guests as surely as the literal value does.
    const guest = s.conditions.some(
      (c) => c.key === amr && !c.negated && c.values.some((v) => v.toLowerCase() === 'unauthenticated' || (c.baseOperator === 'StringLike' && likeMatches(v.toLowerCase(), 'unauthenticated'))),
    );
    if (guest) {
      return {
        reason: `${amr} admits "unauthenticated" guest identities of the pool`,
        fix: `Keep this role's permissions minimal, or require "ForAnyValue:StringLike": {"${amr}": "authenticated"}.`,
        informational: true,
      };
    }
  }
  return undefined;
}

/**
 * CircleCI's issuer is per organization and its audience is that organization's id, so either claim
 * pinned to the id in the issuer keeps tokens of other organizations out.
 */
function circleciProblem(s: NormalizedStatement, provider: string, prefix: string): FederationProblem | undefined {
  const org = provider.slice(CIRCLECI_PREFIX.length);
  const aud = claim(s, prefix + 'aud', (v) => (v === org ? undefined : `is not the organization id "${org}" of the issuer`));
  if (aud.bound) return undefined;
  const sub = claim(s, prefix + 'sub', (v) => (v.startsWith(`org/${org}/`) ? undefined : `is not under "org/${org}/"`));
  if (sub.bound) return undefined;
  return {
    reason:
      aud.reason ??
      sub.reason ??
      (s.conditions.length === 0 ? 'the statement has no condition at all, so any token this provider issues can assume the role' : `there is no ${prefix}aud or ${prefix}sub condition naming the organization`),
    fix: `Pin "${prefix}aud" with StringEquals to "${org}", and "${prefix}sub" to "org/${org}/project/<project-id>/*" to admit one project.`,
    informational: false,
  };
}

/**
 * Spacelift's issuer is one Spacelift account and its audience is that account's host, so aud pinned to the
 * host bounds the tenant; the subject must still pin a space, stack or module, since one account runs many
 * stacks (the AWS guide calls the aud-only trust "very relaxed": any stack or module of the account).
 */
function spaceliftProblem(s: NormalizedStatement, provider: string, prefix: string): FederationProblem | undefined {
  const fix = `Pin "${prefix}aud" with StringEquals to "${provider}", and "${prefix}sub" to one space or stack (e.g. "space:<space>:*" or "*:stack:<stack>:*").`;
  if (s.conditions.length === 0) return { reason: 'the statement has no condition at all, so any token this provider issues can assume the role', fix, informational: false };
  const aud = claim(s, prefix + 'aud', (v) => (v.toLowerCase() === provider.toLowerCase() ? undefined : `is not the Spacelift account's host "${provider}"`));
  if (!aud.bound) return { reason: aud.reason ?? `there is no ${prefix}aud condition, so tokens issued to any audience are accepted`, fix, informational: false };
  const sub = claim(s, prefix + 'sub', spaceliftSub);
  if (!sub.bound) return { reason: sub.reason ?? `there is no ${prefix}sub condition, so every stack and module of the Spacelift account can assume the role`, fix, informational: false };
  return undefined;
}

function fixFor(profile: Profile, prefix: string): string {
  const parts: string[] = [];
  if (profile.audience !== undefined) parts.push(`"${prefix}${profile.audience.claim}" with StringEquals (e.g. "${profile.audience.example}")`);
  if (profile.subject !== undefined) parts.push(`"${prefix}${profile.subject.claim}" to the exact workload (e.g. "${profile.subject.example}")`);
  let fix = `Pin ${parts.join(' and ')}`;
  if (profile.numericSubjects !== undefined) fix += `, or pin ${profile.numericSubjects.map((n) => `"${prefix}${n}"`).join(' or ')} with StringEquals`;
  return fix + '.';
}
