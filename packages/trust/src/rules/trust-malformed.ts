import { MAIN_ACTIONS, mainActionOf } from '../actions';
import type { FindingSink } from '../context';
import type { NormalizedPolicy, NormalizedPrincipal, NormalizedStatement } from '../model';
import { quote } from '../normalize';
import { asClause, defineRule } from './rule';
import { principalJson } from '../principals';

export const trustMalformed = defineRule({
  id: 'trust-malformed',
  description:
    'A document IAM would refuse or that cannot be validated: bad Version, placeholders, missing fields, Resource in a trust policy, invalid principals, actions that do not fit the principal. An Effect in another letter case ("allow"), which IAM accepts, is reported as informational under the key Statement::N::EffectCase.',
  defaultEnforcement: 'mandatory',
  exemptable: true,
  broad: false,
  emittedBy: ['analyzeTrustPolicy', 'analyzeIdentityPolicy', 'checkMaxSessionDuration'],
  fix: 'Correct the field the message names to the form it says IAM allows, so that the document can be validated.',
});

const id = trustMalformed.id;
const TRUST_ACTION_LIST = 'sts:AssumeRole, sts:AssumeRoleWithWebIdentity, sts:AssumeRoleWithSAML, sts:TagSession, sts:SetSourceIdentity or sts:SetContext';
const STATEMENT_FIELDS = 'Sid, Effect, Principal, NotPrincipal, Action, NotAction and Condition';

/** Document-level problems of a trust policy: unreadable input, a Version other than "2012-10-17", and the normaliser's problems. */
export function reportDocumentProblems(doc: NormalizedPolicy, out: FindingSink): void {
  if (!doc.parsed) {
    const why = doc.problems.length > 0 ? doc.problems[0].message : 'The input is not a policy document.';
    const fix = 'Pass the policy as a JSON object or a JSON string.';
    out.add(id, 'Document', null, undefined, `The trust policy could not be validated: ${why} ${fix}`, fix);
    return;
  }
  if (doc.versionPresent && doc.version !== undefined && doc.version !== '2012-10-17') {
    const v = doc.version;
    if (/[\u2010-\u2015\u2212]/.test(v)) {
      const fix = 'Write "2012-10-17" with plain hyphens.';
      out.add(id, 'Version', null, undefined, `Version ${quote(v)} contains typographic dashes (often copied from a web page); ${asClause(fix)}`, fix);
    } else {
      const fix = `Use "2012-10-17", the only version that supports policy variables and that IAM's examples use.`;
      out.add(id, 'Version', null, undefined, `Version ${quote(v)} is not "2012-10-17"; ${asClause(fix)}`, fix);
    }
  }
  for (const pr of doc.problems) {
    const subject = pr.statementIndex === null ? pr.field : `Statement::${pr.statementIndex}::${pr.field}`;
    out.add(id, subject, pr.statementIndex, undefined, pr.message, trustMalformed.fix);
  }
}

