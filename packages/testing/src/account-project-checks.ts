import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { RecordedResource } from '@trustline/components';
import { AWS_PROVIDER_TYPE, CHAINED_SESSION_MAX_SECONDS, hopSessionName, newUrn, providerHopDuration } from '@trustline/registry';
import { isObj } from '@trustline/trust';
import { parse } from 'yaml';

/**
 * What one account project must be and do. Each project's test writes these out as literals (copied
 * from accounts.json when the project was generated) rather than computing them from the registry or
 * the components: a check that derived its expectations from the code under test could never fail.
 */
export interface AccountProjectExpectations {
  /** The registry key; also the Pulumi project, stack and provider name. */
  readonly key: string;
  /** The 12-digit id the provider must be pinned to (`allowedAccountIds`). */
  readonly accountId: string;
  /** The stack's `aws:region` and the provider's region. */
  readonly region: string;
  /** The `trustline:environment` default tag. */
  readonly environment: string;
  /** The deploy hop's `sts:ExternalId`; write `undefined` out when the account has none. */
  readonly externalId: string | undefined;
  /** First hop: the identity account's hub role. */
  readonly hubRoleArn: string;
  /** Second hop: the account's deploy role. */
  readonly deployRoleArn: string;
  /** Type tokens of every `aws:` resource the program registers, in registration order. */
  readonly awsResourceTypes: readonly string[];
  /** The stack outputs, exactly. */
  readonly outputs: Readonly<Record<string, unknown>>;
}

/** A project's `Pulumi.yaml` and `Pulumi.<key>.yaml`, parsed. */
export interface ProjectFiles {
  /** The file names, as problems quote them. */
  readonly projectFileName: string;
  readonly stackFileName: string;
  readonly projectFile: unknown;
  readonly stackFile: unknown;
}

/**
 * Every chained hop asks for the registry's chained-session cap (AWS caps a session assumed with
 * role-chaining credentials at one hour), written as the provider's Go duration. The cap, the duration
 * form and the hop session names (`hopSessionName`) are rules the registry owns and its own tests pin,
 * not something a project chooses, so the check reads them from there; what a project does choose
 * (account, region, role ARNs) stays literal in its test.
 */
const CHAINED_HOP_DURATION = providerHopDuration(CHAINED_SESSION_MAX_SECONDS);

/** The URN of the one AWS provider an account project deploys through: named after the account. */
export function accountProviderUrn(key: string): string {
  return newUrn(key, key, undefined, AWS_PROVIDER_TYPE, key);
}

/** JSON for messages; `undefined` has no JSON form. */
const show = (value: unknown): string => (value === undefined ? 'undefined' : JSON.stringify(value));

/** Reads and parses `Pulumi.yaml` and `Pulumi.<key>.yaml` from a project folder; a missing or broken file throws a sentence naming it. */
export function readProjectFiles(dir: string, key: string): ProjectFiles {
  const read = (name: string): unknown => {
    const file = path.join(dir, name);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`Cannot read ${file}: ${(error as Error).message}. Every account project has Pulumi.yaml and Pulumi.${key}.yaml.`);
    }
    try {
      return parse(text) as unknown;
    } catch (error) {
      throw new Error(`${file} is not valid YAML: ${(error as Error).message}`);
    }
  };
  const projectFileName = 'Pulumi.yaml';
  const stackFileName = `Pulumi.${key}.yaml`;
  return { projectFileName, stackFileName, projectFile: read(projectFileName), stackFile: read(stackFileName) };
}

/**
 * The stack's own config as the program sees it: engine-level `pulumi:` keys are not program config,
 * and non-string values reach the program JSON-encoded, as `pulumi up` passes them.
 */
export function programConfig(stackFile: unknown): Record<string, string> {
  const config = isObj(stackFile) && isObj(stackFile.config) ? stackFile.config : {};
  return Object.fromEntries(
    Object.entries(config)
      .filter(([k]) => !k.startsWith('pulumi:'))
      .map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  );
}

