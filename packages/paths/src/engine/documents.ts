import { ASSUME_ROLE, normalizePolicy, type NormalizedPolicy, type NormalizedStatement } from '@trustline/trust';

/** Keys whose value differs between principals of one account with the same policies (so a class cannot share their evaluation). */
const PER_PRINCIPAL_KEYS = ['aws:principalarn', 'aws:username', 'aws:userid', 'aws:principaltag/', 'aws:principaltype'];

/** A normalised document and what it depends on. */
export interface Parsed {
  readonly index: number;
  readonly doc: NormalizedPolicy;
  /** It reads a key (or a policy variable) that differs per principal of one account. */
  readonly perPrincipal: boolean;
  /** It has a Deny statement. */
  readonly hasDeny: boolean;
  /**
   * The statements that can allow or deny sts:AssumeRole (the only ones an identity policy or boundary
   * contributes to an edge), with a content key: principals whose such statements are equal share one
   * evaluation (the cheap structural pass). Undefined when there are none.
   */
  readonly sts: { readonly id: number; readonly doc: NormalizedPolicy; readonly perPrincipal: boolean } | undefined;
}

/**
 * Parses each distinct document once: the same object (or the same text, or an equal object) gets the
 * same {@link Parsed}, so AWS-managed policies that GAAD repeats in every account are normalised once.
 */
export class DocumentCache {
  private readonly byObject = new WeakMap<object, Parsed>();
  private readonly byText = new Map<string, Parsed>();
  private count = 0;
  /** Content key of an sts view -> a small id (documents with equal sts:AssumeRole statements share it). */
  private readonly stsIds = new Map<string, number>();

  get size(): number {
    return this.count;
  }

  parse(doc: unknown): Parsed {
    const isObject = typeof doc === 'object' && doc !== null;
    if (isObject) {
      const hit = this.byObject.get(doc);
      if (hit !== undefined) return hit;
    }
    let text: string;
    try {
      text = typeof doc === 'string' ? doc : (JSON.stringify(doc) ?? String(doc));
    } catch {
      text = String(doc);
    }
    let p = this.byText.get(text);
    if (p === undefined) {
      const normalized = normalizePolicy(doc);
      p = { index: this.count++, doc: normalized, perPrincipal: perPrincipal(normalized.statements), hasDeny: normalized.statements.some((s) => s.effect === 'Deny'), sts: this.stsView(normalized) };
      this.byText.set(text, p);
    }
    if (isObject) this.byObject.set(doc, p);
    return p;
  }

  private stsView(doc: NormalizedPolicy): Parsed['sts'] {
    const statements = doc.statements.filter((s) => s.effect !== undefined && (s.actionMask & ASSUME_ROLE) !== 0);
    if (statements.length === 0) return undefined;
    const key = JSON.stringify(statements.map((s) => [s.sid, s.effect, s.notResource, s.hasResource, s.resources, s.conditions.map((c) => [c.operator, c.key, c.values])]));
    let id = this.stsIds.get(key);
    if (id === undefined) this.stsIds.set(key, (id = this.stsIds.size));
    return { id, doc: { ...doc, statements }, perPrincipal: perPrincipal(statements) };
  }
}

function perPrincipal(statements: readonly NormalizedStatement[]): boolean {
  for (const s of statements) {
    for (const r of s.resources) if (r.includes('${')) return true;
    for (const c of s.conditions) {
      if (PER_PRINCIPAL_KEYS.some((k) => c.key.startsWith(k))) return true;
      if (c.values.some((v) => v.includes('${'))) return true;
    }
  }
  return false;
}
