import { copyWorkspace, registerAccounts } from './packages/bench/src';
const ws = copyWorkspace(); registerAccounts(ws, Number(process.argv[2])); console.log(ws);