/** Problems with `Pulumi.yaml` (a TypeScript project named after the account, default providers off for every stack) and the stack file (region, no override). */
export function checkProjectFiles(files: ProjectFiles, expected: AccountProjectExpectations): string[] {
  const problems: string[] = [];
  const { projectFile, stackFile, projectFileName, stackFileName } = files;

  if (!isObj(projectFile)) {
    problems.push(`${projectFileName} is ${show(projectFile)}, not a mapping; it must set name, runtime and main.`);
  } else {
    if (projectFile.name !== expected.key) {
      problems.push(`${projectFileName} sets name ${show(projectFile.name)}; the project is named after its account: ${show(expected.key)}.`);
    }
    const runtime = projectFile.runtime;
    if (!isObj(runtime) || runtime.name !== 'nodejs' || !isObj(runtime.options) || runtime.options.typescript !== true) {
      problems.push(`${projectFileName} sets runtime ${show(runtime)}; an account project is TypeScript: {"name":"nodejs","options":{"typescript":true}}.`);
    }
    if (projectFile.main !== 'index.ts') {
      problems.push(`${projectFileName} sets main ${show(projectFile.main)}; the program is "index.ts".`);
    }
    // Project-level, so it holds for every stack even without a stack file (Pulumi merges Pulumi.yaml
    // `config` values into each stack's config: sdk/go/common/workspace/config.go at v3.248.0).
    const projectConfig = isObj(projectFile.config) ? projectFile.config : {};
    const disabled = projectConfig['pulumi:disable-default-providers'];
    if (!isObj(disabled) || !isDeepStrictEqual(disabled.value, ['aws'])) {
      problems.push(
        `${projectFileName} sets pulumi:disable-default-providers ${show(disabled)}; it must be {"value":["aws"]} (project-level, for every stack), so a resource that forgets { provider } fails instead of deploying with the caller's credentials.`,
      );
    }
  }

  const config = isObj(stackFile) ? stackFile.config : undefined;
  if (!isObj(config)) {
    problems.push(`${stackFileName} has config ${show(config)}, not a mapping; it must set aws:region.`);
    return problems;
  }
  if (config['aws:region'] !== expected.region) {
    problems.push(`${stackFileName} sets aws:region ${show(config['aws:region'])}; the account's region is ${show(expected.region)}.`);
  }
  const override = config['pulumi:disable-default-providers'];
  if (override !== undefined && !isDeepStrictEqual(override, ['aws'])) {
    problems.push(
      `${stackFileName} sets pulumi:disable-default-providers ${show(override)}, which overrides Pulumi.yaml's ["aws"]; remove it from the stack file, so a resource that forgets { provider } fails instead of deploying with the caller's credentials.`,
    );
  }
  return problems;
}

/** The inputs the account's provider must have: hub role, then deploy role, pinned to the account, tagged. */
export function expectedProviderProps(expected: AccountProjectExpectations): Record<string, unknown> {
  const { key, accountId, region, environment, externalId, hubRoleArn, deployRoleArn } = expected;
  return {
    region,
    allowedAccountIds: [accountId],
    assumeRoles: [
      { roleArn: hubRoleArn, sessionName: hopSessionName('hub', key), duration: CHAINED_HOP_DURATION },
      {
        roleArn: deployRoleArn,
        sessionName: hopSessionName('deploy', key),
        duration: CHAINED_HOP_DURATION,
        ...(externalId !== undefined ? { externalId } : {}),
      },
    ],
    defaultTags: { tags: { 'trustline:account': key, 'trustline:environment': environment, 'managed-by': 'trustline' } },
    // Defaults the aws.Provider class adds to every provider it registers.
    skipCredentialsValidation: false,
    skipRegionValidation: true,
  };
}

