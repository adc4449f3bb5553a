import { loadRegistry } from './packages/registry/src';
const c0 = process.cpuUsage(); const r = loadRegistry(process.argv[2] + '/accounts.json'); const c = process.cpuUsage(c0);
console.log(r.accounts.length, ((c.user + c.system) / 1000).toFixed(0), 'ms');
