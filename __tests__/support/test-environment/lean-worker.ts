/**
 * Keeps a jest worker's memory near what it really holds, so that it exits promptly when
 * jest ends it. Jest gives a worker 500 ms to exit before killing it and printing "A worker
 * process has failed to exit gracefully". These workers leave no handles open; what made
 * them miss the deadline was their size: each test file loads its own copy of the AWS SDK
 * and cdktf, V8 collects lazily, and a worker ended a run with 550-700 MB resident. Freeing
 * that much at exit is slow on this VM (strace: 290 ms of kernel teardown alone for 633 MB,
 * after V8's own), so exits took 480-800 ms. Collected after every file, a worker ends with
 * ~300 MB and exits in ~200-280 ms, with no measurable cost to the run's wall time
 * (`npm run test:unit` on a loaded machine: 29.6-32.9 s with, 34.8-56.8 s without).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collectGarbage: (() => void) | undefined;

/** A full garbage collection: called once a test file's environment is torn down. */
export function collectGarbageNow(): void {
  collectGarbage ??= exposeGc();
  collectGarbage();
}

/**
 * V8's `gc()` without `node --expose-gc` on jest's command line (`npx jest` and `npm test`
 * alike): the flag is set at run time, and a new context is created with the function.
 */
function exposeGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
