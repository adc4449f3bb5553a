import { runOfflinePreview } from './packages/offline-preview/src/preview';
(async () => {
  const ws = process.argv[2];
  await runOfflinePreview({ workspace: ws, projects: ['dev'], workers: 1 });
  const c0 = process.cpuUsage(); const t0 = performance.now();
  const r = await runOfflinePreview({ workspace: ws, workers: Number(process.argv[3] ?? 1) });
  const c = process.cpuUsage(c0);
  console.error(`stacks=${r.summary.stacks} exit=${r.exitCode} cpu=${((c.user + c.system) / 1000).toFixed(0)}ms wall=${(performance.now() - t0).toFixed(0)}ms`);
})();
