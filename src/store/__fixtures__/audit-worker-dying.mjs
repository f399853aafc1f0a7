// Worker entry for the take-over test: runs the real audit worker, then ends the thread abruptly when
// the third batch of records arrives (after the real worker has received it, before it is committed).
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import('../audit-worker.ts');
let batches = 0;
parentPort?.on('message', (request) => {
  if (request.type === 'records' && ++batches === 3) process.exit(7);
});
