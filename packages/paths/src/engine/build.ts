import { DirectedGraph } from 'graphology';
import {
  ASSUME_ROLE,
  ASSUME_ROLE_WITH_SAML,
  ASSUME_ROLE_WITH_WEB_IDENTITY,
  actionBits,
  federationProblem,
  likeMatches,
  type NormalizedPrincipal,
  type NormalizedStatement,
} from '@trustline/trust';
import type { EntryKind, HopReason, OrgSnapshot, SnapshotAccount, SnapshotPolicy } from '../types';
import { DocumentCache, type Parsed } from './documents';
import { evaluateSet, statementNames, stmtName, residue, type CallerIdentity, type DocRef, type SetVerdict } from './evaluate';
import { KeyFacts, LayeredFacts, conditionGuard, guardsContradict, type Facts, type GuardDraft } from './facts';

/** Counts for the benchmark. */
export interface GraphStats {
  readonly nodes: number;
  readonly edges: number;
  readonly documents: number;
  readonly evaluations: number;
}

export interface BuildProblem {
  readonly accountId?: string;
  readonly where: string;
  readonly message: string;
}

/** The graph built once from a snapshot; queries read it. */
export interface AccessGraph {
  /** Counts for the benchmark: nodes, edges, distinct documents parsed, policy evaluations done. */
  readonly stats: GraphStats;
  /** Problems met while building (a document that does not parse, a managed policy ARN with no document, ...): reported, never thrown. */
  readonly problems: readonly BuildProblem[];
}

/** What a node is. Principals of the snapshot are keyed by ARN; entry points by `<kind>:<id>` (`*` for anyone). */
export interface NodeInfo {
  readonly kind: EntryKind;
  readonly id: string;
  readonly accountId?: string;
  /** A role or user read from the snapshot (not an outside principal or a pseudo-node). */
  readonly inSnapshot: boolean;
  /** The node stands for an account the snapshot could not read. */
  readonly unknown: boolean;
  /** A capability class: not a principal; its members' edges into it are memberships, not hops. */
  readonly pseudo?: true;
}

/**
 * Why an edge exists and what must hold on it. Texts may hold a capability class's placeholders for
 * policy names, rendered with `names` when a path is assembled ({@link edgeGuards}, {@link edgeReason}),
 * so the members of a class share one judgement and no per-edge string is built.
 */
export interface EdgeInfo {
  readonly guards: readonly GuardDraft[];
  readonly action: string;
  /** The trust statement (`Sid` or `#index`). */
  readonly trust: string;
  readonly identity: string | undefined;
  readonly boundary: string | undefined;
  /** SCP and RCP statements per level that allow the hop (empty when they do not apply). */
  readonly scp: readonly string[];
  readonly rcp: readonly string[];
  /** The caller's own names for the class placeholders. */
  readonly names: readonly string[] | undefined;
}

/** The edge from a class member to its class node. */
export const MEMBERSHIP: EdgeInfo = Object.freeze({ guards: [], action: '', trust: '', identity: undefined, boundary: undefined, scp: [], rcp: [], names: undefined });

/** Guards of an edge, policy names rendered with `names` (the caller's, for an edge out of a class node). */
export function edgeGuards(e: EdgeInfo, names: readonly string[] | undefined = e.names): readonly GuardDraft[] {
  if (names === undefined || !e.guards.some((g) => g.text.includes('\uE000'))) return e.guards;
  return e.guards.map((g) => ({ ...g, text: render(g.text, names) }));
}

export function edgeReason(e: EdgeInfo, role: string, names: readonly string[] | undefined = e.names): HopReason {
  const name = (t: string | undefined): string | undefined => (t === undefined || names === undefined ? t : render(t, names));
  const identity = name(e.identity);
  const boundary = name(e.boundary);
  return {
    role,
    action: e.action,
    trust: e.trust,
    ...(identity !== undefined && { identity }),
    ...(boundary !== undefined && { boundary }),
    ...(e.scp.length > 0 && { scp: e.scp }),
    ...(e.rcp.length > 0 && { rcp: e.rcp }),
  };
}

/** The engine's private state behind an {@link AccessGraph}. */
export interface Internal {
  readonly graph: DirectedGraph<NodeInfo, EdgeInfo>;
  /** Snapshot role ARN -> its identity documents, boundary and facts (for privilegedRoles). */
  readonly roles: ReadonlyMap<string, Principal>;
  readonly principalsByAccount: ReadonlyMap<string, readonly Principal[]>;
  /** Every role and user of the snapshot by ARN. */
  readonly principals: ReadonlyMap<string, Principal>;
  /** Computed on first use by the queries: fewest hops from any entry point to each node. */
  readonly cache: { entryDistance?: ReadonlyMap<string, number> };
}

const internals = new WeakMap<AccessGraph, Internal>();

export function internalOf(graph: AccessGraph): Internal {
  const i = internals.get(graph);
  if (i === undefined) throw new TypeError('The access graph was not built by buildAccessGraph; build it with buildAccessGraph(snapshot).');
  return i;
}

/** A role or user of the snapshot. */
export interface Principal {
  readonly kind: 'role' | 'user';
  readonly arn: string;
  readonly name: string;
  readonly accountId: string;
  readonly facts: Facts;
  readonly identity: CallerIdentity;
  readonly cls: CapClass;
  /** Resource-side facts when this principal is a role being assumed. */
  readonly targetFacts: Facts;
  /** Every identity policy (inline, managed, groups'), for privilegedRoles. */
  readonly docs: readonly DocRef[];
  /** Undefined: no permission boundary. */
  readonly boundary: readonly DocRef[] | undefined;
  /** This principal's names of the class's documents (the class evaluates placeholders `\uE000<k>\uE000`). */
  readonly names: readonly string[];
}

/**
 * Principals of one account (and kind) whose identity policies and boundary hold the same
 * sts:AssumeRole statements (and read no per-principal key): one evaluation per target serves them all.
 */
