export { cliOption, fit, type Fit } from './fit';
export { REPO, copyWorkspace, generatedAccount, onboardAccounts, registerAccounts } from './workspace';
