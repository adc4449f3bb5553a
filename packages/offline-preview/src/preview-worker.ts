import { parentPort, workerData } from 'node:worker_threads';
import { type ToWorker, type WorkerData, runStack } from './parallel';
import { loadWorkspaceRegistry } from './preview';
import * as stackModule from './stack';

/*
 * One offline-preview worker thread: asks the main thread for a stack, runs it (program under mocks,
 * then the pack), sends the result back, and asks again until told to stop. The Pulumi runtime is
 * per thread (module state), so each worker runs its stacks one after another, like the main thread.
 */
function serve(): void {
  const port = parentPort;
  if (!port) throw new Error('preview-worker.ts runs as a worker thread of the offline preview (parallel.ts), not on its own.');
  const data = workerData as WorkerData;
  const { registry } = loadWorkspaceRegistry(data.workspace);
  const pack = stackModule.trustGuardPack();
  port.on('message', (message: ToWorker) => {
    if (message.type === 'stop') {
      port.close();
      return;
    }
    const started = performance.now();
    void runStack(data.workspace, data.projects[message.index], registry, pack, stackModule).then((stack) =>
      port.postMessage({ type: 'done', index: message.index, stack, ms: performance.now() - started }),
    );
  });
  port.postMessage({ type: 'ready' });
}

serve();