export interface CapClass {
  readonly index: number;
  readonly accountId: string;
  /** The sts:AssumeRole statements of the identity policies, named by placeholders (see {@link Principal.names}). */
  readonly docs: readonly DocRef[];
  /** Undefined: no permission boundary; otherwise its sts:AssumeRole statements (none: it allows none). */
  readonly boundary: readonly DocRef[] | undefined;
  readonly members: Principal[];
  /** Facts of the first member (the others share every key the documents read). */
  facts: Facts;
  readonly memo: Map<string, ClassVerdict>;
}

interface ClassVerdict {
  readonly identity: SetVerdict;
  readonly boundary: SetVerdict | undefined;
}

/** Where an account stands in the organization. */
interface AccountPlace {
  readonly status: 'read' | 'unreadable' | 'outside';
  readonly inOrg: boolean;
  readonly management: boolean;
  /** Root, each OU, the account: the levels SCPs and RCPs attach to. */
  readonly levels: readonly string[];
  /** `o-xxx/r-xxx/ou-xxx/` */
  readonly orgPath: string | undefined;
}

const GREY_ZONE_KEY = 'grey-zone:same-account-trust';
const TAG_SESSION = actionBits('sts:tagsession');
const UNREADABLE_KEY = 'unknown:account-unreadable';

/** Reverse index of the classes of one scope (an account, or all) by the roles their identity policies let them assume. */
class ClassIndex {
  readonly exact = new Map<string, Set<CapClass>>();
  readonly patterns: { pattern: string; cls: CapClass }[] = [];
  readonly any = new Set<CapClass>();

  add(cls: CapClass, stmt: NormalizedStatement, facts: Facts): void {
    if (!stmt.hasResource || stmt.notResource) {
      this.any.add(cls);
      return;
    }
    for (const raw of stmt.resources) {
      const r = raw.includes('${') ? raw.replace(/\$\{[^}]*\}/g, (v) => {
        const known = facts.get(v.slice(2, -1).toLowerCase());
        return known !== undefined && known.length === 1 ? known[0] : '*';
      }) : raw;
      if (r === '*') this.any.add(cls);
      else if (/[*?]/.test(r)) this.patterns.push({ pattern: r, cls });
      else {
        let set = this.exact.get(r);
        if (set === undefined) this.exact.set(r, (set = new Set()));
        set.add(cls);
      }
    }
  }

  /** Classes that may hold an identity allow on `arn` (a superset: each is then evaluated). */
  candidates(arn: string): Set<CapClass> {
    const out = new Set<CapClass>(this.any);
    const exact = this.exact.get(arn);
    if (exact !== undefined) for (const c of exact) out.add(c);
    for (const p of this.patterns) if (!out.has(p.cls) && likeMatches(p.pattern, arn)) out.add(p.cls);
    return out;
  }
}

/** A caller candidate for one trust statement: a graph node and how to judge it. */
interface Caller {
  readonly key: string;
  readonly principal?: Principal;
  readonly identity: CallerIdentity;
  readonly facts: Facts;
  /** The trust names this very principal (S2: same account needs no identity allow, but see the grey zone). */
  readonly named: boolean;
  readonly unknown: boolean;
  /** SCPs of this account apply (an org member that is not the management account), when the principal is unread. */
  readonly scpAccount?: string;
}

/**
 * Builds the access graph once: each distinct document normalised once, classes of principals with
 * identical policies evaluated once per target, edges only from what each trust policy names (an exact
 * ARN, an account, `*`, a provider, a service), never from principal x role pairs.
 */
export function buildAccessGraph(snapshot: OrgSnapshot): AccessGraph {
  return new Builder(snapshot).build();
}

class Builder {
  private readonly docs = new DocumentCache();
  private readonly problems: BuildProblem[] = [];
  private readonly counter = { evaluations: 0 };
  private readonly graph = new DirectedGraph<NodeInfo, EdgeInfo>();
  private readonly places = new Map<string, AccountPlace>();
  private readonly principals = new Map<string, Principal>();
  private readonly roleByName = new Map<string, Principal>();
  private readonly principalsByAccount = new Map<string, Principal[]>();
  private readonly roles = new Map<string, Principal>();
  private readonly classes = new Map<string, CapClass>();
  private readonly accountIndex = new Map<string, ClassIndex>();
  private readonly globalIndex = new ClassIndex();
  private readonly entryFacts = new Map<string, Facts>();
  private readonly scpOn: boolean;
  private readonly rcpOn: boolean;
  private readonly policyByTarget = new Map<string, { scp: DocRef[]; rcp: DocRef[] }>();
  private readonly scpMemo = new Map<string, LevelVerdict>();
  private readonly rcpMemo = new Map<string, LevelVerdict>();
  private readonly orgAccounts: string[] = [];
  private readonly trustPolicies = new Map<string, unknown>();

  private scpPerPrincipal = false;
  private rcpPerPrincipal = false;

  constructor(private readonly snapshot: OrgSnapshot) {
    const org = snapshot.organization;
    this.scpOn = org?.policies.some((p) => p.type === 'SERVICE_CONTROL_POLICY') ?? false;
    this.rcpOn = org?.policies.some((p) => p.type === 'RESOURCE_CONTROL_POLICY') ?? false;
  }

  build(): AccessGraph {
    this.placeAccounts();
    this.readOrgPolicies();
    for (const a of this.snapshot.accounts) if (a.status === 'read') this.readAccount(a);
    for (const role of this.roles.values()) this.edgesInto(role);
    const graph = this.graph;
    const docs = this.docs;
    const problems = this.problems;
    const counter = this.counter;
    const result: AccessGraph = {
      get stats(): GraphStats {
        return { nodes: graph.order, edges: graph.size, documents: docs.size, evaluations: counter.evaluations };
      },
      problems,
    };
    internals.set(result, { graph, roles: this.roles, principalsByAccount: this.principalsByAccount, principals: this.principals, cache: {} });
    return result;
  }

  // ---- organization --------------------------------------------------------------------------

