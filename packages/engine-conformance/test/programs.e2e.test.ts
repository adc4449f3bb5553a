/**
 * The programs of a workspace, run as Pulumi 3.248's nodejs language host runs them, against a
 * ResourceMonitor that records what they register; then the trust-guard pack (started as the CLI starts
 * it) judges the recorded stacks. The results are compared with `npm start -- --json`, the offline preview.
 * README.md lists the Pulumi source file each step follows.
 *
 * One program per distinct program (src/distinct.ts): the access program, the template (the first account
 * project that renders identically to the account generator's output) and every account project that
 * differs from its rendering run through the language host; the others are proven identical file by file
 * and their stacks, recorded under the mocks, are still judged by the pack over gRPC. The workspace is a
 * temporary copy holding the frozen sample registry, two accounts onboarded by the generator, and a
 * hand-edited `prod` (a project a person changed keeps its full run).
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { RecordedResource } from '@trustline/components';
import { REGISTRY_FILE } from '@trustline/registry';
import {
  countByType,
  providerChains,
  runPolicies,
  trustGuardPack,
  type EngineResource,
  type PreviewResult,
  type StackResult,
  type Violation,
} from '@trustline/offline-preview';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  EngineServer,
  PackProcess,
  analyzeRequest,
  analyzeStackRequest,
  compareWithRendering,
  loadProgram,
  mockedAnalyzerInput,
  planPrograms,
  providerRefUrn,
  reconcilePolicyPackConfig,
  recordUnderMocks,
  rendersIdentically,
  runProgram,
  summarizePlan,
  type AnalyzerInput,
  type Diagnostic,
  type ProgramRun,
  type ProgramSpec,
  type ProjectPlan,
  type RegisteredResource,
} from '../src';
import { HAND_EDITED } from './conformance-workspace';

// Built by test/workspace.setup.ts before collection: the blocks below are one per program run and per proven stack.
const workspace = inject('conformanceWorkspace');
const plans: ProjectPlan[] = planPrograms(workspace);
const template = plans.find((p) => p.role === 'template');
if (!template) throw new Error(`no account project of ${workspace} renders identically to the generator's output:\n${summarizePlan(plans)}`);
const proven = plans.filter((p) => p.role === 'identical');
const programs: ProgramSpec[] = plans.filter((p) => p.role !== 'identical').flatMap((p) => p.stacks.map((stack) => loadProgram(p.root, stack)));
console.log(summarizePlan(plans));
const label = (p: { project: string; stack: string }) => `${p.project}/${p.stack}`;
const runs = new Map<string, { preview: ProgramRun; update: ProgramRun }>();
/** Account key -> its stack recorded under the mocks (every proven stack, and the template). */
let mocked: Map<string, RecordedResource[]>;
let preview: PreviewResult;
let previewExit: number | null;
let engine: EngineServer;
let pack: PackProcess;

/** `npm start -- --json`, as a user runs it (packages/offline-preview). */
function offlinePreview(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.VITEST;
    delete env.TRUSTLINE_REGISTRY;
    const child = spawn('npm', ['start', '--silent', '--', '--json'], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Run `jobs` with at most `limit` at a time (the machine has two cores; ts-node type-checks each program). */
async function limited<T>(limit: number, jobs: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, jobs.length) }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await jobs[i]();
      }
    }),
  );
  return out;
}

/** TRUSTLINE_REGISTRY as it was before this file set it. */
const registryEnv = process.env.TRUSTLINE_REGISTRY;

