import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as analyzerGrpc from '@pulumi/pulumi/proto/analyzer_grpc_pb';
import * as analyzerPb from '@pulumi/pulumi/proto/analyzer_pb';
import type * as pluginPb from '@pulumi/pulumi/proto/plugin_pb';
import type { StackConfig } from '@trustline/offline-preview';
import type { EnforcementLevel, PolicyConfig, PolicyInfo } from './policy-config';
import type { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import { emptyPb, grpc, structOf, unary } from './sdk';

/** What the engine sends ConfigureStack (pkg/engine/update.go analyzerOpts; sdk/go/common/resource/plugin/analyzer_plugin.go). */
export interface StackConfiguration {
  readonly organization: string;
  readonly project: string;
  readonly stack: string;
  readonly dryRun: boolean;
  readonly config: StackConfig;
  readonly tags?: Readonly<Record<string, string>>;
}

const LEVEL_NAME: Record<number, EnforcementLevel> = {
  [analyzerPb.EnforcementLevel.ADVISORY]: 'advisory',
  [analyzerPb.EnforcementLevel.MANDATORY]: 'mandatory',
  [analyzerPb.EnforcementLevel.DISABLED]: 'disabled',
  [analyzerPb.EnforcementLevel.REMEDIATE]: 'remediate',
};
const LEVEL_ENUM: Record<EnforcementLevel, analyzerPb.EnforcementLevel> = {
  advisory: analyzerPb.EnforcementLevel.ADVISORY,
  mandatory: analyzerPb.EnforcementLevel.MANDATORY,
  disabled: analyzerPb.EnforcementLevel.DISABLED,
  remediate: analyzerPb.EnforcementLevel.REMEDIATE,
};
export const levelName = (l: analyzerPb.EnforcementLevel): EnforcementLevel => LEVEL_NAME[l];

/** The pack's GetAnalyzerInfo answer, decoded. */
export interface AnalyzerInfo {
  readonly name: string;
  readonly version: string;
  readonly supportsConfig: boolean;
  readonly policies: readonly (PolicyInfo & { readonly description: string })[];
  readonly initialConfig: Record<string, PolicyConfig>;
}

/** One diagnostic as the engine receives it (AnalyzeDiagnostic). */
export interface Diagnostic {
  readonly policyName: string;
  readonly policyPackName: string;
  readonly policyPackVersion: string;
  readonly description: string;
  /** `description` + "\n" + the policy's message, as @pulumi/policy builds it. */
  readonly message: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly urn: string;
}

export interface AnalyzeResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly notApplicable: readonly { readonly policyName: string; readonly reason: string }[];
}

/**
 * A running policy pack, started as the nodejs language host's RunPlugin starts an analyzer
 * (sdk/nodejs/cmd/pulumi-language-nodejs/main.go RunPlugin at v3.248.0): `node <@pulumi/pulumi/cmd/
 * run-policy-pack, located from the pack dir> <engine address> <absolute pack dir>`, working directory
 * = the pack dir, environment = ours + PULUMI_NODEJS_TYPESCRIPT=true (PulumiPolicy.yaml runtime options
 * default) + what the host's PolicyProxy (sdk/policy_proxy.go) learned from ConfigureStack:
 * PULUMI_NODEJS_ORGANIZATION/PROJECT/STACK/DRY_RUN and PULUMI_CONFIG. The port is the first stdout line;
 * the proxy then forwards ConfigureStack to the pack, which this does too.
 */
export class PackProcess {
  stdout = '';
  stderr = '';
  exitCode: number | null = null;
  private constructor(
    readonly argv: readonly string[],
    readonly env: Readonly<Record<string, string>>,
    private readonly child: ChildProcess,
    readonly port: number,
    readonly client: analyzerGrpc.AnalyzerClient,
  ) {}

