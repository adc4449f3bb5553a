import type { CodeResource } from '@trustline/paths';
import type { PreviewPaths } from './paths';
import { relativeTo, type ProjectSpec } from './workspace';

/**
 * The result of an offline preview. `renderJson` prints exactly this object; its shape is the documented
 * JSON schema (packages/offline-preview/README.md). Fields are only ever added under schemaVersion 1;
 * removing or changing one bumps the version. Timings are left out so the JSON of an unchanged workspace
 * is byte-for-byte the same from run to run.
 */
export interface PreviewResult {
  readonly schemaVersion: 1;
  /** Absolute path of the previewed workspace. */
  readonly workspace: string;
  /** The registry file, relative to the workspace (`accounts.json`). */
  readonly registry: string;
  /** One entry per project run, access first, then accounts by key (or in --project order). */
  readonly stacks: readonly StackResult[];
  readonly summary: PreviewSummary;
  /**
   * The code graph: who can reach each deploy role and privileged role through what the programs declare,
   * and the path rules' findings; the body of `trust-guard paths --format json` (README "Who can reach prod").
   */
  readonly paths: PreviewPaths;
  /** 0 no mandatory finding (stack or path), 1 a mandatory finding, 2 a program could not be loaded or run. */
  readonly exitCode: 0 | 1 | 2;
}

export interface PreviewSummary {
  readonly stacks: number;
  readonly resources: number;
  readonly mandatory: number;
  readonly advisory: number;
  /** Projects whose program could not be loaded or run. */
  readonly errors: number;
  /** Mandatory findings of the path rules on the code graph (`paths.findings`). */
  readonly pathMandatory: number;
  readonly pathAdvisory: number;
}

export interface StackResult {
  /** `access` or the registry account key (= Nx project name). */
  readonly project: string;
  /** Pulumi project name from Pulumi.yaml. */
  readonly pulumiProject: string;
  readonly stack: string;
  /** Program entry file, relative to the workspace. */
  readonly program: string;
  /** The account the stack deploys into (the identity account for the access project). */
  readonly accountId: string;
  /** `passed`: no mandatory finding; `failed`: at least one; `error`: the program or a policy could not run. */
  readonly status: 'passed' | 'failed' | 'error';
  /** Set when status is `error`: the cause, naming the project and program. */
  readonly error?: string;
  readonly resourceCount: number;
  /** Resource type token to count, sorted by type. */
  readonly resourcesByType: Readonly<Record<string, number>>;
  readonly providers: readonly ProviderChain[];
  /** IAM roles of the stack and who may assume them (the trust graph's input). */
  readonly roles: readonly RoleTrust[];
  /** Mandatory findings first, then advisory; within each, in the order the pack reported them. */
  readonly findings: readonly PreviewFinding[];
  /** The stack's IAM registrations for the code graph; taken off before the result is returned (not in the JSON). */
  readonly iam?: readonly CodeResource[];
}

/** The result for a project whose program (or a policy) failed: the message names the project, program and cause. */
export function failedStack(workspace: string, project: ProjectSpec, cause: unknown): StackResult {
  const program = relativeTo(workspace, project.programFile);
  return {
    project: project.key,
    pulumiProject: project.pulumiProject,
    stack: project.stack,
    program,
    accountId: project.accountId,
    status: 'error',
    error: `offline-preview: project "${project.key}" (${program}) failed: ${cause instanceof Error ? cause.message : String(cause)}`,
    resourceCount: 0,
    resourcesByType: {},
    providers: [],
    roles: [],
    findings: [],
  };
}

export interface PreviewFinding {
  /** The trust rule id (`trust-any-principal`) or, for findings that are not a trust rule, the policy name. */
  readonly ruleId: string;
  /** The pack policy that reported it. */
  readonly policy: string;
  readonly severity: 'mandatory' | 'advisory';
  readonly message: string;
  /** How to fix it, when the rule or policy says so separately from the message; else null. */
  readonly fix: string | null;
  /** The resource it is about, or null for a stack-level finding. */
  readonly resource: (StackResourceRef & { readonly type: string }) | null;
}

/** A resource of a stack, as the result names it. */
export interface StackResourceRef {
  readonly urn: string;
  /** Logical (Pulumi) name. */
  readonly name: string;
}

/** One `sts:AssumeRole` hop of a provider, as the preview prints it. */
export interface ChainHop {
  readonly roleArn: string;
  /** Account of the role, or null when the ARN is not an IAM role ARN. */
  readonly accountId: string | null;
  /** Whether the hop passes an `sts:ExternalId` (the value itself is never printed). */
  readonly externalId: boolean;
  readonly sessionName: string | null;
  /** Session duration in seconds, or null when the hop does not set one (STS default: one hour). */
  readonly durationSeconds: number | null;
}

/** One AWS provider of a stack: which roles it assumes, into which account. */
export interface ProviderChain extends StackResourceRef {
  /** The provider's `region`, or null when it sets none or it is not known during preview. */
  readonly region: string | null;
  /** The provider's `allowedAccountIds`; empty when it sets none or they cannot be read. */
  readonly allowedAccountIds: readonly string[];
  /** The role chain, first hop first, as trust-guard reads it from `assumeRoles` (or `assumeRole`). */
  readonly hops: readonly ChainHop[];
  /** Account of the last hop (where resources land), or null when unknown. */
  readonly accountId: string | null;
  /** How many resources this provider manages. */
  readonly resources: number;
  /** Why the chain could not be read (unknown or malformed assumeRoles), if it could not. */
  readonly problem?: string;
}

/** One IAM role of a stack and the edges of its trust policy. */
export interface RoleTrust extends StackResourceRef {
  /** IAM role name (the `name` input, else the logical name). */
  readonly roleName: string;
  /** The account the role is created in (its provider's chain end), or null when unknown. */
  readonly accountId: string | null;
  /** The role's ARN (from account, `path` and name), or null when the account is unknown. */
  readonly arn: string | null;
  readonly edges: readonly TrustEdgeView[];
}

/** One "who may assume this role" edge, as the trust library reports it. */
export interface TrustEdgeView {
  /** `AWS::arn:aws:iam::012345678901:role/trustline-hub`, `Service::ec2.amazonaws.com`, `*`. */
  readonly principal: string;
  readonly kind: string;
  readonly accountId: string | null;
  readonly actions: readonly string[];
  /** Condition labels (`ExternalId`, `MFA`, `org`, ...). */
  readonly conditions: readonly string[];
  readonly broad: boolean;
  readonly ruleIds: readonly string[];
}
