#!/usr/bin/env node
'use strict';
/**
 * Loads a Pulumi TypeScript program the way the Pulumi CLI 3.248's Node.js language host does: ts-node
 * registered with exactly the option set `@pulumi/pulumi/cmd/run/run.js` builds (CommonJS branch, lines
 * "const options = { compiler, transpileOnly, project, skipProject, compilerOptions: {} }" and
 * "options.compilerOptions = { target: "ES2020", module: "nodenext", moduleResolution: "nodenext",
 * sourceMap: "true", ...compilerOptions }"), where compilerOptions are the tsconfig's own, read without
 * following `extends` (`@pulumi/pulumi/tsutils.js` loadTypeScriptCompilerOptions). Those modules are not
 * exported, so the option set is replicated here; the cwd is the program folder, as the host sets it.
 * The program then runs under the SDK's public mocks (pulumi.runtime.setMocks) inside runInPulumiStack.
 *
 * Usage (cwd = the folder holding Pulumi.yaml): node run-as-pulumi-cli.cjs <main> <project> <stack> [<config JSON>]
 * Env: PULUMI_NODEJS_TSCONFIG_PATH (Pulumi.yaml runtime option `tsconfig`), as the host passes it.
 * Prints one JSON line: {"resources": ["<type>::<name>", ...]}. Exit 1 with the error on stderr otherwise.
 */
const fs = require('node:fs');
const path = require('node:path');

async function main() {
  const [mainFile, project, stack, configJson] = process.argv.slice(2);
  if (!mainFile || !project || !stack) throw new Error('usage: run-as-pulumi-cli.cjs <main> <project> <stack> [<config JSON>]');

  // run.js: tsconfig path, skipProject, and the tsconfig's own compilerOptions (no `extends`).
  const tsConfigPath = process.env.PULUMI_NODEJS_TSCONFIG_PATH ?? 'tsconfig.json';
  const skipProject = !fs.existsSync(tsConfigPath);
  const ts = require('typescript');
  let compilerOptions = {};
  try {
    compilerOptions = ts.parseConfigFileTextToJson(tsConfigPath, fs.readFileSync(tsConfigPath).toString()).config.compilerOptions ?? {};
  } catch {
    compilerOptions = {};
  }
  const transpileOnlyEnv = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
  const options = {
    compiler: 'typescript',
    transpileOnly: transpileOnlyEnv ? transpileOnlyEnv === 'true' : compilerOptions.noCheck,
    project: tsConfigPath,
    skipProject,
    compilerOptions: { target: 'ES2020', module: 'nodenext', moduleResolution: 'nodenext', sourceMap: 'true', ...compilerOptions },
  };
  require('ts-node').register(options);

  const pulumi = require('@pulumi/pulumi');
  const resources = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        resources.push(`${args.type}::${args.name}`);
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => {
        throw new Error(`the program called ${args.token}; invokes are not mocked here.`);
      },
    },
    project,
    stack,
    true,
  );
  pulumi.runtime.setAllConfig(configJson ? JSON.parse(configJson) : {});
  const program = path.resolve(mainFile);
  await pulumi.runtime.runInPulumiStack(async () => require(program));
  await pulumi.runtime.disconnect();
  process.stdout.write(`${JSON.stringify({ resources })}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e && e.stack ? e.stack : String(e)}\n`);
  process.exit(1);
});
