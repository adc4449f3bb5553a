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
