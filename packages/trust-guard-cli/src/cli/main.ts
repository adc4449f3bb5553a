import { checkCommand } from './check';
import { pathsCommand } from './paths';
import { EXIT_OK, EXIT_USAGE, type CliIO } from './io';
import { DEFAULT_COLLECT_CONCURRENCY, DEFAULT_CONCURRENCY, DEFAULT_SCAN_CONCURRENCY, DEFAULT_TIMEOUT_SECONDS } from '../live/pool';

export { processIO, type CliIO } from './io';

export const USAGE = `Usage: trust-guard <command> [options]

Commands:
  check FILE...   judge IAM policies in policy documents, pulumi preview --json,
                  pulumi stack export or get-account-authorization-details output
  paths SNAPSHOT  who can reach each privileged role, through which chain of role
                  assumptions, across an organization snapshot; the path rules
  doctor          check that the role chains of the account registry work (live AWS calls)
  scan --live     judge the roles and policies of live accounts
  collect --out DIR
                  write the organization snapshot (OUs, SCPs, RCPs, every account's IAM)
                  from live AWS, for trust-guard paths

Run \`trust-guard <command> --help\` for a command's options.
Exit status: 0 passed, 1 mandatory findings, 2 bad usage or unreadable input.
`;

/** Help for the live commands, printed here so `--help` works without loading the AWS SDK (pool.ts loads none). */
export const DOCTOR_USAGE = `Usage: trust-guard doctor [--account KEY]... [--bootstrap] [--registry FILE] [--endpoint URL] [--format text|json]
                          [--concurrency N] [--timeout SECONDS]

Assumes each registry account's role chain (identity hub role, then the deploy role) with the
current AWS credentials and says, for each hop that fails, why and how to fix it.

Options:
  --account KEY     check this registry account; repeat for more (default: all)
  --bootstrap       end each chain in the Organizations bootstrap role instead of the deploy
                    role: checks access before the access project has created the deploy roles
  --registry FILE   account registry (default: $TRUSTLINE_REGISTRY, else the nearest accounts.json)
  --endpoint URL    AWS endpoint override (e.g. a local emulator)
  --format FORMAT   text (default) or json
  --concurrency N   accounts worked on at once (default ${DEFAULT_CONCURRENCY}); progress goes to stderr
  --timeout SECONDS deadline for each account's calls (default ${DEFAULT_TIMEOUT_SECONDS}); a late account is
                    reported as timed out, the others still are checked
`;

export const SCAN_USAGE = `Usage: trust-guard scan --live [--account KEY]... [--config FILE] [--registry FILE] [--endpoint URL] [--format text|json]
                              [--concurrency N] [--timeout SECONDS]

Reads the roles and policies of each registry account (get-account-authorization-details through
the account's role chain) and judges them like \`trust-guard check\`. Then, from the same pages, compares
each scanned deploy role with the registry as \`trust-guard paths --declared\` does (path-undeclared,
path-guard-weaker, path-declared-dead; levels and exemptions from the config's "paths" section). It
makes no Organizations calls, so no SCP or RCP is applied, and the identity account is not read: paths
from its principals are "unknown".

Options:
  --live            required: read live accounts through AWS
  --account KEY     scan this registry account; repeat for more (default: all)
  --config FILE     trust-guard configuration (JSON), as for check; its "paths" section for the drift rules
  --registry FILE   account registry (default: $TRUSTLINE_REGISTRY, else the nearest accounts.json)
  --endpoint URL    AWS endpoint override (e.g. a local emulator)
  --format FORMAT   text (default) or json (the same schema as check, plus "drift": the body of
                    trust-guard paths --declared --format json)
  --concurrency N   accounts worked on at once (default ${DEFAULT_SCAN_CONCURRENCY}); progress goes to stderr
  --timeout SECONDS deadline for each account's calls (default ${DEFAULT_TIMEOUT_SECONDS}); a late account is
                    reported as timed out, the others still are checked

Exit status: 0 no mandatory finding, 1 at least one mandatory finding (trust or drift), 2 bad usage or
an account that could not be scanned whole (the others are still reported; JSON lists it in "errors",
summary.passed is false).
`;

