/** The gateway's logger: pino, one line per request, never a key or a body. */
import { pino, type Logger } from 'pino';

export type { Logger };

/** `destination` lets tests capture lines; default is stdout. */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info', destination?: { write(s: string): void }): Logger {
  const options = {
    level,
    base: undefined,
    redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers["api-key"]', 'req.headers["x-goog-api-key"]', 'apiKey', 'api_key'], censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
