/**
 * The oracle (issue 18, item 5): random small organizations, each hop decided by iam-simulate (oracle.ts),
 * and the engine's reachability required to equal the brute-force closure over those decisions (compare.ts).
 *
 *   ORACLE_RUNS=500 ORACLE_SEED=7 npx vitest run --root packages/paths test/oracle   (more cases, another seed)
 *   ORACLE_STRICT=1 ...                                                               (known disagreements fail too)
 *
 * The seed is fixed (printed by fast-check on failure with the shrunk organization).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAccessGraph } from '../../src';
import type { OrgSnapshot, SnapshotRole } from '../../src/types';
import { compare, KNOWN } from './compare';
import { buildSnapshot, orgSpec, OUTSIDE_ACCOUNT } from './generate';
import { decideHops, type HopDecision } from './oracle';

const SEED = Number(process.env.ORACLE_SEED ?? 20261207);
const RUNS = Number(process.env.ORACLE_RUNS ?? 40);
const STRICT = process.env.ORACLE_STRICT === '1';

// ---- the oracle itself, on hand-written organizations (each decision can fail) ----------------------------------

const A = '111111111111';
const B = '222222222222';
const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
const assume = doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' });
const role = (account: string, name: string, trust: object, identity: object[] = [], boundary?: string): SnapshotRole => ({
  arn: `arn:aws:iam::${account}:role/${name}`,
  name,
  path: '/',
  trustPolicy: trust,
  inlinePolicies: identity.map((d, i) => ({ id: `arn:aws:iam::${account}:role/${name}#inline/p${i}`, document: d })),
  managedPolicyArns: [],
  ...(boundary ? { permissionsBoundaryArn: boundary } : {}),
  tags: {},
});
function org(roles: Record<string, SnapshotRole[]>, scps: { target: string; content: object }[] = []): OrgSnapshot {
  return {
    organization: {
      organizationId: 'o-aaaaaaaaaa',
      managementAccountId: A,
      rootId: 'r-aaaa',
      organizationalUnits: [],
      accounts: Object.keys(roles).map((accountId) => ({ accountId, parentId: 'r-aaaa' })),
      policies: scps.length
        ? [
            { id: 'p-full', type: 'SERVICE_CONTROL_POLICY', name: 'FullAWSAccess', content: doc({ Effect: 'Allow', Action: '*', Resource: '*' }), targets: ['r-aaaa', ...Object.keys(roles)] },
            ...scps.map((s, i) => ({ id: `p-${i}`, type: 'SERVICE_CONTROL_POLICY' as const, name: `scp${i}`, content: s.content, targets: [s.target] })),
          ]
        : [],
    },
    accounts: Object.entries(roles).map(([accountId, rs]) => ({
      accountId,
      status: 'read' as const,
      roles: rs,
      users: [],
      groups: [],
      managedPolicies: new Map([[`arn:aws:iam::${accountId}:policy/s3-only`, doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' })]]),
    })),
  };
}
const trust = (principal: object, condition?: object) => doc({ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) });
async function hop(snapshot: OrgSnapshot, caller: string, target: string): Promise<HopDecision> {
  return (await decideHops(snapshot)).hops.get(caller)?.get(target) ?? 'never';
}

describe('the oracle decides single hops with iam-simulate', () => {
  const target = (t: object) => role(B, 'target', t);
  it('cross account needs both sides: trust of the account and an identity allow (S1)', async () => {
    expect(await hop(org({ [A]: [role(A, 'caller', trust({ Service: 'ec2.amazonaws.com' }), [assume])], [B]: [target(trust({ AWS: `arn:aws:iam::${A}:root` }))] }), `role:arn:aws:iam::${A}:role/caller`, `arn:aws:iam::${B}:role/target`)).toBe('always');
    expect(await hop(org({ [A]: [role(A, 'caller', trust({ Service: 'ec2.amazonaws.com' }))], [B]: [target(trust({ AWS: `arn:aws:iam::${A}:root` }))] }), `role:arn:aws:iam::${A}:role/caller`, `arn:aws:iam::${B}:role/target`)).toBe('never');
  });
  it('a caller-chosen key makes the hop conditional', async () => {
    const s = org({ [A]: [role(A, 'caller', trust({ Service: 'ec2.amazonaws.com' }), [assume])], [B]: [target(trust({ AWS: A }, { StringEquals: { 'sts:ExternalId': 'ext-1' } }))] });
    expect(await hop(s, `role:arn:aws:iam::${A}:role/caller`, `arn:aws:iam::${B}:role/target`)).toBe('conditional');
  });
  it('maps the same-account grey zone: named caller without identity allow, or cut by its boundary (S2)', async () => {
    const named = trust({ AWS: `arn:aws:iam::${B}:role/caller` });
    expect(await hop(org({ [A]: [], [B]: [role(B, 'target', named), role(B, 'caller', trust({ Service: 'ec2.amazonaws.com' }))] }), `role:arn:aws:iam::${B}:role/caller`, `arn:aws:iam::${B}:role/target`)).toBe('grey');
    const cut = org({ [A]: [], [B]: [role(B, 'target', named), role(B, 'caller', trust({ Service: 'ec2.amazonaws.com' }), [assume], `arn:aws:iam::${B}:policy/s3-only`)] });
    expect(await hop(cut, `role:arn:aws:iam::${B}:role/caller`, `arn:aws:iam::${B}:role/target`)).toBe('grey');
    const root = org({ [A]: [], [B]: [role(B, 'target', trust({ AWS: `arn:aws:iam::${B}:root` })), role(B, 'caller', trust({ Service: 'ec2.amazonaws.com' }))] });
    expect(await hop(root, `role:arn:aws:iam::${B}:role/caller`, `arn:aws:iam::${B}:role/target`)).toBe('never');
  });
  it("SCPs cap the caller's account, not the management account (S6)", async () => {
    const deny = [{ target: B, content: doc({ Effect: 'Deny', Action: 'sts:AssumeRole', Resource: '*' }) }];
    const from = (account: string) => org({ [A]: [role(A, 'caller', trust({ Service: 'ec2.amazonaws.com' }), [assume])], [B]: [role(B, 'caller', trust({ Service: 'ec2.amazonaws.com' }), [assume]), role(B, 'target', trust({ AWS: [A, B] }))] }, [{ ...deny[0], target: account }]);
    expect(await hop(from(B), `role:arn:aws:iam::${B}:role/caller`, `arn:aws:iam::${B}:role/target`)).toBe('never');
    expect(await hop(from(A), `role:arn:aws:iam::${A}:role/caller`, `arn:aws:iam::${B}:role/target`)).toBe('always');
  });
  it('an outside account has unknown policies: the trust alone decides', async () => {
    const s = org({ [A]: [], [B]: [target(trust({ AWS: `arn:aws:iam::${OUTSIDE_ACCOUNT}:root` }))] });
    expect(await hop(s, `account:${OUTSIDE_ACCOUNT}`, `arn:aws:iam::${B}:role/target`)).toBe('always');
  });
});

// ---- the property: the engine against the oracle on random organizations ---------------------------------------

describe('the engine against the oracle on random organizations', () => {
  it(`reachability equals the brute-force closure over iam-simulate's hop decisions (${RUNS} organizations, seed ${SEED})`, async () => {
    const known = new Map<string, string[]>();
    let hops = 0;
    let simulations = 0;
    await fc.assert(
      fc.asyncProperty(orgSpec, async (spec) => {
        const snapshot = buildSnapshot(spec);
        const oracle = await decideHops(snapshot);
        const graph = buildAccessGraph(snapshot);
        expect(graph.problems).toEqual([]);
        const result = compare(graph, oracle, { maxHops: 8, allMaxHops: 4, tolerateKnown: !STRICT });
        if (result.disagreements.length > 0) throw new Error(`the engine and the oracle disagree:\n${result.disagreements.join('\n')}`);
        for (const [k, v] of result.known) known.set(k, [...(known.get(k) ?? []), ...v]);
        for (const row of oracle.hops.values()) hops += row.size;
        simulations += oracle.simulations;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // The known engine disagreements met on the way (KNOWN in compare.ts; ORACLE_STRICT=1 fails on them).
    console.info(
      `oracle: ${RUNS} organizations, ${simulations} iam-simulate requests, ${hops} hops allowed; known engine disagreements tolerated: ${KNOWN.map((k) => `${k.id} ${known.get(k.id)?.length ?? 0}`).join(', ')}; web-identity/SAML hops out of scope: ${known.get('out-of-scope')?.length ?? 0}`,
    );
    for (const [k, v] of known) console.info(`  ${k}, e.g. ${v[0]}`);
    expect(hops).toBeGreaterThan(RUNS);
  }, 600_000);
});
