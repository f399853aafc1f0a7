// Entry of the audit worker when Aegis runs from its TypeScript sources (tests, `tsx`). Node 20 does not
// apply a parent's `--import tsx` hooks to a worker (nor an `--import` in the worker's execArgv), so the
// worker registers tsx itself before loading the TypeScript entry. Built code (`dist/`) starts
// `audit-worker.js` directly and never loads this file.
import { register } from 'tsx/esm/api';

register();
await import('./audit-worker.ts');