/** Problems with the program's AWS providers: exactly one, named after the account, with {@link expectedProviderProps}. */
export function checkProvider(resources: readonly RecordedResource[], expected: AccountProjectExpectations): string[] {
  const urn = accountProviderUrn(expected.key);
  const providers = resources.filter((r) => r.type === AWS_PROVIDER_TYPE);
  if (providers.length !== 1 || providers[0].urn !== urn) {
    const found = providers.length === 0 ? 'no AWS provider' : `${providers.length} AWS provider(s) (${providers.map((p) => p.urn).join(', ')})`;
    const problems = [`The program registers ${found}; an account project deploys through exactly one, ${urn}.`];
    const provider = providers.find((p) => p.urn === urn);
    return provider ? [...problems, ...propsProblems(provider, expected)] : problems;
  }
  return propsProblems(providers[0], expected);
}

function propsProblems(provider: RecordedResource, expected: AccountProjectExpectations): string[] {
  const want = expectedProviderProps(expected);
  const keys = [...new Set([...Object.keys(want), ...Object.keys(provider.props)])].sort();
  const problems: string[] = [];
  for (const k of keys) {
    const actual = provider.props[k];
    if (isDeepStrictEqual(actual, want[k])) continue;
    if (!(k in want)) problems.push(`AWS provider "${provider.name}" sets ${k} ${show(actual)}, which an account provider does not set.`);
    else if (!(k in provider.props)) problems.push(`AWS provider "${provider.name}" does not set ${k}; it must be ${show(want[k])}.`);
    else problems.push(`AWS provider "${provider.name}" sets ${k} ${show(actual)}; it must be ${show(want[k])}.`);
  }
  return problems;
}

/** Items of `a` left over after taking out those of `b`, one for one. */
function without(a: readonly string[], b: readonly string[]): string[] {
  const rest = [...b];
  return a.filter((x) => {
    const i = rest.indexOf(x);
    if (i === -1) return true;
    rest.splice(i, 1);
    return false;
  });
}

/** Problems with the program's AWS resources: the expected types in order, each managed by the account's provider. */
export function checkAwsResources(resources: readonly RecordedResource[], expected: AccountProjectExpectations): string[] {
  const problems: string[] = [];
  const urn = accountProviderUrn(expected.key);
  const aws = resources.filter((r) => r.type.startsWith('aws:'));
  const types = aws.map((r) => r.type);
  if (!isDeepStrictEqual(types, [...expected.awsResourceTypes])) {
    const missing = without(expected.awsResourceTypes, types);
    const extra = without(types, expected.awsResourceTypes);
    const detail =
      missing.length === 0 && extra.length === 0
        ? 'the same types in another order'
        : [missing.length ? `missing ${show(missing)}` : '', extra.length ? `unexpected ${show(extra)}` : ''].filter(Boolean).join(', ');
    problems.push(`The program registers AWS resources ${show(types)}; expected ${show(expected.awsResourceTypes)} in this order (${detail}).`);
  }
  for (const r of aws) {
    if (r.provider === undefined) {
      problems.push(`${r.type} "${r.name}" (${r.urn}) has no provider, so it would deploy through a default provider with whatever credentials run Pulumi; pass { provider } to it or to its component.`);
    } else if (r.provider.urn !== urn) {
      problems.push(`${r.type} "${r.name}" (${r.urn}) is managed by ${r.provider.urn}; it must go through the account's provider ${urn}.`);
    }
  }
  return problems;
}

/** Problems with the stack outputs: exactly the expected keys and values. */
export function checkOutputs(outputs: Readonly<Record<string, unknown>>, expected: AccountProjectExpectations): string[] {
  const want = expected.outputs;
  const keys = [...new Set([...Object.keys(want), ...Object.keys(outputs)])].sort();
  const problems: string[] = [];
  for (const k of keys) {
    if (isDeepStrictEqual(outputs[k], want[k])) continue;
    if (!(k in want)) problems.push(`The stack exports ${k} = ${show(outputs[k])}, which the test does not expect; add it to the expected outputs or stop exporting it.`);
    else if (!(k in outputs)) problems.push(`The stack does not export ${k}; it must export ${show(want[k])}.`);
    else problems.push(`The stack exports ${k} = ${show(outputs[k])}; it must export ${show(want[k])}.`);
  }
  return problems;
}
