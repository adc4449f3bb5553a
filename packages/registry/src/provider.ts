/**
 * Type token of an explicit or default AWS provider resource (`pulumi:providers:<package>`), the resource
 * that performs an account's role chain. Owned here, the lowest layer the policies (trust-guard) and the
 * account-project test support (testing) both import.
 */
export const AWS_PROVIDER_TYPE = 'pulumi:providers:aws';