  static async start(packDir: string, engineAddress: string, stack: StackConfiguration | undefined, timeoutMs = 600_000): Promise<PackProcess> {
    const dir = path.resolve(packDir);
    // locateModule (main.go): node resolves the entry point from the pack's folder.
    const runPath = path.dirname(require.resolve('@pulumi/pulumi/cmd/run-policy-pack', { paths: [dir] }));
    const argv = [process.execPath, runPath, engineAddress, dir];
    const added: Record<string, string> = { PULUMI_NODEJS_TYPESCRIPT: 'true' };
    if (stack) {
      if (stack.organization) added.PULUMI_NODEJS_ORGANIZATION = stack.organization;
      added.PULUMI_NODEJS_PROJECT = stack.project;
      added.PULUMI_NODEJS_STACK = stack.stack;
      added.PULUMI_NODEJS_DRY_RUN = String(stack.dryRun);
      added.PULUMI_CONFIG = JSON.stringify(stack.config);
    }
    const env: NodeJS.ProcessEnv = { ...process.env, ...added };
    delete env.VITEST;
    delete env.NODE_OPTIONS;
    const child = spawn(argv[0], argv.slice(1), { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    // The pack serves until killed; a test runner that gives up must not leave it behind.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('close', () => process.off('exit', killOnExit));
    let stdout = '';
    let stderr = '';
    let exitCode: number | null = null;
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the pack in ${dir} printed no port within ${timeoutMs} ms (${argv.join(' ')}); stderr: ${stderr.trim() || '(empty)'}`));
      }, timeoutMs);
      child.stdout?.on('data', (d: Buffer) => {
        stdout += d.toString();
        // policy_proxy.go Attach reads it with fmt.Fscanf("%d\n").
        const m = /^(\d+)\n/.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.on('close', (code) => {
        exitCode = code;
        clearTimeout(timer);
        reject(new Error(`the pack in ${dir} exited with code ${code} before printing a port (${argv.join(' ')}); stdout: ${stdout.trim() || '(empty)'}; stderr: ${stderr.trim() || '(empty)'}`));
      });
    });
    const client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const pack = new PackProcess(argv, added, child, port, client);
    child.stdout?.on('data', (d: Buffer) => (pack.stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (pack.stderr += d.toString()));
    child.on('close', (code) => (pack.exitCode = code));
    pack.stdout = stdout;
    pack.stderr = stderr;
    pack.exitCode = exitCode;
    if (stack) await pack.configureStack(stack);
    return pack;
  }

  /** ConfigureStack, as policy_proxy.go Attach forwards it (an UNIMPLEMENTED answer is accepted there). */
  async configureStack(stack: StackConfiguration): Promise<void> {
    const req = new analyzerPb.AnalyzerStackConfigureRequest();
    req.setStack(stack.stack);
    req.setProject(stack.project);
    req.setOrganization(stack.organization);
    req.setDryRun(stack.dryRun);
    for (const [k, v] of Object.entries(stack.config)) req.getConfigMap().set(k, v);
    for (const [k, v] of Object.entries(stack.tags ?? {})) req.getTagsMap().set(k, v);
    await unary(this.client, 'configureStack', req);
  }

  async getAnalyzerInfo(): Promise<AnalyzerInfo> {
    const info = await unary<Empty, analyzerPb.AnalyzerInfo>(this.client, 'getAnalyzerInfo', new emptyPb.Empty());
    const initialConfig: Record<string, PolicyConfig> = {};
    info.getInitialconfigMap().forEach((v, k) => {
      const properties = v.getProperties()?.toJavaScript();
      initialConfig[k] = { enforcementLevel: levelName(v.getEnforcementlevel()), ...(properties && Object.keys(properties).length > 0 ? { properties } : {}) };
    });
    return {
      name: info.getName(),
      version: info.getVersion(),
      supportsConfig: info.getSupportsconfig(),
      policies: info.getPoliciesList().map((p) => {
        const schema = p.getConfigschema();
        return {
          name: p.getName(),
          description: p.getDescription(),
          enforcementLevel: levelName(p.getEnforcementlevel()),
          ...(schema
            ? { configSchema: { properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, Record<string, unknown>>, required: schema.getRequiredList() } }
            : {}),
        };
      }),
      initialConfig,
    };
  }

  async getPluginInfo(): Promise<string> {
    const info = await unary<Empty, pluginPb.PluginInfo>(this.client, 'getPluginInfo', new emptyPb.Empty());
    return info.getVersion();
  }

  /** Configure, as analyzer_plugin.go sends it: nothing when the map is empty, else every entry. */
  async configure(config: Readonly<Record<string, PolicyConfig>>): Promise<void> {
    if (Object.keys(config).length === 0) return;
    const req = new analyzerPb.ConfigureAnalyzerRequest();
    for (const [name, c] of Object.entries(config)) {
      if (c.enforcementLevel === '') throw new Error(`invalid enforcement level "" for policy ${name}`);
      const pc = new analyzerPb.PolicyConfig();
      pc.setEnforcementlevel(LEVEL_ENUM[c.enforcementLevel]);
      pc.setProperties(structOf(c.properties ?? {}));
      req.getPolicyconfigMap().set(name, pc);
    }
    await unary(this.client, 'configure', req);
  }

  async analyze(req: analyzerPb.AnalyzeRequest): Promise<AnalyzeResult> {
    return decode(await unary<analyzerPb.AnalyzeRequest, analyzerPb.AnalyzeResponse>(this.client, 'analyze', req));
  }

  async analyzeStack(req: analyzerPb.AnalyzeStackRequest): Promise<AnalyzeResult> {
    return decode(await unary<analyzerPb.AnalyzeStackRequest, analyzerPb.AnalyzeResponse>(this.client, 'analyzeStack', req));
  }

  /** Stop the pack (the engine closes the plugin by killing it) and wait for it to exit. */
  async stop(): Promise<void> {
    this.client.close();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once('close', () => resolve());
      this.child.kill('SIGKILL');
    });
  }
}

function decode(res: analyzerPb.AnalyzeResponse): AnalyzeResult {
  return {
    diagnostics: res.getDiagnosticsList().map((d) => ({
      policyName: d.getPolicyname(),
      policyPackName: d.getPolicypackname(),
      policyPackVersion: d.getPolicypackversion(),
      description: d.getDescription(),
      message: d.getMessage(),
      enforcementLevel: levelName(d.getEnforcementlevel()),
      urn: d.getUrn(),
    })),
    notApplicable: res.getNotApplicableList().map((n) => ({ policyName: n.getPolicyName(), reason: n.getReason() })),
  };
}