beforeAll(async () => {
  // The policies judged in this process (runPolicies, the in-process engine) load the registry the way
  // the pack does, from the working directory upwards: here that would be the checkout's accounts.json.
  // They must judge against the workspace's, as the pack process and the programs started in it do.
  process.env.TRUSTLINE_REGISTRY = path.join(workspace, REGISTRY_FILE);
  engine = new EngineServer();
  await engine.start();
  const started = Date.now();
  const [offline, packProcess, recorded, programRuns] = await Promise.all([
    offlinePreview(),
    // One pack judges every stack here. The CLI starts one per `pulumi preview`, with that stack's
    // PULUMI_NODEJS_* environment; trust-guard reads the project from each resource's URN, never from
    // that environment (test/pack.e2e.test.ts checks the start itself, environment and all).
    PackProcess.start(path.join(workspace, 'policies', 'trust-guard'), engine.address, undefined),
    recordUnderMocks(workspace, [template.project, ...proven.map((p) => p.project)]),
    limited(
      2,
      programs.flatMap((p) => [() => runProgram(p, true), () => runProgram(p, false)]),
    ),
  ]);
  pack = packProcess;
  mocked = recorded;
  previewExit = offline.code;
  if (offline.code !== 0 && offline.code !== 1) throw new Error(`npm start -- --json exited ${offline.code}: ${offline.stderr}`);
  preview = JSON.parse(offline.stdout) as PreviewResult;
  programs.forEach((p, i) => runs.set(label(p), { preview: programRuns[2 * i], update: programRuns[2 * i + 1] }));
  const info = await pack.getAnalyzerInfo();
  await pack.configure(reconcilePolicyPackConfig(info.policies, info.initialConfig, {}).config);
  console.log(
    `engine-conformance: ${programs.length} program stack(s) x 2 modes, ${mocked.size} stack(s) under mocks, npm start --json and the pack in ${Date.now() - started} ms; ` +
      [...runs].map(([k, r]) => `${k} ${r.preview.millis}/${r.update.millis} ms`).join(', '),
  );
});

afterAll(async () => {
  await pack?.stop();
  await engine?.stop();
  if (registryEnv === undefined) delete process.env.TRUSTLINE_REGISTRY;
  else process.env.TRUSTLINE_REGISTRY = registryEnv;
});

const stackOf = (p: { project: string; stack: string }): StackResult => {
  const s = preview.stacks.find((x) => x.pulumiProject === p.project && x.stack === p.stack);
  if (!s) throw new Error(`npm start -- --json has no stack ${label(p)}`);
  return s;
};

/** A recorded resource as the offline preview's engine takes it (secrets unwrapped as @pulumi/policy does). */
function engineResource(r: RegisteredResource, byUrn: ReadonlyMap<string, RegisteredResource>): EngineResource {
  const p = r.provider ? byUrn.get(providerRefUrn(r.provider)) : undefined;
  return {
    type: r.type,
    name: r.name,
    urn: r.urn,
    inputs: unwrapSecrets(r.inputs) as Record<string, unknown>,
    ...(r.parent ? { parent: r.parent } : {}),
    dependencies: r.dependencies,
    propertyDependencies: r.propertyDependencies,
    ...(p ? { provider: { urn: p.urn, type: p.type, name: p.name, props: unwrapSecrets(p.inputs) as Record<string, unknown> } } : {}),
  };
}
function unwrapSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  if (o['4dabf18193072939515e22adb298388d'] === '1b47061264138c4ac30d75fd1eb44270') return unwrapSecrets(o.value);
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unwrapSecrets(x)]));
}
const engineResources = (run: ProgramRun) => run.monitor.resources.map((r) => engineResource(r, run.monitor.byUrn));

/** One finding, comparable across the gRPC pack and the offline preview. */
interface Verdict {
  readonly policy: string;
  readonly severity: string;
  readonly urn: string;
  readonly message: string;
}
const sortVerdicts = (v: Verdict[]) => [...v].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
/**
 * A diagnostic as the engine reports it (pkg/resource/deploy/analyze_snapshot.go): one from Analyze is
 * about the analyzed resource (`OnPolicyViolation(r.URN, d)`), one from AnalyzeStack about `d.URN`;
 * remediate counts as mandatory. @pulumi/policy sends `description + "\n" + message`; the offline preview
 * keeps the message alone.
 */
const fromDiagnostic = (d: Diagnostic, analyzed?: string): Verdict => ({
  policy: d.policyName,
  severity: d.enforcementLevel === 'remediate' ? 'mandatory' : d.enforcementLevel,
  urn: analyzed ?? d.urn,
  message: d.message.startsWith(`${d.description}\n`) ? d.message.slice(d.description.length + 1) : d.message,
});
const fromViolation = (v: Violation): Verdict => ({ policy: v.policyName, severity: v.enforcementLevel, urn: v.urn ?? '', message: v.message || v.description });

/** Analyze every resource in registration order, then AnalyzeStack, as the engine does for one deployment. */
async function judge(resources: readonly AnalyzerInput[]): Promise<Verdict[]> {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const out: Verdict[] = [];
  for (const r of resources) out.push(...(await pack.analyze(analyzeRequest(r, byUrn))).diagnostics.map((d) => fromDiagnostic(d, r.urn)));
  out.push(...(await pack.analyzeStack(analyzeStackRequest(resources))).diagnostics.map((d) => fromDiagnostic(d)));
  return out;
}