export const COLLECT_USAGE = `Usage: trust-guard collect --out DIR [--role-name NAME] [--org-role ARN] [--registry FILE] [--endpoint URL]
                         [--format text|json] [--concurrency N] [--timeout SECONDS]

Writes the organization snapshot that trust-guard paths reads: DIR/organization.json (root, OUs,
accounts, SCPs and RCPs with their targets), DIR/<accountId>.json (get-account-authorization-details
of each account, plus the managed policies used only as permissions boundaries) and DIR/collect.json
(how each account was read, and every problem).

Credentials: the Organizations calls (DescribeOrganization, ListRoots, ListOrganizationalUnitsForParent,
ListAccounts, ListParents, ListPolicies, DescribePolicy, ListTargetsForPolicy) use the current AWS
credentials directly, which must belong to the management account or a delegated administrator;
with --org-role they use that role instead, assumed through the registry's hub role. Each account is
read through its registry role chain (hub role, then the deploy role); with --role-name, through the
hub role and that role in every account (a read-only audit role: iam:GetAccountAuthorizationDetails,
iam:GetPolicy, iam:GetPolicyVersion). Without --role-name the identity account is read as the hub role,
and an account the registry does not list is recorded as unreadable.

Options:
  --out DIR         the snapshot folder: new, empty, or a snapshot collect wrote before; it is replaced
                    in one rename at the end, so a failed or killed run leaves the previous one intact
  --role-name NAME  read every account through this role instead of the deploy roles
  --org-role ARN    make the Organizations calls as this role (through the hub role)
  --registry FILE   account registry (default: $TRUSTLINE_REGISTRY, else the nearest accounts.json)
  --endpoint URL    AWS endpoint override (e.g. a local emulator)
  --format FORMAT   text (default) or json (collect.json plus "out", "written", "complete", "notes")
  --concurrency N   accounts read at once (default ${DEFAULT_COLLECT_CONCURRENCY}); progress goes to stderr
  --timeout SECONDS deadline for each account's calls (default ${DEFAULT_TIMEOUT_SECONDS}); a late account is
                    recorded as unreadable (timeout), the others still are read

Exit status: 0 a complete snapshot, 1 a snapshot written with unreadable accounts or problems (each
listed, and in collect.json), 2 bad usage or nothing collected (DIR unchanged).
`;

const HELP: Record<string, string> = { doctor: DOCTOR_USAGE, scan: SCAN_USAGE, collect: COLLECT_USAGE };

type Command = (argv: string[], io: CliIO) => Promise<number>;

// doctor and scan talk to AWS through the SDK; they are required only when asked for, so `check` starts
// fast and never loads the SDK. A synchronous require keeps this working under tsx's CommonJS loader,
// which does not handle import() of .ts files.
/* eslint-disable @typescript-eslint/no-require-imports */
const COMMANDS: Record<string, () => Command> = {
  check: () => checkCommand,
  paths: () => pathsCommand,
  doctor: () => (require('../live/doctor') as { doctorCommand: Command }).doctorCommand,
  scan: () => (require('../live/scan') as { scanCommand: Command }).scanCommand,
  collect: () => (require('../live/collect') as { collectCommand: Command }).collectCommand,
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Runs one CLI invocation in-process and resolves to its exit status. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? io.stderr : io.stdout)(USAGE);
    return command === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!load) {
    io.stderr(`trust-guard: unknown command ${JSON.stringify(command)}; commands are check, paths, doctor, scan and collect.\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (Object.hasOwn(HELP, command) && rest.some((a) => a === '--help' || a === '-h')) {
    io.stdout(HELP[command]);
    return EXIT_OK;
  }
  let run: Command;
  try {
    run = load();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code !== 'MODULE_NOT_FOUND' || !String(err.message).includes(`live/${command}`)) throw e;
    io.stderr(`trust-guard: the ${command} command is not installed in this checkout (src/live/${command}.ts is missing).\n`);
    return EXIT_USAGE;
  }
  return run(rest, io);
}
