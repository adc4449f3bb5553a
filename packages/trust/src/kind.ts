import { actionBits } from './actions';
import { isObj } from './values';

/** Which analyzer a stand-alone policy document is judged by. */
export type PolicyDocumentKind = 'trust' | 'identity';


/** Field names are matched in any letter case: the analyzer judges `"principal"` as Principal too. */
const PRINCIPAL_FIELDS = new Set(['principal', 'notprincipal']);
const ACTION_FIELDS = new Set(['action', 'notaction']);
const RESOURCE_FIELDS = new Set(['resource', 'notresource']);

/** True when an Action/NotAction value can grant a trust action (`sts:AssumeRole*`, `sts:TagSession`, `sts:*`, `*`, ...). */
function grantsTrustAction(field: string, value: unknown): boolean {
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  // NotAction grants every action it does not list, STS ones included (unless it lists them all).
  if (field === 'notaction') return true;
  return list.some((a) => typeof a === 'string' && actionBits(a.toLowerCase()) !== 0);
}

/**
 * Decides whether a lone policy document (a file with no resource around it) is a role trust policy or an
 * identity policy. It is a trust policy when any object anywhere in it, at any depth and in any letter
 * case, names a `Principal` or `NotPrincipal`, or grants a trust action (`sts:AssumeRole*`,
 * `sts:TagSession`, `sts:SetSourceIdentity`, `sts:*`, `*`, NotAction) without naming a `Resource`: only
 * resource and trust policies name principals, and an identity policy must name the resources it allows.
 * Looking at every depth matters: `"Statement": [[{"Principal": "*", ...}]]` is a broken trust policy
 * (reported as malformed), not a harmless identity policy. A string that is not JSON is a trust policy, so
 * the stricter analyzer reports it. Iterative, so deeply nested input cannot overflow the stack.
 */
export function policyDocumentKind(doc: unknown): PolicyDocumentKind {
  let value = doc;
  if (typeof value === 'string') {
    try {
      const text = value.trimStart().startsWith('%') ? decodeURIComponent(value) : value;
      value = JSON.parse(text);
    } catch {
      return 'trust';
    }
  }
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (const e of v) if (typeof e === 'object' && e !== null) stack.push(e);
      continue;
    }
    if (!isObj(v)) continue;
    let resource = false;
    let trustAction = false;
    for (const k of Object.keys(v)) {
      const lower = k.toLowerCase();
      if (PRINCIPAL_FIELDS.has(lower)) return 'trust';
      if (RESOURCE_FIELDS.has(lower)) resource = true;
      else if (ACTION_FIELDS.has(lower) && grantsTrustAction(lower, v[k])) trustAction = true;
      const child = v[k];
      if (typeof child === 'object' && child !== null) stack.push(child);
    }
    if (trustAction && !resource) return 'trust';
  }
  return 'identity';
}