  private placeAccounts(): void {
    const org = this.snapshot.organization;
    const read = new Map(this.snapshot.accounts.map((a) => [a.accountId, a]));
    if (org !== undefined) {
      const parents = new Map(org.organizationalUnits.map((ou) => [ou.id, ou.parentId]));
      for (const acc of org.accounts) {
        this.orgAccounts.push(acc.accountId);
        const chain: string[] = [];
        let at: string | undefined = acc.parentId;
        const seen = new Set<string>();
        while (at !== undefined && at !== org.rootId && !seen.has(at)) {
          seen.add(at);
          chain.unshift(at);
          at = parents.get(at);
          if (at === undefined) {
            this.problems.push({ accountId: acc.accountId, where: 'organization.json', message: `Account ${acc.accountId} sits under "${chain[0]}", which is neither the root ${org.rootId} nor an OU of organization.json; its SCPs and RCPs are read from the levels found.` });
          }
        }
        const ous = chain.filter((id) => id !== org.rootId);
        const snap = read.get(acc.accountId);
        this.places.set(acc.accountId, {
          status: snap === undefined || snap.status === 'unreadable' ? 'unreadable' : 'read',
          inOrg: true,
          management: acc.accountId === org.managementAccountId,
          levels: [org.rootId, ...ous, acc.accountId],
          orgPath: `${org.organizationId}/${org.rootId}/${ous.map((o) => o + '/').join('')}`,
        });
        if (snap === undefined) {
          this.problems.push({ accountId: acc.accountId, where: 'organization.json', message: `Account ${acc.accountId} is in the organization but the snapshot has no IAM for it; paths through it are unknown.` });
        }
      }
    }
    for (const a of this.snapshot.accounts) {
      if (this.places.has(a.accountId)) continue;
      this.places.set(a.accountId, { status: a.status === 'read' ? 'read' : 'unreadable', inOrg: false, management: false, levels: [], orgPath: undefined });
    }
  }

  private place(accountId: string | undefined): AccountPlace {
    return (accountId === undefined ? undefined : this.places.get(accountId)) ?? { status: 'outside', inOrg: false, management: false, levels: [], orgPath: undefined };
  }

  private readOrgPolicies(): void {
    const org = this.snapshot.organization;
    if (org === undefined) return;
    const known = new Set<string>([org.rootId, ...org.organizationalUnits.map((o) => o.id), ...org.accounts.map((a) => a.accountId)]);
    for (const p of org.policies) {
      const parsed = this.docs.parse(p.content);
      this.reportDoc(parsed, undefined, `${p.type === 'SERVICE_CONTROL_POLICY' ? 'SCP' : 'RCP'} ${p.id} (${p.name})`);
      if (parsed.perPrincipal) {
        if (p.type === 'SERVICE_CONTROL_POLICY') this.scpPerPrincipal = true;
        else this.rcpPerPrincipal = true;
      }
      for (const t of p.targets) {
        if (!known.has(t)) {
          this.problems.push({ where: `organization.json policy ${p.id}`, message: `Policy ${p.id} (${p.name}) targets "${t}", which is not the root, an OU or an account of the organization; it is ignored there.` });
        }
        let slot = this.policyByTarget.get(t);
        if (slot === undefined) this.policyByTarget.set(t, (slot = { scp: [], rcp: [] }));
        (p.type === 'SERVICE_CONTROL_POLICY' ? slot.scp : slot.rcp).push({ id: `${p.type === 'SERVICE_CONTROL_POLICY' ? 'SCP' : 'RCP'} ${p.name || p.id}`, doc: parsed.doc });
      }
    }
  }

  // ---- principals ----------------------------------------------------------------------------

  private reportDoc(p: Parsed, accountId: string | undefined, where: string): void {
    if (!p.doc.parsed) {
      this.problems.push({ ...(accountId !== undefined && { accountId }), where, message: `${where} could not be read and is judged as granting nothing: ${p.doc.problems.map((q) => q.message).join(' ')}` });
    }
  }

