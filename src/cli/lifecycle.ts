/**
 * Run a listening gateway until the user stops it: the first SIGINT/SIGTERM
 * lets open requests (long streams included) finish for up to `graceMs`, a
 * second one cuts them at once. Orchestrators send SIGTERM and wait; people
 * press Ctrl-C twice when they mean it.
 */
import type { Gateway } from '../gateway/gateway.js';
import type { CliIo } from './io.js';

export const DEFAULT_GRACE_MS = 10_000;

export function runUntilStopped(io: CliIo, gw: Gateway, cleanup: () => Promise<void> = async () => {}, graceMs = DEFAULT_GRACE_MS): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    io.onStop((signal) => {
      if (stopping) {
        io.stderr.write('Stopping now.\n');
        gw.server.closeAllConnections();
        return;
      }
      stopping = true;
      io.stderr.write(`\n${signal}: finishing open requests (Ctrl-C again to stop now)...\n`);
      const force = setTimeout(() => gw.server.closeAllConnections(), graceMs);
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
