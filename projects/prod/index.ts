import { AccountBaseline, createAccountProvider } from '@trustline/components';
import { getAccount, loadRegistry } from '@trustline/registry';

const registry = loadRegistry();
const account = getAccount(registry, 'prod');
const provider = createAccountProvider('prod', { registry, account });
const baseline = new AccountBaseline('prod-baseline', { accountKey: account.key }, { provider });

export const accountId = account.accountId;
export const bucketName = baseline.bucketName;
export const parameterName = baseline.parameterName;
