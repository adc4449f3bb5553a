// Entry of an offline-preview worker thread (see parallel.ts). Worker threads start without the main
// thread's TypeScript hooks (execArgv is emptied on purpose), so tsx's CommonJS hook is registered here,
// then the worker loop is loaded: programs are required as CommonJS, as Pulumi's Node.js host runs them.
require('tsx/cjs/api').register();
require('./preview-worker.ts');