  private readAccount(a: SnapshotAccount): void {
    const managed = (arn: string, owner: string): Parsed | undefined => {
      const doc = a.managedPolicies.get(arn);
      if (doc === undefined) {
        this.problems.push({ accountId: a.accountId, where: owner, message: `${owner} attaches managed policy ${arn}, which the account's file does not hold; it is judged as granting nothing.` });
        return undefined;
      }
      const p = this.docs.parse(doc);
      this.reportDoc(p, a.accountId, `managed policy ${arn}`);
      return p;
    };
    const refs = (inline: readonly SnapshotPolicy[], arns: readonly string[], owner: string, out: { ref: DocRef; parsed: Parsed }[]): void => {
      for (const pol of inline) {
        const p = this.docs.parse(pol.document);
        this.reportDoc(p, a.accountId, `inline policy ${pol.id}`);
        out.push({ ref: { id: pol.id, doc: p.doc }, parsed: p });
      }
      for (const arn of arns) {
        const p = managed(arn, owner);
        if (p !== undefined) out.push({ ref: { id: arn, doc: p.doc }, parsed: p });
      }
    };
    const groups = new Map(a.groups.map((g) => [g.name, g]));
    const place = this.place(a.accountId);
    const list: Principal[] = [];
    this.principalsByAccount.set(a.accountId, list);
    const add = (kind: 'role' | 'user', arn: string, name: string, docs: { ref: DocRef; parsed: Parsed }[], boundaryArn: string | undefined, tags: Readonly<Record<string, string>>): void => {
      let boundary: { ref: DocRef; parsed: Parsed }[] | undefined;
      if (boundaryArn !== undefined) {
        boundary = [];
        const p = managed(boundaryArn, `${kind} ${arn} (permissions boundary)`);
        if (p !== undefined) boundary.push({ ref: { id: boundaryArn, doc: p.doc }, parsed: p });
      }
      const tagKeys = Object.keys(tags);
      const tagMap: ReadonlyMap<string, string> = tagKeys.length === 0 ? NO_TAGS : new Map(tagKeys.map((k) => [k.toLowerCase(), tags[k]]));
      // S5: whoever may pass session tags into this role's sessions chooses their principal tags (and transitive ones carry on).
      const tagsChosen = kind === 'role' && this.docs.parse(this.trustPolicies.get(arn)).doc.statements.some((st) => st.effect === 'Allow' && (st.actionMask & TAG_SESSION) !== 0);
      const facts = this.principalFacts(kind, arn, name, a.accountId, place, tagMap, tagsChosen);
      // The cheap structural pass: only statements that can allow or deny sts:AssumeRole decide an edge.
      const sts = docs.filter((d) => d.parsed.sts !== undefined).sort((x, y) => cmpKey(x.parsed, y.parsed));
      const bSts = boundary?.filter((d) => d.parsed.sts !== undefined).sort((x, y) => cmpKey(x.parsed, y.parsed));
      const perPrincipal = sts.some((d) => d.parsed.sts?.perPrincipal === true) || (bSts?.some((d) => d.parsed.sts?.perPrincipal === true) ?? false);
      const key = [a.accountId, kind, sts.map((d) => d.parsed.sts?.id).join(','), bSts === undefined ? '-' : bSts.map((d) => d.parsed.sts?.id).join(','), perPrincipal ? arn : ''].join('\u0002');
      let cls = this.classes.get(key);
      const isNew = cls === undefined;
      if (cls === undefined) {
        cls = {
          index: this.classes.size,
          accountId: a.accountId,
          docs: sts.map((d, k) => ({ id: `\uE000${k}\uE000`, doc: d.parsed.sts?.doc ?? d.parsed.doc })),
          boundary: bSts?.map((d, k) => ({ id: `\uE000${sts.length + k}\uE000`, doc: d.parsed.sts?.doc ?? d.parsed.doc })),
          members: [],
          facts,
          memo: new Map(),
        };
        this.classes.set(key, cls);
      }
      const identity: CallerIdentity = { kind, arn, accountId: a.accountId, name };
      const targetFacts = kind === 'role' ? this.targetFacts(a.accountId, place, tagMap) : facts;
      const pr: Principal = {
        kind,
        arn,
        name,
        accountId: a.accountId,
        facts,
        identity,
        cls,
        targetFacts,
        docs: docs.map((d) => d.ref),
        boundary: boundary?.map((d) => d.ref),
        names: [...sts.map((d) => d.ref.id), ...(bSts ?? []).map((d) => d.ref.id)],
      };
      cls.members.push(pr);
      if (isNew) this.indexClass(cls);
      list.push(pr);
      this.principals.set(arn, pr);
      if (kind === 'role') {
        this.roles.set(arn, pr);
        this.roleByName.set(`${a.accountId}/${name}`, pr);
      }
      this.graph.mergeNode(arn, { kind, id: arn, accountId: a.accountId, inSnapshot: true, unknown: false });
    };
    for (const r of a.roles) {
      const docs: { ref: DocRef; parsed: Parsed }[] = [];
      refs(r.inlinePolicies, r.managedPolicyArns, `role ${r.arn}`, docs);
      this.trustPolicies.set(r.arn, r.trustPolicy);
      add('role', r.arn, r.name, docs, r.permissionsBoundaryArn, r.tags);
    }
    for (const u of a.users) {
      const docs: { ref: DocRef; parsed: Parsed }[] = [];
      refs(u.inlinePolicies, u.managedPolicyArns, `user ${u.arn}`, docs);
      for (const gName of u.groups) {
        const g = groups.get(gName);
        if (g === undefined) {
          this.problems.push({ accountId: a.accountId, where: `user ${u.arn}`, message: `User ${u.arn} is in group "${gName}", which the account's file does not hold; its policies are judged as granting nothing.` });
          continue;
        }
        refs(g.inlinePolicies, g.managedPolicyArns, `group ${g.arn}`, docs);
      }
      add('user', u.arn, u.name, docs, u.permissionsBoundaryArn, u.tags);
    }
  }

  private indexClass(cls: CapClass): void {
    let idx = this.accountIndex.get(cls.accountId);
    if (idx === undefined) this.accountIndex.set(cls.accountId, (idx = new ClassIndex()));
    for (const d of cls.docs) {
      for (const s of d.doc.statements) {
        if (s.effect !== 'Allow' || (s.actionMask & ASSUME_ROLE) === 0) continue;
        idx.add(cls, s, cls.facts);
        this.globalIndex.add(cls, s, cls.facts);
      }
    }
  }

  private orgFacts(place: AccountPlace): [string, readonly string[]][] {
    const org = this.snapshot.organization;
    if (org === undefined) return [];
    if (!place.inOrg) return [];
    return [
      ['aws:principalorgid', [org.organizationId]],
      ['aws:principalorgpaths', place.orgPath === undefined ? [] : [place.orgPath]],
    ];
  }

  /** Excluded organization id for callers outside the organization (they may belong to another one). */
  private outsideExclusions(extraAccounts: boolean): Map<string, readonly string[]> {
    const org = this.snapshot.organization;
    const m = new Map<string, readonly string[]>();
    if (org !== undefined) m.set('aws:principalorgid', [org.organizationId]);
    if (extraAccounts) m.set('aws:principalaccount', [...new Set([...this.orgAccounts, ...this.snapshot.accounts.map((a) => a.accountId)])]);
    return m;
  }

  /** Keys every principal of one account shares (account, organization, OU path). */
  private accountFacts(accountId: string, place: AccountPlace): Facts {
    return this.factsOf(`principal-base:${accountId}`, () => {
      const keys = new Map<string, readonly string[]>([
        ['aws:principalaccount', [accountId]],
        ['aws:principalisawsservice', ['false']],
        ['aws:principalservicename', []],
        ...this.orgFacts(place),
      ]);
      const outside = this.snapshot.organization !== undefined && !place.inOrg;
      return new KeyFacts(keys, undefined, outside ? this.outsideExclusions(false) : undefined, accountId);
    });
  }

  private principalFacts(kind: 'role' | 'user', arn: string, name: string, accountId: string, place: AccountPlace, tags: ReadonlyMap<string, string>, tagsChosen: boolean): Facts {
    return new PrincipalFacts(this.accountFacts(accountId, place), arn, kind, kind === 'user' ? name : undefined, tags, tagsChosen);
  }