/** Fields of one statement that IAM refuses or that are missing; an Effect in another letter case is informational. */
export function reportStatementShape(s: NormalizedStatement, out: FindingSink): void {
  const i = s.index;
  if (s.effect === undefined) {
    const fix = 'Write "Effect": "Allow" or "Effect": "Deny" (case-sensitive).';
    out.add(id, `Statement::${i}::Effect`, i, undefined, `Statement ${i} has no valid Effect; ${asClause(fix)}`, fix);
  } else if (s.effectMiscased !== undefined) {
    const canonical = s.effect;
    const how = canonical === 'Allow' ? 'its principals are judged as allowed' : 'it is not counted as a Deny that bounds the other statements';
    const fix = `Write "Effect": "${canonical}".`;
    // Informational, under its own key: IAM accepts the spelling, so it must never block a deploy.
    out.add(
      id,
      `Statement::${i}::EffectCase`,
      i,
      undefined,
      `Statement ${i} has "Effect": ${quote(s.effectMiscased)}. IAM's reference calls Effect case-sensitive, yet IAM accepts this spelling (AWS Control Tower Account Factory for Terraform deploys a role with "allow"); ${how}. ${fix}`,
      fix,
      true,
    );
  }
  if (s.principalMissing) {
    const fix = 'A trust policy must name who may assume the role, e.g. {"AWS": "arn:aws:iam::111111111111:role/deploy"}.';
    out.add(id, `Statement::${i}::Principal`, i, undefined, `Statement ${i} has no Principal; ${asClause(fix)}`, fix);
  }
  if (s.actionMissing) {
    const fix = 'Use "sts:AssumeRole" (or the federation action the principal needs).';
    out.add(id, `Statement::${i}::Action`, i, undefined, `Statement ${i} has no Action; ${asClause(fix)}`, fix);
  } else if (s.actions.length > 0 && s.actionMask === 0 && !s.notAction) {
    out.add(id, `Statement::${i}::Action`, i, undefined, `Statement ${i} has actions ${quote(s.actions)} but a trust policy can only grant ${TRUST_ACTION_LIST}.`, `Grant only ${TRUST_ACTION_LIST}.`);
  }
  if (s.hasResource) {
    const fix = 'Remove it.';
    out.add(id, `Statement::${i}::Resource`, i, undefined, `Statement ${i} has ${s.notResource ? 'NotResource' : 'Resource'} ${quote(s.resources)}, which IAM refuses in a trust policy (the role itself is the resource); ${asClause(fix)}`, fix);
  }
  for (const f of s.unknownFields) {
    out.add(id, `Statement::${i}::${f}`, i, undefined, `Statement ${i} has unknown field ${quote(f)}; allowed are ${STATEMENT_FIELDS}.`, `Remove ${quote(f)}; allowed are ${STATEMENT_FIELDS}.`);
  }
}

/** Condition values that still hold template placeholders (`<id>`, `{{id}}`, `${id}`). */
export function reportPlaceholders(s: NormalizedStatement, placeholders: readonly string[], out: FindingSink): void {
  const fix = 'Put the real values in.';
  out.add(id, `Statement::${s.index}::Condition`, s.index, undefined, `Statement ${s.index}: condition values ${quote(placeholders)} still contain template placeholders; ${asClause(fix)}`, fix);
}

/** An Allow with NotAction that excludes every trust action: it grants nothing a trust policy can grant. */
export function reportNotActionGrantsNothing(s: NormalizedStatement, out: FindingSink): void {
  const fix = 'Use Action and list the actions the principal needs, usually "sts:AssumeRole".';
  out.add(id, `Statement::${s.index}::Action`, s.index, undefined, `Statement ${s.index} has NotAction ${quote(s.actions)}, which leaves no trust action to grant; ${asClause(fix)}`, fix);
}

/** A principal type in the wrong letter case (`{"aws": "*"}`); the caller then judges it as `canonical` too. */
export function reportPrincipalTypeCase(s: NormalizedStatement, pr: NormalizedPrincipal, canonical: string, out: FindingSink): void {
  out.add(id, `Principal::${pr.ref}`, s.index, pr.ref, `Statement ${s.index}: principal ${principalJson(pr)} ${pr.problem ?? 'is not valid'}; principal types are case-sensitive, write "${canonical}".`, `Write "${canonical}".`);
}

/**
 * A principal IAM refuses (invalid, or a CanonicalUser) or one granted only actions it cannot use. Returns
 * false when the principal cannot be judged further (invalid or CanonicalUser).
 */
