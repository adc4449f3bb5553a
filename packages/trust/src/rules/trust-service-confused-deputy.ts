import type { FindingSink } from '../context';
import type { NormalizedPrincipal, NormalizedStatement } from '../model';
import { defineRule } from './rule';
import { principalJson } from '../principals';

export const trustServiceConfusedDeputy = defineRule({
  id: 'trust-service-confused-deputy',
  description: 'A service principal without an exact aws:SourceAccount or aws:SourceArn condition (confused deputy).',
  defaultEnforcement: 'advisory',
  exemptable: true,
  broad: false,
  emittedBy: ['analyzeTrustPolicy'],
  fix: 'Add "StringEquals": {"aws:SourceAccount": "<your account id>"} or an exact "aws:SourceArn".',
});

/**
 * Services whose roles are only handed over with iam:PassRole (execution roles, instance profiles):
 * no other account can make the service act with them, so a missing SourceAccount is informational.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
const PASS_ROLE_ONLY = new Set([
  'ec2.amazonaws.com',
  'lambda.amazonaws.com',
  'edgelambda.amazonaws.com',
  'ecs-tasks.amazonaws.com',
  'eks.amazonaws.com',
  'eks-fargate-pods.amazonaws.com',
  'eks-pods.amazonaws.com',
  // EKS Pod Identity: the role reaches pods only through an association made with iam:PassRole.
  // https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html
  'pods.eks.amazonaws.com',
]);

/**
 * Reports a service principal granted sts:AssumeRole with no exact aws:SourceAccount / aws:SourceArn of
 * ours (the caller checked those bounds): informational for PassRole-only services and service-linked roles.
 */
export function reportServiceWithoutSource(s: NormalizedStatement, pr: NormalizedPrincipal, serviceLinked: boolean, out: FindingSink): void {
  const passRoleOnly = PASS_ROLE_ONLY.has(pr.name ?? '') || serviceLinked;
  const why = passRoleOnly
    ? ' This service only receives the role through iam:PassRole (or the role is service-linked), so the risk is low.'
    : ' Another account can make the service act with this role (confused deputy).';
  const fix = trustServiceConfusedDeputy.fix;
  out.add(trustServiceConfusedDeputy.id, `Principal::${pr.ref}`, s.index, pr.ref, `Service principal ${principalJson(pr)} is trusted without an exact aws:SourceAccount or aws:SourceArn condition.${why} ${fix}`, fix, passRoleOnly);
}
