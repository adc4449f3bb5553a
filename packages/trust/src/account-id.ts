import { show } from '@trustline/contract';

/**
 * A 12-digit AWS account id, kept as a string so leading zeros survive ("012345678901").
 * https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html
 * The one owner of this pattern: the analyzer, the config contract and its JSON schema (from `.source`),
 * and the registry (which re-exports it) all use it.
 */
export const ACCOUNT_ID = /^\d{12}$/;

/**
 * An AWS Organizations id: "o-" then 10 to 32 lower-case letters or digits.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html
 * The one owner: the trust config and its JSON schema, the registry (which re-exports it) and the components.
 */
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;

/**
 * The sentence for a value that is not an account id: missing, a number (leading zeros lost), or any other
 * text. Every contract with an account id field (trust config, registry) reports it in these words.
 */
export function accountIdProblem(where: string, value: unknown): string {
  if (value === undefined) return `${where} is missing; write the 12-digit account id as a string, e.g. "012345678901".`;
  if (typeof value === 'number') return `${where} ${value} is a number; write the account id as a 12-digit string so leading zeros survive (e.g. "012345678901").`;
  return `${where} ${show(value)} is not a 12-digit AWS account id (keep it a string: "012345678901").`;
}