export function judgePrincipalShape(s: NormalizedStatement, pr: NormalizedPrincipal, out: FindingSink): boolean {
  const i = s.index;
  const ref = pr.ref;
  if (pr.kind === 'invalid') {
    out.add(id, `Principal::${ref}`, i, ref, `Statement ${i}: principal ${principalJson(pr)} ${pr.problem ?? 'is not valid'}.`, trustMalformed.fix);
    return false;
  }
  if (pr.kind === 'canonical-user') {
    const fix = 'Name an AWS account, role or service instead.';
    out.add(id, `Principal::${ref}`, i, ref, `Statement ${i}: principal ${principalJson(pr)} is a CanonicalUser, which role trust policies do not accept; ${asClause(fix)}`, fix);
    return false;
  }
  if ((s.actionMask & mainActionOf(pr)) === 0 && (s.explicitMask & MAIN_ACTIONS) !== 0) {
    const fits = pr.kind === 'web-identity' ? 'sts:AssumeRoleWithWebIdentity' : pr.kind === 'saml' ? 'sts:AssumeRoleWithSAML' : 'sts:AssumeRole';
    out.add(id, `Principal::${ref}`, i, ref, `Statement ${i}: principal ${principalJson(pr)} cannot use actions ${quote(s.actions)}; it assumes roles with ${fits}.`, `Grant ${fits}.`);
  }
  return true;
}

/** A bug in the analyzer must not pass a policy: it becomes a "could not be validated" finding. */
export function reportAnalyzerFailure(e: unknown, out: FindingSink): void {
  const fix = 'Report this with the policy that caused it.';
  out.add(id, 'Document', null, undefined, `The trust policy could not be validated: the analyzer failed (${e instanceof Error ? e.message : String(e)}). ${fix}`, fix);
}

/**
 * Shapes IAM refuses in an identity policy: a document that cannot be read, a Statement that is missing,
 * an empty list, or holds something other than objects (`[[{...}]]`, `[1]`), an unknown document field, a
 * repeated key, a Version that is not a string, and statements without Effect, Action or Resource
 * (`[{}]`). Such a document cannot be validated, so it must never pass as "no findings". Returns false
 * when the document could not be read at all.
 */
export function reportIdentityShape(model: NormalizedPolicy, out: FindingSink): boolean {
  if (!model.parsed) {
    out.add(id, 'Document', null, undefined, `The identity policy could not be validated: ${model.problems[0]?.message ?? 'it is not a policy document.'}`, trustMalformed.fix);
    return false;
  }
  for (const pr of model.problems) {
    if (pr.statementIndex !== null && pr.field !== 'Statement') continue;
    // The trust analyzer's keys, so one exemption key means the same under both.
    const subject = pr.statementIndex === null ? pr.field : `Statement::${pr.statementIndex}::${pr.field}`;
    out.add(id, subject, pr.statementIndex, undefined, `The identity policy cannot be validated: ${pr.message}`, trustMalformed.fix);
  }
  for (const s of model.statements) {
    const missing = [s.effect === undefined ? 'a valid Effect ("Allow" or "Deny")' : undefined, s.actionMissing ? 'an Action or NotAction' : undefined, s.hasResource ? undefined : 'a Resource or NotResource'].filter(
      (m): m is string => m !== undefined,
    );
    if (missing.length === 0) continue;
    const fix = 'Write "Effect", "Action" and "Resource".';
    out.add(
      id,
      `Statement::${s.index}`,
      s.index,
      undefined,
      `Statement ${s.index} of the identity policy lacks ${missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]}`}; IAM refuses it, so what it grants cannot be judged. ${fix}`,
      fix,
    );
  }
  return true;
}

/** A MaxSessionDuration IAM refuses: not a whole number of seconds from `min` to `max`. */
export function reportSessionDurationRefused(value: unknown, min: number, max: number, out: FindingSink): void {
  out.add(
    id,
    'MaxSessionDuration',
    null,
    undefined,
    `MaxSessionDuration ${JSON.stringify(value) ?? String(value)} is not a whole number of seconds from ${min} to ${max}; IAM refuses it.`,
    `Set MaxSessionDuration to a whole number of seconds from ${min} to ${max}.`,
  );
}
