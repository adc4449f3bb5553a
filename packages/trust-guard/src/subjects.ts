import { containsUnknown, unwrapProxy } from './unknown';
import { isObj } from '@trustline/trust';

/** Whether a document says who may assume a role (trust) or what its holder may do (identity). */
export type SubjectKind = 'trust' | 'identity';

/**
 * One policy document to judge, with the resource it belongs to. Every input trust-guard reads (a Pulumi
 * resource in the policy pack, `pulumi preview --json`, `pulumi stack export`,
 * `aws iam get-account-authorization-details`, a live scan) is turned into a list of these.
 */
export interface Subject {
  /** Where the subject was read from: an input file path, or a label such as `account 111111111111`. */
  readonly source: string;
  /** Logical name of the resource (Pulumi resource name, IAM role/user/group/policy name). */
  readonly name: string;
  /** Pulumi URN or IAM ARN, when there is one. */
  readonly urn?: string;
  /** Pulumi type token (`aws:iam/role:Role`) or CloudFormation-style IAM type (`AWS::IAM::Role`). */
  readonly type: string;
  readonly kind: SubjectKind;
  /** Where in the resource the document sits: `assumeRolePolicy`, `inlinePolicies[0].policy`, ... */
  readonly location: string;
  /** The policy document: JSON text, a parsed object, or URL-encoded JSON (as IAM APIs return it). */
  readonly document: unknown;
  /** The role's MaxSessionDuration in seconds, on trust subjects of roles that set it. */
  readonly maxSessionDuration?: number;
  /** The role is service-linked (path `/aws-service-role/`): AWS owns its trust policy. */
  readonly serviceLinked?: boolean;
  /** Set when the document is not known yet (a preview of a value computed from another resource). */
  readonly unknown?: boolean;
}

/** The resource a subject belongs to, as Pulumi (or the input file) names it. */
export interface SubjectResource {
  readonly source: string;
  readonly type: string;
  readonly name: string;
  readonly urn?: string;
}

/** The input that holds the trust policy, per IAM role resource type. */
export const TRUST_POLICY_FIELD: Readonly<Record<string, string>> = {
  'aws:iam/role:Role': 'assumeRolePolicy',
  'aws-native:iam:Role': 'assumeRolePolicyDocument',
};

/** Pulumi resource types whose trust or identity documents trust-guard reads. */
export const ROLE_TYPES: readonly string[] = Object.keys(TRUST_POLICY_FIELD);
export const IDENTITY_POLICY_TYPES: readonly string[] = [
  'aws:iam/policy:Policy',
  'aws:iam/rolePolicy:RolePolicy',
  'aws:iam/userPolicy:UserPolicy',
  'aws:iam/groupPolicy:GroupPolicy',
];

/** Path of service-linked roles. https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html */
export const SERVICE_ROLE_PATH = '/aws-service-role/';


/**
 * The subjects of one Pulumi resource from its inputs (`props`). Resources of other types yield none.
 * A role's trust policy always yields a subject, so an absent one is reported by the analyzer as
 * malformed; a document that is not known yet yields a subject marked `unknown`, so the caller reports
 * it instead of passing it silently. Emptied inline policies (`inlinePolicies: [{}]`) yield none.
 */
export function resourceSubjects(resource: SubjectResource, rawProps: unknown): Subject[] {
  const props = unwrapProxy(rawProps);
  if (!isObj(props)) return [];
  const base = { source: resource.source, name: resource.name, type: resource.type, ...(resource.urn ? { urn: resource.urn } : {}) };
  const subject = (kind: SubjectKind, location: string, document: unknown, extra: Partial<Subject> = {}): Subject => ({
    ...base,
    kind,
    location,
    document,
    ...extra,
    ...(containsUnknown(document) ? { unknown: true } : {}),
  });

  const location = TRUST_POLICY_FIELD[resource.type];
  if (location !== undefined) {
    const native = resource.type === 'aws-native:iam:Role';
    const duration = props.maxSessionDuration;
    const serviceLinked = typeof props.path === 'string' && props.path.startsWith(SERVICE_ROLE_PATH);
    const out: Subject[] = [
      subject('trust', location, props[location], {
        ...(typeof duration === 'number' && !containsUnknown(duration) ? { maxSessionDuration: duration } : {}),
        ...(serviceLinked ? { serviceLinked } : {}),
      }),
    ];
    const inline = native ? props.policies : props.inlinePolicies;
    if (Array.isArray(inline)) {
      inline.forEach((p, i) => {
        if (!isObj(p)) return;
        const field = native ? 'policyDocument' : 'policy';
        if (p[field] === undefined || p[field] === '') return;
        out.push(subject('identity', `${native ? 'policies' : 'inlinePolicies'}[${i}].${field}`, p[field]));
      });
    }
    return out;
  }
  if (IDENTITY_POLICY_TYPES.includes(resource.type)) {
    return [subject('identity', 'policy', props.policy)];
  }
  return [];
}
