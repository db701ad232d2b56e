/**
 * Run a listening gateway until the user stops it. The first SIGINT/SIGTERM drains: /readyz
 * answers 503 for `server.drain.readyz_grace_ms` while requests are still served (load balancers
 * that read it move traffic away), then the listener closes and open requests — long streams
 * included — finish for up to `server.drain.deadline_ms`, then the journal, counters and stores
 * close in order (SIGINT skips the /readyz wait: that is a person at a terminal). A second signal
 * cuts them at once. Orchestrators send SIGTERM and wait; people
 * press Ctrl-C twice when they mean it.
 */
import { DEFAULT_DRAIN, type DrainConfig } from '../config/observability-schema.js';
import type { Gateway } from '../gateway/gateway.js';
import type { CliIo } from './io.js';

export const DEFAULT_GRACE_MS = DEFAULT_DRAIN.deadlineMs;

export function runUntilStopped(io: CliIo, gw: Gateway, cleanup: () => Promise<void> = async () => {}, drain: Partial<DrainConfig> = gw.context.config.server.drain ?? DEFAULT_DRAIN): Promise<number> {
  const graceMs = drain.readyzGraceMs ?? DEFAULT_DRAIN.readyzGraceMs;
  const deadlineMs = drain.deadlineMs ?? DEFAULT_DRAIN.deadlineMs;
  return new Promise((resolve) => {
    let stopping = false;
    let notReady: NodeJS.Timeout | undefined;
    let closeNow: (() => void) | undefined;
    io.onStop((signal) => {
      if (stopping) {
        io.stderr.write('Stopping now.\n');
        closeNow?.();
        gw.server.closeAllConnections();
        return;
      }
      stopping = true;
      gw.startDraining();
      io.stderr.write(`\n${signal}: finishing open requests; /readyz answers 503 (Ctrl-C again to stop now)...\n`);
      const close = () => {
        closeNow = undefined;
        const force = setTimeout(() => gw.server.closeAllConnections(), deadlineMs);
        force.unref();
        gw.close()
          .then(cleanup)
          .then(
            () => {
              clearTimeout(force);
              io.stderr.write('Stopped.\n');
              resolve(0);
            },
            (e: unknown) => {
              clearTimeout(force);
              io.stderr.write(`error while stopping: ${(e as Error).message}\n`);
              resolve(1);
            },
          );
      };
      // Ctrl-C is a person at a terminal, not a load balancer: no wait for /readyz to be read.
      if (graceMs <= 0 || signal === 'SIGINT') return close();
      closeNow = () => {
        clearTimeout(notReady);
        close();
      };
      notReady = setTimeout(closeNow, graceMs);
    });
  });
}
/** listen(), turning "port in use" into an actionable message instead of a stack. */
export async function listenOrExplain(gw: Gateway, host: string, port: number, io: CliIo): Promise<string | undefined> {
  try {
    return await gw.listen();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') io.stderr.write(`error: port ${port} on ${host} is already in use; choose another with --port N (or PORT=N)\n`);
    else if (code === 'EACCES') io.stderr.write(`error: not allowed to listen on ${host}:${port}; ports below 1024 need privileges, try --port 4000\n`);
    else if (code === 'EADDRNOTAVAIL') io.stderr.write(`error: ${host} is not an address of this machine; try --host 127.0.0.1 or --host 0.0.0.0\n`);
    else throw e;
    await gw.close();
    return undefined;
  }
}