describe('discovery: one run per distinct program', () => {
  it('runs or proves the same stacks as npm start -- --json: the access project and every account project', () => {
    const run = programs.map((p) => `${p.project}/${p.stack}`);
    const provenStacks = proven.flatMap((p) => p.stacks.map((stack) => `${stackOfProven(p.project, stack).pulumiProject}/${stack}`));
    expect([...run, ...provenStacks].sort()).toEqual(preview.stacks.map((s) => `${s.pulumiProject}/${s.stack}`).sort());
    expect(new Set(run).size + provenStacks.length).toBe(preview.stacks.length);
    expect(programs.find((p) => p.root === workspace)).toMatchObject({ project: 'trustline-access', pwd: path.join(workspace, 'access'), main: 'index.ts' });
    expect(previewExit).toBe(preview.exitCode);
  });

  it('runs the access program, the template and the hand-edited project; proves every other account project identical', () => {
    expect(plans[0]).toMatchObject({ project: 'access', role: 'access' });
    expect(plans.find((p) => p.project === HAND_EDITED)).toMatchObject({ role: 'differs', reason: expect.stringContaining('edited index.ts') });
    const accounts = plans.filter((p) => p.role !== 'access');
    // Every account but the hand-edited one renders identically: one of them is the template, the rest are proven.
    expect(accounts.filter((p) => p.role === 'differs').map((p) => p.project)).toEqual([HAND_EDITED]);
    expect(accounts.filter((p) => p.role === 'template')).toHaveLength(1);
    expect(proven.length).toBe(accounts.length - 2);
    expect(proven.length).toBeGreaterThanOrEqual(3);
    expect(runs.size).toBe(3);
  });
});

/** npm start's result for an account project's stack, by registry key. */
function stackOfProven(key: string, stack: string): StackResult {
  const s = preview.stacks.find((x) => x.project === key && x.stack === stack);
  if (!s) throw new Error(`npm start -- --json has no stack ${key}/${stack}`);
  return s;
}

/** Checks of a stack's registrations against npm start -- --json, for a language-host run or a mock recording. */
function expectRegistrationsMatch(resources: EngineResource[], expected: StackResult, roles: { urn: string; name: string }[]): void {
  expect(expected.status).not.toBe('error');
  expect(resources.length).toBe(expected.resourceCount);
  expect(countByType(resources)).toEqual(expected.resourcesByType);
  expect(providerChains(resources)).toEqual(expected.providers);
  expect(roles).toEqual(expected.roles.map((r) => ({ urn: r.urn, name: r.name })));
}

describe.each(programs.map((p) => ({ name: label(p), p })))('$name', ({ p }) => {
  const both = () => {
    const r = runs.get(label(p));
    if (!r) throw new Error(`no run recorded for ${label(p)}`);
    return [r.preview, r.update] as const;
  };

  it('exits 0 in preview (--dry-run) and update, asking for nothing the engine lacks (sdk/nodejs/cmd/run)', () => {
    for (const run of both()) {
      const mode = run.dryRun ? 'preview' : 'update';
      expect(run.exitCode, `${label(p)} ${mode} exit code; stderr:\n${run.stderr}\nstdout:\n${run.stdout}`).toBe(0);
      expect(run.monitor.errors, `${mode} registration errors`).toEqual([]);
      expect(run.monitor.unsupported, `${mode} calls the conformance engine does not serve`).toEqual([]);
      expect(run.monitor.invokes, `${mode} invokes`).toEqual([]);
      expect(run.engine.logs.filter((l) => l.severity === 'error'), `${mode} error logs`).toEqual([]);
      expect(run.argv.slice(1, 2)[0]).toMatch(/@pulumi[\\/]pulumi[\\/]cmd[\\/]run$/);
      expect(run.argv).toContain(p.main);
      expect(run.argv.includes('--dry-run')).toBe(run.dryRun);
    }
  });

  it('registers its stack as the root resource and one tree: every parent registered first (source_eval.go, urn.go)', () => {
    for (const run of both()) {
      const rs = run.monitor.resources;
      expect(rs[0]).toMatchObject({ type: 'pulumi:pulumi:Stack', name: `${p.project}-${p.stack}`, parent: '' });
      expect(run.engine.rootResource).toBe(rs[0].urn);
      const seen = new Set<string>();
      for (const r of rs) {
        if (r !== rs[0]) expect(seen.has(r.parent), `${r.urn} parent ${r.parent}`).toBe(true);
        if (r.provider) expect(seen.has(providerRefUrn(r.provider)), `${r.urn} provider ${r.provider}`).toBe(true);
        seen.add(r.urn);
      }
    }
  });

  it('preview and update register the same resources with the same parents and providers', () => {
    const [pre, up] = both();
    const shape = (run: ProgramRun) => run.monitor.resources.map((r) => ({ urn: r.urn, type: r.type, parent: r.parent, provider: r.provider ? providerRefUrn(r.provider) : '' }));
    expect(shape(up)).toEqual(shape(pre));
  });

  it('registers what npm start -- --json reports: resources by type, providers with their role chains, roles', () => {
    for (const run of both()) {
      const roles = run.monitor.resources.filter((r) => r.type === 'aws:iam/role:Role').map((r) => ({ urn: r.urn, name: r.name }));
      expectRegistrationsMatch(engineResources(run), stackOf(p), roles);
    }
  });

  it('the pack, over gRPC, judges the recorded stack as npm start -- --json and the in-process engine do', async () => {
    const expected = stackOf(p).findings.map((f): Verdict => ({ policy: f.policy, severity: f.severity, urn: f.resource?.urn ?? '', message: f.message }));
    for (const run of both()) {
      const got = await judge(run.monitor.resources);
      expect(sortVerdicts(got), `${run.dryRun ? 'preview' : 'update'} verdicts`).toEqual(sortVerdicts(expected));
      const inProcess = (await runPolicies(engineResources(run), trustGuardPack(), { stackTags: new Map([['pulumi:project', p.project], ['pulumi:runtime', 'nodejs']]) })).map(fromViolation);
      expect(sortVerdicts(got)).toEqual(sortVerdicts(inProcess));
    }
  });
});

