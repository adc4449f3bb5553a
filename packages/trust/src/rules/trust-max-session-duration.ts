import type { FindingSink } from '../context';
import { defineRule } from './rule';

export const trustMaxSessionDuration = defineRule({
  id: 'trust-max-session-duration',
  description: "The role's MaxSessionDuration exceeds the configured maximum.",
  defaultEnforcement: 'advisory',
  exemptable: true,
  broad: false,
  emittedBy: ['checkMaxSessionDuration'],
  fix: 'Set maxSessionDuration to the configured maximum or less.',
});

/** Judges a valid MaxSessionDuration `value` (seconds; `defaulted` when IAM's default applies) against the configured `max`. */
export function judgeSessionDuration(value: number, defaulted: boolean, max: number, out: FindingSink): void {
  if (value <= max) return;
  const fix = `Set maxSessionDuration to ${max} or less.`;
  out.add(trustMaxSessionDuration.id, 'MaxSessionDuration', null, undefined, `MaxSessionDuration ${value} seconds${defaulted ? " (IAM's default)" : ''} exceeds the configured maximum of ${max} seconds; long sessions outlive revoked access. ${fix}`, fix);
}