  private targetFacts(accountId: string, place: AccountPlace, tags: ReadonlyMap<string, string>): Facts {
    const base = this.factsOf(`target-base:${accountId}`, () => {
      const org = this.snapshot.organization;
      const keys = new Map<string, readonly string[]>([['aws:resourceaccount', [accountId]]]);
      if (org !== undefined && place.inOrg) {
        keys.set('aws:resourceorgid', [org.organizationId]);
        keys.set('aws:resourceorgpaths', place.orgPath === undefined ? [] : [place.orgPath]);
      }
      return new KeyFacts(keys);
    });
    return new TargetFacts(base, tags);
  }

  // ---- entry points ---------------------------------------------------------------------------

  private entryNode(kind: EntryKind, id: string, accountId: string | undefined, unknown: boolean): string {
    const key = kind === 'anyone' ? '*' : kind === 'role' || kind === 'user' ? id : `${kind}:${id}`;
    if (!this.graph.hasNode(key)) this.graph.addNode(key, { kind, id, ...(accountId !== undefined && { accountId }), inSnapshot: false, unknown });
    return key;
  }

  private factsOf(key: string, make: () => Facts): Facts {
    let f = this.entryFacts.get(key);
    if (f === undefined) this.entryFacts.set(key, (f = make()));
    return f;
  }

  /** An account outside the snapshot, or one of the organization that could not be read. */
  private accountCaller(accountId: string): Caller {
    const place = this.place(accountId);
    const unknown = place.status === 'unreadable';
    const key = this.entryNode('account', accountId, accountId, unknown);
    const facts = this.factsOf(key, () =>
      new KeyFacts(new Map<string, readonly string[]>([['aws:principalaccount', [accountId]], ['aws:principalisawsservice', ['false']], ...this.orgFacts(place)]), new Map(), place.inOrg ? new Map() : this.outsideExclusions(false), accountId),
    );
    return { key, identity: { kind: 'account', accountId }, facts, named: false, unknown, ...(unknown && place.inOrg && !place.management && { scpAccount: accountId }) };
  }

  /** A role or user ARN outside the snapshot (its account is not read). */
  private outsidePrincipal(pr: NormalizedPrincipal): Caller {
    const accountId = pr.accountId ?? '';
    const place = this.place(accountId);
    const unknown = place.status === 'unreadable';
    const kind: EntryKind = pr.kind === 'user' ? 'user' : 'role';
    const key = this.entryNode(kind, pr.value, accountId, unknown);
    const facts = this.factsOf(key, () =>
      new KeyFacts(new Map<string, readonly string[]>([['aws:principalarn', [pr.value]], ['aws:principalaccount', [accountId]], ['aws:principalisawsservice', ['false']], ...this.orgFacts(place)]), new Map(), place.inOrg ? new Map() : this.outsideExclusions(false), accountId),
    );
    return { key, identity: { kind, arn: pr.value, accountId, name: pr.name }, facts, named: true, unknown, ...(unknown && place.inOrg && !place.management && { scpAccount: accountId }) };
  }

  private anyoneCaller(): Caller {
    const key = this.entryNode('anyone', '*', undefined, false);
    const facts = this.factsOf(key, () => new KeyFacts(new Map([['aws:principalisawsservice', ['false']]]), new Map(), this.outsideExclusions(true)));
    return { key, identity: { kind: 'anyone' }, facts, named: false, unknown: false };
  }

  private serviceCaller(pr: NormalizedPrincipal): Caller {
    const key = this.entryNode('service', pr.value, undefined, false);
    const facts = this.factsOf(key, () =>
      new KeyFacts(new Map<string, readonly string[]>([
        ['aws:principalisawsservice', ['true']],
        ['aws:principalservicename', [pr.value]],
        ['aws:principalarn', []],
        ['aws:principalaccount', []],
        ['aws:principalorgid', []],
        ['aws:principalorgpaths', []],
      ]),
      // A service principal carries no principal tags: every aws:PrincipalTag/* key is absent.
      SERVICE_TAGS),
    );
    return { key, identity: { kind: 'service', id: pr.value }, facts, named: true, unknown: false };
  }

  private federatedCaller(pr: NormalizedPrincipal): Caller {
    const key = this.entryNode('federated', pr.value, pr.accountId, false);
    const facts = this.factsOf(key, () =>
      new KeyFacts(new Map<string, readonly string[]>([
        ['aws:principalisawsservice', ['false']],
        ['aws:principalarn', []],
        ['aws:principalaccount', []],
        ['aws:principalorgid', []],
        ['aws:principalorgpaths', []],
      ])),
    );
    return { key, identity: { kind: 'federated', id: pr.value }, facts, named: true, unknown: false };
  }

  private memberCaller(p: Principal, named: boolean): Caller {
    return { key: p.arn, principal: p, identity: p.identity, facts: p.facts, named, unknown: false };
  }

