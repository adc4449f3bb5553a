import { copyWorkspace, onboardAccounts } from './packages/bench/src';
(async () => {
  const ws = copyWorkspace();
  const t0 = performance.now();
  await onboardAccounts(ws, Number(process.argv[2]));
  console.log(ws, (performance.now() - t0).toFixed(0), 'ms');
})();
