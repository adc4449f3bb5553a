import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { IAMClient, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { CollectReport, Organization } from '@trustline/paths';
import { collectCommand, pathsCommand, type CollectDeps } from '@trustline/trust-guard-cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminIam,
  asAdmin,
  AUDIT_ROLE,
  captureIO,
  DEPLOY_ROLE,
  generateOrganization,
  HUB_ROLE,
  hubPolicy,
  isolatedEnv,
  MANAGEMENT_ACCOUNT,
  startMoto,
  type ExpectedIam,
  type ExpectedPrincipal,
  type GeneratedOrganization,
  type MotoServer,
  whileHubTrustsOnlyCi,
  writeGeneratorSnapshot,
} from '../src';
import { awsError, intercept } from './intercept';

// Five member accounts spread over the four leaf OUs (dev, prod, sandbox, quarantine, dev again), plus the
// management account, which is also the registry's identity account.
const MEMBERS = 5;

let moto: MotoServer;
let org: GeneratedOrganization;
let tmp: string;

beforeAll(async () => {
  moto = await startMoto();
  org = await generateOrganization(moto.endpoint, MEMBERS);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-collect-it-'));
}, 120_000);

afterAll(async () => {
  await moto?.stop();
  org?.cleanup();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const env = () => isolatedEnv({ TRUSTLINE_REGISTRY: org.registryFile, AWS_ACCESS_KEY_ID: org.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: org.credentials.secretAccessKey });
const member = (i: number) => org.registry.accounts.find((a) => a.key === `member-${i}`)?.accountId ?? '';

async function collect(out: string, extra: string[] = [], deps: CollectDeps = {}) {
  const io = captureIO(env(), tmp);
  const code = await collectCommand(['--out', out, '--endpoint', moto.endpoint, '--format', 'json', ...extra], io, deps);
  return { code, result: io.out() ? JSON.parse(io.out()) : undefined, err: io.err() };
}

// ---- reading a written snapshot back, in the generator's terms (documents as objects, lists sorted) ----

type Gaad = { RoleDetailList: any[]; UserDetailList: any[]; GroupDetailList: any[]; Policies: any[] };
/** A document as GAAD returns it: URL-encoded JSON text, plain JSON text (moto's trust documents), or an object. */
const decode = (d: unknown): unknown => (typeof d === 'string' ? JSON.parse(d.trimStart().startsWith('{') ? d : decodeURIComponent(d)) : d);
const inline = (list: any[] | undefined) => Object.fromEntries((list ?? []).map((p) => [p.PolicyName, decode(p.PolicyDocument)]));
const managed = (list: any[] | undefined) => (list ?? []).map((p) => p.PolicyArn as string).sort();

function iamOf(gaad: Gaad): ExpectedIam {
  const byName = (list: any[], key: string, f: (x: any) => ExpectedPrincipal) => Object.fromEntries(list.map((x) => [x[key], f(x)]));
  return {
    roles: byName(gaad.RoleDetailList, 'RoleName', (r) => ({
      name: r.RoleName,
      path: r.Path,
      trust: decode(r.AssumeRolePolicyDocument),
      inline: inline(r.RolePolicyList),
      managed: managed(r.AttachedManagedPolicies),
      ...(r.PermissionsBoundary?.PermissionsBoundaryArn ? { boundary: r.PermissionsBoundary.PermissionsBoundaryArn } : {}),
      tags: Object.fromEntries((r.Tags ?? []).map((t: any) => [t.Key, t.Value])),
    })),
    users: byName(gaad.UserDetailList, 'UserName', (u) => ({ name: u.UserName, path: u.Path, inline: inline(u.UserPolicyList), managed: managed(u.AttachedManagedPolicies), groups: [...u.GroupList].sort() })),
    groups: byName(gaad.GroupDetailList, 'GroupName', (g) => ({ name: g.GroupName, path: g.Path, inline: inline(g.GroupPolicyList), managed: managed(g.AttachedManagedPolicies) })),
    managedPolicies: Object.fromEntries(gaad.Policies.map((p) => [p.Arn, decode(p.PolicyVersionList.find((v: any) => v.IsDefaultVersion).Document)])),
  };
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

/** organization.json with policy content parsed and every list in a stable order, to compare with what was loaded. */
function canonical(o: Organization) {
  const byId = <T extends { id: string }>(l: readonly T[]) => [...l].sort((a, b) => a.id.localeCompare(b.id));
  return {
    ...o,
    organizationalUnits: byId(o.organizationalUnits),
    accounts: [...o.accounts].sort((a, b) => a.accountId.localeCompare(b.accountId)),
    policies: byId(o.policies).map((p) => ({ ...p, content: decode(p.content), targets: [...p.targets].sort() })),
  };
}

describe('trust-guard collect against a generated organization in moto', () => {
  it('writes exactly the organization that was loaded: OU tree, accounts, SCPs and RCPs with targets, and every account’s IAM', async () => {
    const out = path.join(tmp, 'round-trip');
    const { code, result, err } = await collect(out);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(result).toMatchObject({ out, written: true, complete: true, problems: [] });

    expect(fs.readdirSync(out).sort()).toEqual(['collect.json', 'organization.json', ...[MANAGEMENT_ACCOUNT, ...org.registry.accounts.map((a) => a.accountId)].map((id) => `${id}.json`)].sort());
    expect(canonical(readJson(path.join(out, 'organization.json')))).toEqual(canonical(org.organization));
    for (const [accountId, expected] of org.iam) {
      expect(iamOf(readJson(path.join(out, `${accountId}.json`))), `account ${accountId}`).toEqual(expected);
    }
    const report: CollectReport = readJson(path.join(out, 'collect.json'));
    expect(report.accounts).toEqual([
      { accountId: MANAGEMENT_ACCOUNT, status: 'read', readAs: `arn:aws:iam::${MANAGEMENT_ACCOUNT}:role/${HUB_ROLE}` },
      ...Array.from({ length: MEMBERS }, (_, i) => ({ accountId: member(i), status: 'read', readAs: `arn:aws:iam::${member(i)}:role/${DEPLOY_ROLE}` })),
    ]);
    expect(report.caller).toBe(org.adminArn);
    // The generated organization is what the test claims: cross-account trust, a boundary, SCPs at every level.
    expect(org.iam.get(member(1))?.roles['app-role'].trust).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${member(0)}:role/workload` }, Action: 'sts:AssumeRole' }] });
    expect(org.organization.policies.map((p) => p.name).sort()).toEqual(['FullAWSAccess', 'RCPFullAWSAccess', 'deny-leave', 'eu-only', 'no-users', 'org-only', 'quarantine']);
  });

  it('gives the engine the same paths and findings as the generator’s own snapshot (trust-guard paths --all --format json on both)', async () => {
    const collected = path.join(tmp, 'for-paths');
    expect((await collect(collected)).code).toBe(0);
    const generated = path.join(tmp, 'generated');
    writeGeneratorSnapshot(org, generated);
    const paths = async (dir: string) => {
      const io = captureIO(env(), dir);
      const code = await pathsCommand(['.', '--all', '--format', 'json'], io);
      return { code, report: JSON.parse(io.out()), err: io.err() };
    };
    const fromCollect = await paths(collected);
    const fromGenerator = await paths(generated);
    expect(fromGenerator.err).toBe('');
    expect(fromGenerator.report.problems).toEqual([]);
    expect(fromCollect.report).toEqual(fromGenerator.report);
    expect(fromCollect.code).toBe(fromGenerator.code);
    // The comparison has something to compare: paths into every deploy role, through the cross-account chain.
    // The comparison has something to compare: the hub's path into every deploy role, and the planted prod
    // developer's path into member-0's privileged role (the quarantined developer's is blocked by its SCP).
    const opsAdmin = `arn:aws:iam::${member(0)}:role/ops-admin`;
    const target = (arn: string) => fromGenerator.report.targets.find((t: any) => t.target === arn);
    expect(target(opsAdmin).paths.map((p: any) => [p.from.id, p.hops])).toEqual([[`arn:aws:iam::${member(1)}:user/developer`, [opsAdmin]]]);
    for (const a of org.registry.accounts) expect(target(`arn:aws:iam::${a.accountId}:role/${DEPLOY_ROLE}`).paths.map((p: any) => p.hops[0])).toEqual([`arn:aws:iam::${MANAGEMENT_ACCOUNT}:role/${HUB_ROLE}`]);
    expect(fromGenerator.report.findings.map((f: any) => f.ruleId)).toContain('path-cross-environment');
  });

  it('replaces a previous snapshot whole (no file of the old one survives), and refuses a folder that is not a snapshot', async () => {
    const out = path.join(tmp, 'replace');
    expect((await collect(out)).code).toBe(0);
    fs.writeFileSync(path.join(out, '999999999999.json'), '{}');
    expect((await collect(out)).code).toBe(0);
    expect(fs.existsSync(path.join(out, '999999999999.json'))).toBe(false);
    expect(fs.readdirSync(tmp).filter((e) => e.includes('.collecting-'))).toEqual([]);

    const notes = path.join(tmp, 'notes');
    fs.mkdirSync(notes);
    fs.writeFileSync(path.join(notes, 'todo.txt'), 'keep me');
    const io = captureIO(env(), tmp);
    expect(await collectCommand(['--out', notes, '--endpoint', moto.endpoint], io)).toBe(2);
    expect(io.err()).toBe(
      `trust-guard collect: --out ${JSON.stringify(notes)} is not empty and is not a previous snapshot (it holds "todo.txt"); collect replaces only an empty folder or a folder it wrote before (organization.json, collect.json and <accountId>.json files). Choose a new folder.\n`,
    );
    expect(fs.readdirSync(notes)).toEqual(['todo.txt']);
  });

  it('records an account whose deploy role cannot be assumed as unreadable, with no file, and reads the others (exit 1)', async () => {
    // moto does not judge a trust policy across accounts, but it does judge the caller's identity policy: an
    // explicit Deny in the hub role's policy on member-2's deploy role makes that AssumeRole fail with AccessDenied.
    const blocked = member(2);
    const hubIam = adminIam(moto.endpoint, MANAGEMENT_ACCOUNT);
    const setHubPolicy = (deny: boolean) =>
      asAdmin(moto.endpoint, () =>
        hubIam.send(
          new PutRolePolicyCommand({
            RoleName: HUB_ROLE,
            PolicyName: 'hub',
            PolicyDocument: JSON.stringify(deny ? hubPolicy({ Effect: 'Deny', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${blocked}:role/${DEPLOY_ROLE}` }) : hubPolicy()),
          }),
        ),
      );
    await setHubPolicy(true);
    try {
      const out = path.join(tmp, 'blocked');
      const { code, result } = await collect(out);
      expect(code).toBe(1);
      expect(result.complete).toBe(false);
      const account = result.accounts.find((a: any) => a.accountId === blocked);
      expect(account).toMatchObject({ status: 'unreadable', code: 'access-denied', readAs: `arn:aws:iam::${blocked}:role/${DEPLOY_ROLE}` });
      expect(account.reason).toContain(`arn:aws:sts::${MANAGEMENT_ACCOUNT}:assumed-role/${HUB_ROLE}/trustline-hub-collect may not assume role arn:aws:iam::${blocked}:role/${DEPLOY_ROLE}`);
      expect(fs.existsSync(path.join(out, `${blocked}.json`))).toBe(false);
      expect(result.accounts.filter((a: any) => a.status === 'read')).toHaveLength(MEMBERS);
      expect(readJson(path.join(out, 'collect.json')).accounts).toEqual(result.accounts);
      // trust-guard paths on the folder reports the account as unreadable with collect's reason.
      const io = captureIO(env(), out);
      expect(await pathsCommand(['.', '--format', 'json'], io)).toBe(2);
      const problem = JSON.parse(io.out()).problems.find((p: any) => p.accountId === blocked);
      expect(problem.file).toBe('collect.json');
      expect(problem.message).toContain(`is in the organization but its IAM is missing (collect could not read it (access-denied: arn:aws:sts::${MANAGEMENT_ACCOUNT}:assumed-role/${HUB_ROLE}/`);
    } finally {
      await setHubPolicy(false);
    }
  });

  it('assumes the hub once for the run: a hub that refuses the caller makes every account unreadable with the one diagnosis (exit 1)', async () => {
    await whileHubTrustsOnlyCi(moto.endpoint, org.registry, org, async () => {
      const { code, result } = await collect(path.join(tmp, 'hub-refuses'));
      expect(code).toBe(1);
      expect(new Set(result.accounts.map((a: any) => `${a.status} ${a.code}`))).toEqual(new Set(['unreadable access-denied']));
      expect(new Set(result.accounts.map((a: any) => a.reason)).size).toBe(1);
      expect(result.accounts[0].reason).toMatch(new RegExp(`^${org.adminArn} may not assume role arn:aws:iam::${MANAGEMENT_ACCOUNT}:role/${HUB_ROLE} \\(AccessDenied: `));
      // The Organizations calls use the caller's own credentials: the organization is still written.
      expect(readJson(path.join(tmp, 'hub-refuses', 'organization.json')).accounts).toHaveLength(MEMBERS + 1);
    });
  });

  it('names a denied Organizations call; without DescribeOrganization nothing is written and the previous snapshot stays', async () => {
    const adminPolicy = (denied: string | undefined) =>
      asAdmin(moto.endpoint, () =>
        adminIam(moto.endpoint, MANAGEMENT_ACCOUNT).send(
          new PutUserPolicyCommand({
            UserName: 'trustline-admin',
            PolicyName: 'collect',
            PolicyDocument: JSON.stringify({
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${MANAGEMENT_ACCOUNT}:role/${HUB_ROLE}` },
                { Effect: 'Allow', Action: ['organizations:Describe*', 'organizations:List*'], Resource: '*' },
                ...(denied ? [{ Effect: 'Deny', Action: denied, Resource: '*' }] : []),
              ],
            }),
          }),
        ),
      );
    const out = path.join(tmp, 'org-denied');
    try {
      await adminPolicy('organizations:ListPolicies');
      const partial = await collect(out);
      expect(partial.code).toBe(1);
      expect(partial.result.problems.map((p: any) => [p.code, p.where])).toEqual([
        ['organizations-access-denied', 'ListPolicies SERVICE_CONTROL_POLICY'],
        ['organizations-access-denied', 'ListPolicies RESOURCE_CONTROL_POLICY'],
      ]);
      expect(partial.result.problems[0].message).toMatch(/^ListPolicies SERVICE_CONTROL_POLICY failed \(AccessDenied.*\), so the snapshot holds no SERVICE_CONTROL_POLICY/);
      expect(readJson(path.join(out, 'organization.json')).policies).toEqual([]);
      const before = fs.readdirSync(out).sort();
      const orgBefore = fs.readFileSync(path.join(out, 'organization.json'), 'utf8');

      await adminPolicy('organizations:DescribeOrganization');
      const io = captureIO(env(), tmp);
      expect(await collectCommand(['--out', out, '--endpoint', moto.endpoint], io)).toBe(2);
      expect(io.out()).toMatch(/^ {2}organizations-access-denied \[DescribeOrganization\]: DescribeOrganization failed \(AccessDenied: .*\), so there is no organization id and no snapshot was written\./m);
      expect(io.out()).toContain(`No snapshot written; ${out} is unchanged.`);
      expect(fs.readdirSync(out).sort()).toEqual(before);
      expect(fs.readFileSync(path.join(out, 'organization.json'), 'utf8')).toBe(orgBefore);
    } finally {
      await adminPolicy(undefined);
    }
  });

  it('rides out throttling with the SDK’s adaptive retry, and names the account and the calls that stay throttled', async () => {
    let iamClients = 0;
    let transient = 0;
    const deps: CollectDeps = {
      iam: (config) => {
        const n = iamClients++;
        return intercept(new IAMClient(config), async (command, _input, next) => {
          if (command !== 'GetAccountAuthorizationDetailsCommand') return next();
          // The first account is throttled twice and then answers; the third (member-1) never answers.
          if (n === 0 && transient < 2) {
            transient++;
            throw awsError('Throttling', 'Rate exceeded', 400);
          }
          if (n === 2) throw awsError('Throttling', 'Rate exceeded', 400);
          return next();
        });
      },
      organizations: (config) =>
        intercept(new OrganizationsClient(config), async (command, input, next) => {
          if (command === 'ListPoliciesCommand' && input.Filter === 'RESOURCE_CONTROL_POLICY') throw awsError('TooManyRequestsException', 'AWS Organizations can\u2019t complete your request because another request is already in progress.', 400);
          return next();
        }),
    };
    const { code, result } = await collect(path.join(tmp, 'throttled'), ['--concurrency', '1'], deps);
    expect(code).toBe(1);
    expect(transient).toBe(2);
    expect(result.accounts.find((a: any) => a.accountId === MANAGEMENT_ACCOUNT).status).toBe('read');
    const throttled = result.accounts.find((a: any) => a.accountId === member(1));
    expect(throttled).toMatchObject({ status: 'unreadable', code: 'throttled' });
    expect(throttled.reason).toBe(`GetAccountAuthorizationDetails failed as arn:aws:iam::${member(1)}:role/${DEPLOY_ROLE} (Throttling: Rate exceeded); none of the account's IAM is kept, since a partial list would hide paths.`);
    expect(result.accounts.filter((a: any) => a.status === 'unreadable')).toHaveLength(1);
    expect(result.problems.map((p: any) => [p.code, p.where])).toEqual([['organizations-throttled', 'ListPolicies RESOURCE_CONTROL_POLICY']]);
  });

  it('records an account whose second GAAD page fails as unreadable, names a policy target that is no OU, and fetches a boundary GAAD left out', async () => {
    let iamClients = 0;
    const dropped = `arn:aws:iam::${member(3)}:policy/workload-boundary`;
    const deps: CollectDeps = {
      iam: (config) => {
        const n = iamClients++;
        return intercept(new IAMClient(config), async (command, input, next) => {
          if (command !== 'GetAccountAuthorizationDetailsCommand') return next();
          if (n === 1 && input.Marker === 'page-2') throw awsError('ServiceFailure', 'Internal failure.', 500);
          const result = await next();
          // member-0 (client 1): the first page says there is a second. member-3 (client 4): the boundary-only policy is left out.
          if (n === 1) Object.assign(result.output, { IsTruncated: true, Marker: 'page-2' });
          if (n === 4) result.output.Policies = result.output.Policies.filter((p: any) => p.Arn !== dropped);
          return result;
        });
      },
      organizations: (config) =>
        intercept(new OrganizationsClient(config), async (command, input, next) => {
          const result = await next();
          if (command === 'ListTargetsForPolicyCommand' && org.organization.policies.find((p) => p.id === input.PolicyId)?.name === 'quarantine') {
            result.output.Targets.push({ TargetId: 'ou-zzzz-gonegone', Type: 'ORGANIZATIONAL_UNIT', Name: 'deleted' });
          }
          return result;
        }),
    };
    const out = path.join(tmp, 'halfway');
    const { code, result } = await collect(out, ['--concurrency', '1'], deps);
    expect(code).toBe(1);
    const halfway = result.accounts.find((a: any) => a.accountId === member(0));
    expect(halfway).toMatchObject({ status: 'unreadable', code: 'gaad-page-failed' });
    expect(halfway.reason).toBe(
      `GetAccountAuthorizationDetails page 2 failed after 1 page was read as arn:aws:iam::${member(0)}:role/${DEPLOY_ROLE} (ServiceFailure: Internal failure.); none of the account's IAM is kept, since a partial list would hide paths.`,
    );
    expect(fs.existsSync(path.join(out, `${member(0)}.json`))).toBe(false);
    const quarantine = org.organization.policies.find((p) => p.name === 'quarantine');
    expect(result.problems).toEqual([
      {
        code: 'policy-target-unknown',
        where: `policy ${quarantine?.id}`,
        message: `SERVICE_CONTROL_POLICY ${quarantine?.id} (quarantine) is attached to ou-zzzz-gonegone, which is neither the root, an OU nor an account the collection read; it applies to nothing in the snapshot.`,
      },
    ]);
    // The boundary that GAAD left out was fetched with GetPolicy/GetPolicyVersion: member-3's IAM is whole.
    expect(iamOf(readJson(path.join(out, `${member(3)}.json`)))).toEqual(org.iam.get(member(3)));
    expect(readJson(path.join(out, `${member(3)}.json`)).Policies.find((p: any) => p.Arn === dropped).PolicyVersionList[0].IsDefaultVersion).toBe(true);
  });

  it('reads every account through --role-name, and records an account that the registry does not list as unreadable without it', async () => {
    const withRole = await collect(path.join(tmp, 'role-name'), ['--role-name', AUDIT_ROLE]);
    expect(withRole.code).toBe(0);
    expect(withRole.result.accounts.map((a: any) => [a.status, a.readAs])).toEqual(
      [MANAGEMENT_ACCOUNT, ...org.registry.accounts.map((a) => a.accountId)].map((id) => ['read', `arn:aws:iam::${id}:role/${AUDIT_ROLE}`]),
    );

    // A registry without member-4: its account is still in the organization, but no deploy role is known for it.
    const registry = JSON.parse(fs.readFileSync(org.registryFile, 'utf8'));
    registry.accounts = registry.accounts.filter((a: any) => a.key !== 'member-4');
    const partialRegistry = path.join(tmp, 'accounts-without-member-4.json');
    fs.writeFileSync(partialRegistry, JSON.stringify(registry));
    const out = path.join(tmp, 'unregistered');
    const { code, result } = await collect(out, ['--registry', partialRegistry]);
    expect(code).toBe(1);
    expect(result.accounts.find((a: any) => a.accountId === member(4))).toEqual({
      accountId: member(4),
      status: 'unreadable',
      code: 'no-role',
      reason: `account ${member(4)} (member-4) is not in the registry, so it has no deploy role to read it through; pass --role-name with a read-only audit role that every account has.`,
    });
    expect(fs.existsSync(path.join(out, `${member(4)}.json`))).toBe(false);
  });
});
