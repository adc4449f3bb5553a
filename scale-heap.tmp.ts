import * as v8 from 'node:v8';
process.on('beforeExit', () => { if (!(global as any).__snap) { (global as any).__snap = 1; global.gc?.(); console.error(v8.writeHeapSnapshot('/tmp/scale-prof/access.heapsnapshot')); } });
require('./packages/bench/src/run-access.ts');