  /** Callers that one principal value of a trust Allow names (before any evaluation). */
  private callersOf(pr: NormalizedPrincipal, target: Principal, out: Caller[]): void {
    switch (pr.kind) {
      case 'any':
        this.classCallers(this.globalIndex, target.arn, undefined, out);
        for (const [id, place] of this.places) if (place.status === 'unreadable') out.push(this.accountCaller(id));
        out.push(this.anyoneCaller());
        return;
      case 'account': {
        if (pr.wildcard || pr.accountId === undefined) {
          this.classCallers(this.globalIndex, target.arn, (p) => likeMatches(pr.value, p.arn) || likeMatches(pr.value, `arn:aws:iam::${p.accountId}:root`), out);
          out.push(this.anyoneCaller());
          return;
        }
        const place = this.place(pr.accountId);
        if (place.status === 'read') {
          const idx = this.accountIndex.get(pr.accountId);
          if (idx !== undefined) this.classCallers(idx, target.arn, undefined, out);
        } else out.push(this.accountCaller(pr.accountId));
        return;
      }
      case 'role':
      case 'user': {
        const place = this.place(pr.accountId);
        if (pr.wildcard) {
          if (pr.accountId !== undefined && place.status !== 'read') {
            out.push(this.accountCaller(pr.accountId));
            return;
          }
          const scope = pr.accountId === undefined ? this.globalIndex : this.accountIndex.get(pr.accountId);
          if (scope !== undefined) this.classCallers(scope, target.arn, (p) => likeMatches(pr.value, p.arn), out);
          if (pr.accountId === undefined) out.push(this.anyoneCaller());
          return;
        }
        if (place.status === 'read') {
          const p = this.principals.get(pr.value);
          // A trust naming a principal that no longer exists grants nothing (IAM would have replaced it by an id).
          if (p !== undefined) out.push(this.memberCaller(p, true));
        } else out.push(this.outsidePrincipal(pr));
        return;
      }
      case 'assumed-role': {
        const place = this.place(pr.accountId);
        if (place.status === 'read') {
          const p = this.roleByName.get(`${pr.accountId ?? ''}/${pr.name ?? ''}`);
          if (p !== undefined) out.push(this.memberCaller(p, true));
        } else out.push(this.accountCaller(pr.accountId ?? ''));
        return;
      }
      case 'service':
        out.push(this.serviceCaller(pr));
        return;
      case 'web-identity':
      case 'saml':
        out.push(this.federatedCaller(pr));
        return;
      default:
        return;
    }
  }

  private classCallers(idx: ClassIndex, arn: string, filter: ((p: Principal) => boolean) | undefined, out: Caller[]): void {
    for (const cls of idx.candidates(arn)) for (const m of cls.members) if (filter === undefined || filter(m)) out.push(this.memberCaller(m, false));
  }

  // ---- edges ----------------------------------------------------------------------------------

  private edgesInto(target: Principal): void {
    const parsed = this.docs.parse(this.trustPolicies.get(target.arn));
    this.reportDoc(parsed, target.accountId, `trust policy of ${target.arn}`);
    const trust: DocRef = { id: `trust policy of ${target.arn}`, doc: parsed.doc };
    // A class shares one judgement when nothing on the hop reads a per-principal key.
    const shareable = !parsed.perPrincipal && !this.scpPerPrincipal && !this.rcpPerPrincipal;
    for (const s of parsed.doc.statements) {
      if (s.effect !== 'Allow') continue;
      const callers: Caller[] = [];
      if (s.notPrincipal) {
        this.callersOf({ kind: 'any', type: '*', value: '*', ref: '*', wildcard: false } as NormalizedPrincipal, target, callers);
      } else for (const pr of s.principals) this.callersOf(pr, target, callers);
      const seen = new Set<string>();
      const byClass = new Map<CapClass, Caller[]>();
      for (const c of callers) {
        // A principal named exactly (S2) and also covered by `:root` or `*` is judged both ways.
        const once = c.named ? `named ${c.key}` : c.key;
        if (seen.has(once)) continue;
        seen.add(once);
        const p = c.principal;
        if (shareable && p !== undefined && !c.named && !s.notPrincipal) {
          const group = byClass.get(p.cls);
          if (group === undefined) byClass.set(p.cls, [c]);
          else group.push(c);
          continue;
        }
        const j = this.judge(c, target, s, trust, parsed.hasDeny);
        if (j !== undefined) this.emit(c, target, j);
      }
      for (const [cls, group] of byClass) {
        const j = this.judge(group[0], target, s, trust, parsed.hasDeny);
        if (j === undefined) continue;
        if (group.length > 1 && group.length === cls.members.length) {
          // The whole class may: one edge from its node, not one per member (no principal x role pairs).
          this.addEdge(this.classNode(cls), target.arn, { ...j, names: undefined });
        } else for (const c of group) this.emit(c, target, j);
      }
    }
  }

  /** The node of a capability class: its members reach it at no cost (a membership, not a hop). */
  private classNode(cls: CapClass): string {
    const key = `class:${cls.index}`;
    if (!this.graph.hasNode(key)) {
      this.graph.addNode(key, { kind: cls.members[0].kind, id: key, accountId: cls.accountId, inSnapshot: false, unknown: false, pseudo: true });
      for (const m of cls.members) this.graph.addEdge(m.arn, key, MEMBERSHIP);
    }
    return key;
  }

  private actionFor(c: Caller, s: NormalizedStatement): { bit: number; name: string } | undefined {
    if (c.identity.kind === 'federated') {
      const saml = c.identity.id?.includes(':saml-provider/') ?? false;
      const bit = saml ? ASSUME_ROLE_WITH_SAML : ASSUME_ROLE_WITH_WEB_IDENTITY;
      return (s.actionMask & bit) === 0 ? undefined : { bit, name: saml ? 'sts:AssumeRoleWithSAML' : 'sts:AssumeRoleWithWebIdentity' };
    }
    if ((s.actionMask & ASSUME_ROLE) !== 0) return { bit: ASSUME_ROLE, name: 'sts:AssumeRole' };
    // `"Principal": "*"` also admits a token or an assertion from any identity provider.
    if (c.identity.kind === 'anyone' && (s.actionMask & ASSUME_ROLE_WITH_WEB_IDENTITY) !== 0) return { bit: ASSUME_ROLE_WITH_WEB_IDENTITY, name: 'sts:AssumeRoleWithWebIdentity' };
    if (c.identity.kind === 'anyone' && (s.actionMask & ASSUME_ROLE_WITH_SAML) !== 0) return { bit: ASSUME_ROLE_WITH_SAML, name: 'sts:AssumeRoleWithSAML' };
    return undefined;
  }

