/**
 * The STS actions a role trust policy can grant, as bits, so that wildcard expansion happens once per
 * distinct action string and rules test membership with a mask instead of string compares.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 */
import { likeMatches } from './conditions';
import type { NormalizedPrincipal } from './model';

export const ASSUME_ROLE = 1;
export const ASSUME_ROLE_WITH_WEB_IDENTITY = 2;
export const ASSUME_ROLE_WITH_SAML = 4;
export const TAG_SESSION = 8;
export const SET_SOURCE_IDENTITY = 16;
export const SET_CONTEXT = 32;
export const ALL_TRUST_ACTIONS = 63;

/** The STS trust actions, canonical spelling and bit. */
export const TRUST_ACTIONS: readonly { readonly name: string; readonly lower: string; readonly bit: number }[] = [
  { name: 'sts:AssumeRole', lower: 'sts:assumerole', bit: ASSUME_ROLE },
  { name: 'sts:AssumeRoleWithWebIdentity', lower: 'sts:assumerolewithwebidentity', bit: ASSUME_ROLE_WITH_WEB_IDENTITY },
  { name: 'sts:AssumeRoleWithSAML', lower: 'sts:assumerolewithsaml', bit: ASSUME_ROLE_WITH_SAML },
  { name: 'sts:TagSession', lower: 'sts:tagsession', bit: TAG_SESSION },
  { name: 'sts:SetSourceIdentity', lower: 'sts:setsourceidentity', bit: SET_SOURCE_IDENTITY },
  { name: 'sts:SetContext', lower: 'sts:setcontext', bit: SET_CONTEXT },
];

const EXACT = new Map<string, number>(TRUST_ACTIONS.map((a) => [a.lower, a.bit]));
/** Every distinct wildcard action is matched once against the six trust actions; the set seen in practice is tiny. */
const cache = new Map<string, number>();
const CACHE_LIMIT = 2048;

/**
 * Mask of the trust actions that `lower` (an action already lower-cased) matches. Wildcards match the way
 * IAM matches them: `*` any run, `?` one character. Non-STS actions give 0.
 */
export function actionBits(lower: string): number {
  const exact = EXACT.get(lower);
  if (exact !== undefined) return exact;
  let bits = cache.get(lower);
  if (bits !== undefined) return bits;
  bits = 0;
  if (lower.includes('*') || lower.includes('?')) {
    for (const a of TRUST_ACTIONS) if (likeMatches(lower, a.lower)) bits |= a.bit;
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(lower, bits);
  return bits;
}

/** Lower-case names of the trust actions in `mask`, in a fixed order. */
export function actionNames(mask: number, canonical = false): string[] {
  const out: string[] = [];
  for (const a of TRUST_ACTIONS) if (mask & a.bit) out.push(canonical ? a.name : a.lower);
  return out;
}

const NAMES_CACHE: string[][] = [];
/** Shared, frozen lower-case name lists per mask (the normaliser hands the same array to every statement). */
export function sharedActionNames(mask: number): readonly string[] {
  let names = NAMES_CACHE[mask];
  if (names === undefined) {
    names = actionNames(mask);
    Object.freeze(names);
    NAMES_CACHE[mask] = names;
  }
  return names;
}

/** The actions principals assume roles with (as opposed to the session actions). */
export const MAIN_ACTIONS = ASSUME_ROLE | ASSUME_ROLE_WITH_WEB_IDENTITY | ASSUME_ROLE_WITH_SAML;
const SESSION_ACTIONS = TAG_SESSION | SET_SOURCE_IDENTITY | SET_CONTEXT;

/** The action a principal assumes roles with; the bare `"Principal": "*"` may use any of them. */
export function mainActionOf(pr: NormalizedPrincipal): number {
  if (pr.kind === 'web-identity') return ASSUME_ROLE_WITH_WEB_IDENTITY;
  if (pr.kind === 'saml') return ASSUME_ROLE_WITH_SAML;
  if (pr.type === '*') return MAIN_ACTIONS;
  return ASSUME_ROLE;
}

/** The trust actions through which `pr` can get in, so a Deny fence must cover all of them to bound it. */
export function reachableActions(pr: NormalizedPrincipal): number {
  if (pr.type === '*') return ALL_TRUST_ACTIONS;
  return mainActionOf(pr) | SESSION_ACTIONS;
}
