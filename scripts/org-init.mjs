#!/usr/bin/env node
// npm run org:init -- --organizationId o-... --identityAccountId <12 digits> --region <region>
//   [--hubRoleName trustline-hub] [--environments dev,test,prod] [--account key:accountId:environment[:region]]...
//   [--file org.json] [--force] [--skipInstall] [--skipGraph] [--dry-run]
// Builds the organization spec from the flags (over --file when given) and runs
// `nx g @trustline/workspace-plugin:org-init --file=<spec>` (packages/workspace-plugin/src/generators/org-init).
// Every value stays the text typed: ids travel in a JSON file, never through Nx's number parsing.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const USAGE =
  'npm run org:init -- --organizationId <o-...> --identityAccountId <12 digits> --region <region> ' +
  '--account <key>:<accountId>:<environment>[:<region>] [--account ...] [--hubRoleName <role>] [--identityKey <key>] ' +
  '[--environments dev,test,prod] [--bootstrapRoleName <role>] [--file org.json] [--force] [--skipInstall] [--skipGraph] [--dry-run]';
const OPTIONS = {
  organizationId: 'the AWS Organizations id, e.g. o-a1b2c3d4e5',
  identityAccountId: 'the identity (CI/credentials) account id, 12 digits',
  identityKey: 'registry key of the identity account (default: identity)',
  region: "the identity account's region, also the default region of every account",
  hubRoleName: 'the hub role in the identity account that every deploy chains through (default: trustline-hub)',
  environments: 'comma-separated environment names (default: dev,test,prod)',
  bootstrapRoleName: 'the Organizations bootstrap role in member accounts (default: OrganizationAccountAccessRole)',
  file: 'a JSON spec with the same fields (see README "Use it for your organization"); flags override it',
};
const FLAGS = {
  force: 'also replace sample project files you edited',
  skipInstall: 'do not run npm install --package-lock-only afterwards',
  skipGraph: 'do not redraw the trust graph afterwards',
};

function fail(message) {
  console.error(`${message}\n\nUsage: ${USAGE}`);
  return 2;
}

function main(argv) {
  const spec = { account: { type: 'string', multiple: true }, 'dry-run': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } };
  for (const name of Object.keys(OPTIONS)) spec[name] = { type: 'string' };
  for (const name of Object.keys(FLAGS)) spec[name] = { type: 'boolean' };
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: spec, strict: true, allowPositionals: false }));
  } catch (e) {
    return fail(e.message);
  }
  if (values.help) {
    console.log(
      `Usage: ${USAGE}\n\n${Object.entries(OPTIONS).map(([k, d]) => `  --${k}  ${d}`).join('\n')}\n` +
        '  --account  key:accountId:environment[:region], repeatable: the first accounts\n' +
        `${Object.entries(FLAGS).map(([k, d]) => `  --${k}  ${d}`).join('\n')}\n  --dry-run  print what would change and write nothing`,
    );
    return 0;
  }
  let org = {};
  if (values.file) {
    try {
      org = JSON.parse(fs.readFileSync(path.resolve(values.file), 'utf8').replace(/^\uFEFF/, ''));
    } catch (e) {
      return fail(`--file ${values.file} cannot be read as JSON: ${e.message}`);
    }
  }
  const identity = { ...(org.identity ?? {}) };
  if (values.identityAccountId !== undefined) identity.accountId = values.identityAccountId;
  if (values.identityKey !== undefined) identity.key = values.identityKey;
  if (values.region !== undefined) identity.region = values.region;
  if (values.hubRoleName !== undefined) identity.hubRoleName = values.hubRoleName;
  org = { ...org, identity };
  if (values.organizationId !== undefined) org.organizationId = values.organizationId;
  if (values.bootstrapRoleName !== undefined) org.bootstrapRoleName = values.bootstrapRoleName;
  if (values.environments !== undefined) org.environments = values.environments.split(',').map((e) => e.trim()).filter(Boolean);
  if (values.account !== undefined) {
    const accounts = [];
    for (const text of values.account) {
      const [key, accountId, environment, region, ...rest] = text.split(':');
      if (!key || !accountId || rest.length > 0) {
        return fail(`--account ${JSON.stringify(text)} must be key:accountId[:environment[:region]], e.g. --account web-dev:123456789012:dev.`);
      }
      accounts.push({ key, accountId, ...(environment ? { environment } : {}), ...(region ? { region } : {}) });
    }
    org.accounts = [...(org.accounts ?? []), ...accounts];
  }
  const missing = [
    ...(org.organizationId === undefined ? ['--organizationId is required: the AWS Organizations id, e.g. --organizationId o-a1b2c3d4e5.'] : []),
    ...(identity.accountId === undefined ? ['--identityAccountId is required: the identity account id, e.g. --identityAccountId 123456789012.'] : []),
    ...(identity.region === undefined ? ["--region is required: the identity account's region, e.g. --region eu-west-1."] : []),
    ...(!Array.isArray(org.accounts) || org.accounts.length === 0 ? ['--account is required at least once: key:accountId:environment[:region], e.g. --account web-dev:123456789012:dev.'] : []),
  ];
  if (missing.length > 0) return fail(missing.join('\n'));

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-org-'));
  const file = path.join(dir, 'org.json');
  fs.writeFileSync(file, `${JSON.stringify(org, null, 2)}\n`);
  try {
    const args = ['g', '@trustline/workspace-plugin:org-init', '--no-interactive', `--file=${file}`];
    for (const name of Object.keys(FLAGS)) if (values[name]) args.push(`--${name}`);
    if (values['dry-run'] || process.env.npm_config_dry_run === 'true') args.push('--dry-run');
    const result = spawnSync('bash', [path.join(ROOT, 'scripts/nx.sh'), ...args], { cwd: ROOT, stdio: 'inherit' });
    if (result.error) {
      console.error(`Could not run Nx: ${result.error.message}`);
      return 1;
    }
    return result.status ?? 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = main(process.argv.slice(2));