  /**
   * Judges one caller against one trust Allow statement of the target: both sides, boundary, SCPs, RCPs,
   * Denies. Identity texts carry the class's placeholders; {@link emit} names the caller's own policies.
   */
  private judge(c: Caller, target: Principal, s: NormalizedStatement, trust: DocRef, trustHasDeny: boolean): Judged | undefined {
    // S4: no implicit self-trust; a role that names itself is judged like any other caller.
    const action = this.actionFor(c, s);
    if (action === undefined) return undefined;
    if (!statementNames(s, c.identity)) return undefined;
    const facts = new LayeredFacts(c.facts, target.targetFacts);
    const guards: GuardDraft[] = [];
    this.counter.evaluations++;
    if (s.conditions.length > 0) {
      const rest = residue(s.conditions, facts);
      if (rest === false) return undefined;
      const trustWhere = `trust policy of ${target.arn} statement ${stmtName(s)}`;
      for (const cond of rest) guards.push(conditionGuard(cond, 'trust', trustWhere));
    }
    // A NotPrincipal Deny applies to every caller with a permissions boundary, listed or not (see Request).
    // Only the same-account grey zone (below) keeps such a hop: there the boundary's effect is itself unsure.
    let boundaryDenied = false;
    if (trustHasDeny) {
      const req = { action: action.bit, resource: target.arn, facts, caller: c.identity, checkResource: false };
      let denies = evaluateSet([trust], req, 'trust', 'trust policy');
      if (denies.denied) return undefined;
      if (c.principal?.cls.boundary !== undefined) {
        const withBoundary = evaluateSet([trust], { ...req, callerHasBoundary: true }, 'trust', 'trust policy');
        if (withBoundary.denied) boundaryDenied = true;
        else denies = withBoundary;
      }
      guards.push(...denies.denyGuards);
    }
    if (c.identity.kind === 'federated') {
      const pr = s.principals.find((p) => (p.kind === 'web-identity' || p.kind === 'saml') && p.value === c.identity.id);
      const problem = pr === undefined ? undefined : federationProblem(s, pr);
      if (problem !== undefined && !problem.informational) {
        guards.push({ source: 'engine', key: 'federation:unbounded', text: `Any workload of ${c.identity.id ?? 'the provider'} may present a matching token: ${problem.reason}. ${problem.fix}` });
      }
    }
    let identity: string | undefined;
    let boundary: string | undefined;
    const p = c.principal;
    if (p !== undefined) {
      const v = this.classVerdict(p.cls, target);
      if (v.identity.denied || v.boundary?.denied === true) return undefined;
      const allowed = v.identity.allowed && (v.boundary === undefined || v.boundary.allowed);
      if (allowed) {
        if (boundaryDenied) return undefined;
        guards.push(...v.identity.allowGuards, ...(v.boundary?.allowGuards ?? []));
        identity = v.identity.allowReason;
      } else if (c.named && p.accountId === target.accountId) {
        guards.push({
          source: 'engine',
          key: GREY_ZONE_KEY,
          text: `The trust policy of ${target.arn} names ${p.arn} in the same account, which holds no ${v.identity.allowed ? 'permissions-boundary' : 'identity-policy'} allow for sts:AssumeRole on it; IAM's documentation is ambiguous on whether such a grant alone is enough (a grant to the session principal is; a boundary may still cut it), so confirm it live.`,
        });
      } else return undefined;
      guards.push(...v.identity.denyGuards, ...(v.boundary?.denyGuards ?? []));
      if (allowed) boundary = v.boundary?.allowReason;
    }
    const scpAccount = p?.accountId ?? c.scpAccount;
    let scpReasons: readonly string[] = [];
    if (scpAccount !== undefined) {
      const scp = this.scpVerdict(scpAccount, c, target, facts);
      if (scp === false) return undefined;
      guards.push(...scp.guards);
      scpReasons = scp.reasons;
    }
    if (c.unknown) {
      guards.push({ source: 'engine', key: UNREADABLE_KEY, text: `${c.identity.arn ?? c.identity.accountId ?? c.key} is in account ${c.identity.accountId ?? '?'}, which the snapshot could not read: whether its principals may call ${action.name} is unknown.` });
    }
    const rcp = this.rcpVerdict(c, target, facts, action.bit);
    if (rcp === false) return undefined;
    guards.push(...rcp.guards);
    // Guards that no single request can meet together (a trust requiring MFA, a caller Deny with MFA): no hop.
    if (guardsContradict(guards)) return undefined;
    return { guards, action: action.name, trust: stmtName(s), identity, boundary, scp: scpReasons, rcp: rcp.reasons };
  }

  private emit(c: Caller, target: Principal, j: Judged): void {
    this.addEdge(c.key, target.arn, { guards: j.guards, action: j.action, trust: j.trust, identity: j.identity, boundary: j.boundary, scp: j.scp, rcp: j.rcp, names: c.principal?.names });
  }

  private addEdge(from: string, to: string, info: EdgeInfo): void {
    const existing = this.graph.edge(from, to);
    if (existing === undefined) {
      this.graph.addEdge(from, to, info);
      return;
    }
    const old = this.graph.getEdgeAttributes(existing);
    if (rank(info) < rank(old)) this.graph.replaceEdgeAttributes(existing, info);
  }

  private classVerdict(cls: CapClass, target: Principal): ClassVerdict {
    let v = cls.memo.get(target.arn);
    if (v === undefined) {
      const facts = new LayeredFacts(cls.facts, target.targetFacts);
      const req = { action: ASSUME_ROLE, resource: target.arn, facts, checkResource: true };
      this.counter.evaluations++;
      const identity = evaluateSet(cls.docs, req, 'identity', 'identity policy');
      let boundary: SetVerdict | undefined;
      if (cls.boundary !== undefined) {
        this.counter.evaluations++;
        boundary = evaluateSet(cls.boundary, req, 'boundary', 'permissions boundary');
      }
      v = { identity, boundary };
      cls.memo.set(target.arn, v);
    }
    return v;
  }

  private levelDocs(levels: readonly string[], type: 'scp' | 'rcp'): DocRef[][] {
    return levels.map((l) => this.policyByTarget.get(l)?.[type] ?? []);
  }

