/** The gateway's logger: pino, one line per request, never a key or a body. */
import { destination as pinoDestination, pino, type Logger } from 'pino';

export type { Logger };

/**
 * `destination` lets tests capture lines; default is stdout through a buffered,
 * asynchronous writer (one write per 4 KiB of log, not per request: hot path).
 * Lines still buffered are flushed on exit.
 */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info', destination?: { write(s: string): void }): Logger {
  const options = {
    level,
    base: undefined,
    redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers["api-key"]', 'req.headers["x-goog-api-key"]', 'apiKey', 'api_key'], censor: '[redacted]' },
  };
  return pino(options, destination ?? stdout());
}

let shared: ReturnType<typeof pinoDestination> | undefined;

/** One buffered stdout writer per process, flushed on exit. */
function stdout(): ReturnType<typeof pinoDestination> {
  if (!shared) {
    const out = pinoDestination({ dest: 1, sync: false, minLength: 4096 });
    process.once('exit', () => {
      try {
        out.flushSync();
      } catch {
        // Exiting anyway: a writer still busy keeps what it already wrote.
      }
    });
    shared = out;
  }
  return shared;
}