describe(`the hand-edited project (${HAND_EDITED}) keeps its full run`, () => {
  const stackOutputs = (project: string) => {
    const run = [...runs.values()].find((r) => r.update.spec.root === path.join(workspace, 'projects', project))?.update;
    if (!run) throw new Error(`projects/${project} was not run through the language host`);
    return run.monitor.resources[0].outputs ?? {};
  };

  it('its language-host run executed the edited file: the stack output the edit added is registered', () => {
    expect(stackOutputs(HAND_EDITED)).toMatchObject({ handEdited: 'kept by a person' });
    expect(stackOutputs(template.project)).not.toHaveProperty('handEdited');
  });
});

/** A resource's identity and wiring, comparable between a language-host run and a mock recording. */
const shapeOf = (r: AnalyzerInput) => ({ urn: r.urn, type: r.type, parent: r.parent, provider: r.provider ? providerRefUrn(r.provider) : '' });
/** What the trust-guard policies read: the inputs of providers and IAM roles. */
const judgedInputs = (rs: readonly AnalyzerInput[]) =>
  rs.filter((r) => r.type.startsWith('pulumi:providers:') || r.type === 'aws:iam/role:Role').map((r) => ({ urn: r.urn, inputs: unwrapSecrets(r.inputs) }));

describe(`the template (${template.project}) stands for every identical project`, () => {
  it('the mocks record what the language host registers: the same resources, parents and providers, the same provider and role inputs', () => {
    const run = runs.get(`${template.project}/${template.stacks[0]}`)?.update;
    if (!run) throw new Error(`the template ${template.project} was not run`);
    const recorded = (mocked.get(template.project) ?? []).map(mockedAnalyzerInput);
    expect(recorded.map(shapeOf)).toEqual(run.monitor.resources.map(shapeOf));
    expect(judgedInputs(recorded)).toEqual(judgedInputs(run.monitor.resources));
  });

  it('the pack over gRPC gives the mock recording the verdicts it gives the language-host run', async () => {
    const run = runs.get(`${template.project}/${template.stacks[0]}`)?.update;
    if (!run) throw new Error(`the template ${template.project} was not run`);
    const recorded = (mocked.get(template.project) ?? []).map(mockedAnalyzerInput);
    expect(sortVerdicts(await judge(recorded))).toEqual(sortVerdicts(await judge(run.monitor.resources)));
  });
});

