import { normalizePolicy, type NormalizedPolicy } from '@trustline/trust';

/** Keys whose value differs between principals of one account with the same policies (so a class cannot share their evaluation). */
const PER_PRINCIPAL_KEYS = ['aws:principalarn', 'aws:username', 'aws:userid', 'aws:principaltag/', 'aws:principaltype'];

/** A normalised document and what it depends on. */
export interface Parsed {
  readonly index: number;
  readonly doc: NormalizedPolicy;
  /** It reads a key (or a policy variable) that differs per principal of one account. */
  readonly perPrincipal: boolean;
}

/**
 * Parses each distinct document once: the same object (or the same text, or an equal object) gets the
 * same {@link Parsed}, so AWS-managed policies that GAAD repeats in every account are normalised once.
 */
export class DocumentCache {
  private readonly byObject = new WeakMap<object, Parsed>();
  private readonly byText = new Map<string, Parsed>();
  private count = 0;

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
      p = { index: this.count++, doc: normalized, perPrincipal: perPrincipal(normalized) };
      this.byText.set(text, p);
    }
    if (isObject) this.byObject.set(doc, p);
    return p;
  }
}

function perPrincipal(doc: NormalizedPolicy): boolean {
  for (const s of doc.statements) {
    for (const r of s.resources) if (r.includes('${')) return true;
    for (const c of s.conditions) {
      if (PER_PRINCIPAL_KEYS.some((k) => c.key.startsWith(k))) return true;
      if (c.values.some((v) => v.includes('${'))) return true;
    }
  }
  return false;
}
