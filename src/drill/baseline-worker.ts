/**
 * Worker entry of the baseline pass: runs it, posts progress (`{ done }`) and then the result
 * (`{ output }`), or `{ error }`. The SDKs print to the console what they cannot parse (a
 * malformed frame is part of some scenarios): this thread's console is theirs only, and quiet.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runBaselinePass, type BaselineInput } from './baseline-pass.js';

console.error = () => {};
console.warn = () => {};

runBaselinePass(workerData as BaselineInput, (done) => {
  if (done % 50 === 0) parentPort!.postMessage({ done });
}).then(
  (output) => parentPort!.postMessage({ output }),
  (e: unknown) => parentPort!.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
);
