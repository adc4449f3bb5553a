import { copyWorkspace, onboardAccounts } from './packages/bench/src';
(async () => { console.info = () => undefined; const ws = copyWorkspace(); await onboardAccounts(ws, Number(process.argv[2])); console.log(ws); })();
