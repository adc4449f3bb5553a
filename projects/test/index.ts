import { AccountBaseline, createAccountProvider } from '@trustline/components';
import { getAccount, loadRegistry } from '@trustline/registry';

const registry = loadRegistry();
const account = getAccount(registry, 'test');
const provider = createAccountProvider('test', { registry, account });
const baseline = new AccountBaseline('test-baseline', { accountKey: account.key }, { provider });

export const accountId = account.accountId;
export const bucketName = baseline.bucketName;
export const parameterName = baseline.parameterName;