describe.each(proven.flatMap((p) => p.stacks.map((stack) => ({ name: `${p.project}/${stack} (proven identical, not run)`, key: p.project, stack }))))('$name', ({ key, stack }) => {
  const resources = (): RecordedResource[] => {
    const rs = mocked.get(key);
    if (!rs) throw new Error(`no mock recording for ${key}`);
    return rs;
  };

  it(`its files are byte for byte what the account generator renders for "${key}" (program, Pulumi.yaml, stack file, tsconfig.json, package.json)`, () => {
    const comparison = compareWithRendering(workspace, key);
    expect(rendersIdentically(comparison), JSON.stringify(comparison)).toBe(true);
    expect(comparison.identical).toEqual(expect.arrayContaining(['index.ts', 'Pulumi.yaml', `Pulumi.${stack}.yaml`, 'tsconfig.json', 'package.json']));
  });

  it('under the mocks it registers what npm start -- --json reports: resources by type, providers with their role chains, roles', () => {
    const rs = resources();
    expect(rs[0]).toMatchObject({ type: 'pulumi:pulumi:Stack', urn: expect.stringContaining(`urn:pulumi:${stack}::`) });
    const roles = rs.filter((r) => r.type === 'aws:iam/role:Role').map((r) => ({ urn: r.urn, name: r.name }));
    expectRegistrationsMatch([...rs], stackOfProven(key, stack), roles);
  });

  it('the pack, over gRPC, judges its resources as npm start -- --json and the in-process engine do', async () => {
    const expectedStack = stackOfProven(key, stack);
    const expected = expectedStack.findings.map((f): Verdict => ({ policy: f.policy, severity: f.severity, urn: f.resource?.urn ?? '', message: f.message }));
    const got = await judge(resources().map(mockedAnalyzerInput));
    expect(sortVerdicts(got)).toEqual(sortVerdicts(expected));
    const inProcess = (await runPolicies(resources(), trustGuardPack(), { stackTags: new Map([['pulumi:project', expectedStack.pulumiProject], ['pulumi:runtime', 'nodejs']]) })).map(fromViolation);
    expect(sortVerdicts(got)).toEqual(sortVerdicts(inProcess));
  });
});

describe('a recorded stack with planted mistakes', () => {
  it('gets the same non-empty verdicts from the pack over gRPC and from the offline preview engine', async () => {
    const dev = programs.find((p) => p.project !== 'trustline-access');
    if (!dev) throw new Error('no account program found under projects/');
    const run = runs.get(label(dev))?.update;
    if (!run) throw new Error(`no update run for ${label(dev)}`);
    const rs = run.monitor.resources;
    const stackUrn = rs[0].urn;
    const provider = rs.find((r) => r.type === 'pulumi:providers:aws');
    if (!provider) throw new Error(`${label(dev)} registered no AWS provider`);
    const prefix = `urn:pulumi:${dev.stack}::${dev.project}::`;
    const chain = JSON.parse(provider.inputs.assumeRoles as string) as { roleArn: string }[];
    const strayProvider: RegisteredResource = {
      ...provider,
      urn: `${prefix}pulumi:providers:aws::stray`,
      name: 'stray',
      id: 'c0ffee00-0000-4000-8000-000000000002',
      inputs: { ...provider.inputs, assumeRoles: JSON.stringify(chain.map((h) => ({ ...h, duration: '2h' }))), allowedAccountIds: JSON.stringify(['999999999999']) },
    };
    const planted: RegisteredResource[] = [
      ...rs,
      strayProvider,
      {
        ...provider,
        urn: `${prefix}aws:iam/role:Role::planted`,
        type: 'aws:iam/role:Role',
        name: 'planted',
        parent: stackUrn,
        provider: `${strayProvider.urn}::${strayProvider.id}`,
        id: 'planted-id',
        inputs: {
          name: 'planted',
          assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] }),
          maxSessionDuration: 43200,
        },
      },
    ];
    const got = sortVerdicts(await judge(planted));
    const byUrn = new Map(planted.map((r) => [r.urn, r]));
    const inProcess = sortVerdicts(
      (await runPolicies(planted.map((r) => engineResource(r, byUrn)), trustGuardPack(), { stackTags: new Map([['pulumi:project', dev.project], ['pulumi:runtime', 'nodejs']]) })).map(fromViolation),
    );
    expect(got).toEqual(inProcess);
    // provider-account judges the stray provider itself at Analyze time, before any step; the stack policies are the second line.
    expect(new Set(got.map((v) => v.policy))).toEqual(
      new Set(['trust-any-principal', 'trust-max-session-duration', 'provider-account', 'stack-allowed-account-ids', 'stack-chained-session-duration']),
    );
  });
});
