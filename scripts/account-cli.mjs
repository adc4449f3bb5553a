// Shared by scripts/account-add.mjs and scripts/account-remove.mjs: parse the npm script's raw argv
// (every value stays the exact text the user typed) and run the workspace plugin's generator through
// scripts/nx.sh, so Nx runs offline and the generator refuses or writes exactly as `nx g` would.
// Nx turns number-like text into numbers (`1e11` -> 100000000000) before the generator sees it, so the
// account id is also handed over as the typed text in $TRUSTLINE_RAW_ACCOUNT_ID, which Nx cannot convert.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Read first by the account generator (packages/workspace-plugin/src/generators/account/plan.ts). */
export const RAW_ACCOUNT_ID_ENV = 'TRUSTLINE_RAW_ACCOUNT_ID';

/** Boolean flags every account generator takes, each accepted camel- or kebab-case. */
const COMMON_FLAGS = {
  skipInstall: 'do not run npm install --package-lock-only afterwards',
  skipGraph: 'do not redraw the trust graph (npm start -- --graph) afterwards',
};
const kebab = (name) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * @param {object} command
 * @param {string} command.generator  generator name in @trustline/workspace-plugin
 * @param {string} command.usage      one-line usage shown on --help and on bad flags
 * @param {Record<string, string>} command.options  option name -> description (all take a value)
 * @param {Record<string, string>} command.required option name -> what it is, with an example, for the
 *                                   error when it is missing (checked here, before Nx starts)
 * @param {Record<string, string>} [command.flags] extra boolean flags of this generator (name -> description)
 * @param {string[]} argv             process.argv.slice(2)
 * @returns {number} exit code
 */
export function runGenerator({ generator, usage, options, required, flags = {} }, argv) {
  const FLAGS = { ...COMMON_FLAGS, ...flags };
  const spec = { 'dry-run': { type: 'boolean' }, dryRun: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } };
  for (const name of Object.keys(options)) spec[name] = { type: 'string' };
  for (const name of Object.keys(FLAGS)) spec[name] = spec[kebab(name)] = { type: 'boolean' };
  // Unknown options first, in our words: Node's parseArgs text ("To specify a positional argument
  // starting with a '-', ...") suggests a fix that is wrong here. A lenient pass finds them all.
  const allowed = [...Object.keys(options), 'dry-run', ...Object.keys(FLAGS).map(kebab), 'help'].map((n) => `--${n}`);
  const unknown = parseArgs({ args: argv, options: spec, strict: false, allowPositionals: true, tokens: true })
    .tokens.filter((t) => t.kind === 'option' && !Object.hasOwn(spec, t.name))
    .map((t) => t.rawName);
  if (unknown.length > 0) {
    const list = [...new Set(unknown)].map((o) => JSON.stringify(o)).join(', ');
    console.error(`unknown option${new Set(unknown).size > 1 ? 's' : ''} ${list}; allowed: ${allowed.join(', ')}.\n\nUsage: ${usage}`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: spec, strict: true, allowPositionals: true });
  } catch (e) {
    console.error(`${e.message}\n\nUsage: ${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(`Usage: ${usage}\n\n${Object.entries(options).map(([k, d]) => `  --${k}  ${d}`).join('\n')}\n${Object.entries(FLAGS).map(([k, d]) => `  --${k}  ${d}`).join('\n')}\n  --dry-run  print what would change and write nothing`);
    return 0;
  }
  if (positionals.length > 1 || (positionals.length === 1 && values.name !== undefined)) {
    console.error(`Unexpected argument(s) ${positionals.map((p) => JSON.stringify(p)).join(', ')}.\n\nUsage: ${usage}`);
    return 2;
  }
  if (positionals.length === 1) values.name = positionals[0];
  const missing = Object.entries(required).filter(([name]) => values[name] === undefined);
  if (missing.length > 0) {
    console.error(`${missing.map(([name, what]) => `--${name} is required: ${what}.`).join('\n')}\n\nUsage: ${usage}`);
    return 2;
  }
  // `npm run account:add --dry-run` (forgetting `--`) hands the flag to npm, which exports it as
  // npm_config_dry_run; honour it rather than writing when the user asked for a preview.
  const dryRun = values['dry-run'] || values.dryRun || process.env.npm_config_dry_run === 'true';

  // `--key=value` in one argv element, so a value starting with `-` is never read as a flag. The
  // generator's schema leaves accountId untyped, so Nx keeps `012345678901` text (see schema.json); any
  // other number-like text Nx converts, and the generator reads $TRUSTLINE_RAW_ACCOUNT_ID instead.
  const args = ['g', `@trustline/workspace-plugin:${generator}`, '--no-interactive'];
  for (const name of Object.keys(options)) {
    if (values[name] !== undefined) args.push(`--${name}=${values[name]}`);
  }
  for (const name of Object.keys(FLAGS)) {
    if (values[name] || values[kebab(name)]) args.push(`--${name}`);
  }
  if (dryRun) args.push('--dry-run');
  // The typed text, never a value inherited from the caller's shell.
  const env = { ...process.env };
  delete env[RAW_ACCOUNT_ID_ENV];
  if (typeof values.accountId === 'string') env[RAW_ACCOUNT_ID_ENV] = values.accountId;
  const result = spawnSync('bash', [path.join(ROOT, 'scripts/nx.sh'), ...args], { cwd: ROOT, stdio: 'inherit', env });
  if (result.error) {
    console.error(`Could not run Nx: ${result.error.message}`);
    return 1;
  }
  return result.status ?? 1;
}
