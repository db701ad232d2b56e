/**
 * Starts the baseline pass in a worker thread and resolves with its result. From source (the
 * tests, under tsx) the worker registers tsx's loader first, as loadConfigIsolated does.
 */
import { Worker } from 'node:worker_threads';
import type { BaselineInput, BaselineOutput } from './baseline-pass.js';

const FROM_SOURCE = import.meta.url.endsWith('.ts');
const ENTRY = new URL(`./baseline-worker.${FROM_SOURCE ? 'ts' : 'js'}`, import.meta.url);

function startWorker(workerData: BaselineInput): Worker {
  if (!FROM_SOURCE) return new Worker(ENTRY, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((t) => t.register()).then(() => import(${JSON.stringify(ENTRY.href)}))`;
  return new Worker(code, { eval: true, workerData });
}

/** `signal` stops the worker (the gateway's run failed: nobody waits for this one). */
export function runBaselineThread(input: BaselineInput, onDone: (done: number) => void, signal: AbortSignal): Promise<BaselineOutput> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(input);
    let settled = false;
    signal.addEventListener('abort', () => void worker.terminate(), { once: true });
    worker.on('message', (m: { done?: number; output?: BaselineOutput; error?: string }) => {
      if (m.done !== undefined) onDone?.(m.done);
      if (m.output) {
        settled = true;
        resolve(m.output);
        void worker.terminate();
      }
      if (m.error !== undefined) {
        settled = true;
        reject(new Error(`the baseline pass failed: ${m.error}`));
      }
    });
    worker.once('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the baseline pass stopped unexpectedly (exit code ${code})`));
    });
  });
}