  /** S6: every level of the caller account's path must allow, no Deny; the management account is exempt. false: denied. */
  private scpVerdict(accountId: string, c: Caller, target: Principal, facts: Facts): LevelVerdict {
    if (!this.scpOn) return OFF;
    const place = this.place(accountId);
    if (!place.inOrg || place.management) return OFF;
    const levels = this.levelDocs(place.levels, 'scp');
    const perCaller = levels.some((l) => l.some((d) => docPerPrincipal(d)));
    const key = `${perCaller ? c.key : accountId}|${target.arn}`;
    let v = this.scpMemo.get(key);
    if (v === undefined) {
      v = this.levels(levels, place.levels, { action: ASSUME_ROLE, resource: target.arn, facts, checkResource: true }, 'scp', 'SCP');
      this.scpMemo.set(key, v);
    }
    return v;
  }

  /** S7: every level of the target account's path must allow, no Deny; the management account is exempt. */
  private rcpVerdict(c: Caller, target: Principal, facts: Facts, action: number): LevelVerdict {
    if (!this.rcpOn) return OFF;
    const place = this.place(target.accountId);
    if (!place.inOrg || place.management) return OFF;
    const levels = this.levelDocs(place.levels, 'rcp');
    const perCaller = levels.some((l) => l.some((d) => docPerPrincipal(d)));
    const callerKey = perCaller || c.principal === undefined ? c.key : `account:${c.principal.accountId}`;
    const key = `${callerKey}|${action}|${target.arn}`;
    let v = this.rcpMemo.get(key);
    if (v === undefined) {
      v = this.levels(levels, place.levels, { action, resource: target.arn, facts, caller: c.identity, checkResource: true }, 'rcp', 'RCP');
      this.rcpMemo.set(key, v);
    }
    return v;
  }

  private levels(levels: readonly DocRef[][], ids: readonly string[], req: Parameters<typeof evaluateSet>[1], source: 'scp' | 'rcp', what: string): LevelVerdict {
    const guards: GuardDraft[] = [];
    const reasons: string[] = [];
    for (let k = 0; k < levels.length; k++) {
      this.counter.evaluations++;
      const v = evaluateSet(levels[k], req, source, what);
      if (v.denied || !v.allowed) return false;
      guards.push(...v.allowGuards, ...v.denyGuards);
      reasons.push(`${v.allowReason ?? ''} at ${ids[k]}`);
    }
    return { guards, reasons };
  }
}

/** What every level of an OU path says: false when one denies or has no Allow. */
type LevelVerdict = { readonly guards: readonly GuardDraft[]; readonly reasons: readonly string[] } | false;
const OFF: LevelVerdict = { guards: [], reasons: [] };

const NO_TAGS: ReadonlyMap<string, string> = new Map();
const SERVICE_TAGS: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map([['aws:principaltag/', NO_TAGS]]);
const NONE: readonly string[] = [];

/** One principal's keys over its account's: ARN, type, user name, tags. */
class PrincipalFacts implements Facts {
  private arnList: readonly string[] | undefined;
  constructor(
    private readonly base: Facts,
    private readonly arn: string,
    private readonly kind: 'role' | 'user',
    private readonly userName: string | undefined,
    private readonly tags: ReadonlyMap<string, string>,
    /** Its sessions may carry session tags (its trust allows sts:TagSession): principal tags are then the caller's choice. */
    private readonly tagsChosen: boolean,
  ) {}
  get(key: string): readonly string[] | undefined {
    switch (key) {
      case 'aws:principalarn':
        return (this.arnList ??= [this.arn]);
      case 'aws:principaltype':
        return this.kind === 'role' ? ASSUMED_ROLE : USER;
      case 'aws:username':
        return this.userName === undefined ? NONE : [this.userName];
      default:
        if (key.startsWith('aws:principaltag/')) {
          if (this.tagsChosen) return undefined;
          const t = this.tags.get(key.slice(17));
          return t === undefined ? NONE : [t];
        }
        return this.base.get(key);
    }
  }
  excluded(key: string): readonly string[] | undefined {
    return this.base.excluded(key);
  }
  get principalAccount(): string | undefined {
    return this.base.principalAccount;
  }
}
const ASSUMED_ROLE: readonly string[] = ['AssumedRole'];
const USER: readonly string[] = ['User'];

/** A role's resource keys: its account's, and its tags. */
class TargetFacts implements Facts {
  constructor(
    private readonly base: Facts,
    private readonly tags: ReadonlyMap<string, string>,
  ) {}
  get(key: string): readonly string[] | undefined {
    if (key.startsWith('aws:resourcetag/') || key.startsWith('iam:resourcetag/')) {
      const t = this.tags.get(key.slice(16));
      return t === undefined ? NONE : [t];
    }
    return this.base.get(key);
  }
  excluded(key: string): readonly string[] | undefined {
    return this.base.excluded(key);
  }
  readonly principalAccount = undefined;
}

/** One caller's hop, judged; identity texts may hold class placeholders (an edge without the caller's names). */
type Judged = Omit<EdgeInfo, 'names'>;

const cmpKey = (x: Parsed, y: Parsed): number => (x.sts?.id ?? -1) - (y.sts?.id ?? -1);

const PLACEHOLDER = /\uE000(\d+)\uE000/g;
/** Puts a class member's own policy names into what the class evaluation wrote with placeholders. */
function render(text: string, names: readonly string[]): string {
  return text.includes('\uE000') ? text.replace(PLACEHOLDER, (_, k: string) => names[Number(k)] ?? '?') : text;
}

const perPrincipalDocs = new WeakMap<object, boolean>();
function docPerPrincipal(d: DocRef): boolean {
  let v = perPrincipalDocs.get(d.doc);
  if (v === undefined) {
    v = d.doc.statements.some((s) => s.conditions.some((c) => c.key.startsWith('aws:principalarn') || c.key.startsWith('aws:principaltag/') || c.key === 'aws:username' || c.key === 'aws:userid' || c.values.some((x) => x.includes('${'))));
    perPrincipalDocs.set(d.doc, v);
  }
  return v;
}

/** Lower is better: no guard, then fewer guards; an unknown edge last. */
function rank(e: EdgeInfo): number {
  let r = e.guards.length;
  if (e.guards.some((g) => g.key.startsWith('unknown:'))) r += 1000;
  return r;
}
