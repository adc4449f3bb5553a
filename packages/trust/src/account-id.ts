/**
 * A 12-digit AWS account id, kept as a string so leading zeros survive ("012345678901").
 * https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html
 * The one owner of this pattern: the analyzer, the config contract and its JSON schema (from `.source`),
 * and the registry (which re-exports it) all use it.
 */
export const ACCOUNT_ID = /^\d{12}$/;
