/** The gateway's logger: pino, one line per request, never a key or a body. */
import { pino, symbols as pinoSymbols, type Logger } from 'pino';
import { LineSink } from './line-sink.js';

export type { Logger };

/**
 * `destination` lets tests capture lines; default is stdout through a buffered,
 * asynchronous writer of the logger's own (one write per 16 KiB of log or per
 * 200 ms, not per request: hot path; lines still buffered are written on exit or
 * when the owner closes it: stdoutSink()).
 */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info', destination: { write(s: string): void } = stdoutSink()): Logger {
  const options = {
    level,
    base: undefined,
    redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers["api-key"]', 'req.headers["x-goog-api-key"]', 'apiKey', 'api_key'], censor: '[redacted]' },
  };
  return pino(options, destination);
}

/** A buffered stdout writer, flushed on exit unless closed first (close() writes what waits, and stops listening for exit). */
export function stdoutSink(): LineSink {
  return new LineSink(1, { flushOnExit: true });
}

/** The one line logged per request: never bodies or headers that could carry keys. */
export interface AccessEntry {
  requestId: string;
  method: string;
  path: string;
  status: number;
  ms: number;
  provider?: string | undefined;
  attempts?: number | undefined;
  aborted?: boolean;
  /** Why the gateway cut the response short, when it did (a client that stopped reading: `write_timeout`, `deadline`). */
  reason?: string | undefined;
}

/**
 * A writer for access lines, in pino's line shape (level, time, fields, msg),
 * straight to the logger's destination: this line is on every request's path,
 * and pino's generic serialisation costs several times a template's. Other
 * logs go through pino as usual; the level is checked on each call.
 */
export function accessLogger(logger: Logger): (e: AccessEntry) => void {
  const stream = (logger as unknown as Record<symbol, { write(s: string): void }>)[pinoSymbols.streamSym];
  if (!stream) return (e) => logger.info(e, 'request');
  return (e) => {
    if (!logger.isLevelEnabled('info')) return;
    let line = `{"level":30,"time":${Date.now()},"requestId":${jsonString(e.requestId)},"method":${jsonString(e.method)},"path":${jsonString(e.path)},"status":${e.status},"ms":${e.ms}`;
    if (e.provider !== undefined) line += `,"provider":${jsonString(e.provider)}`;
    if (e.attempts !== undefined) line += `,"attempts":${e.attempts}`;
    if (e.aborted) line += ',"aborted":true';
    if (e.reason !== undefined) line += `,"reason":${jsonString(e.reason)}`;
    stream.write(`${line},"msg":"request"}\n`);
  };
}

/** A JSON string literal: quoted as is when nothing needs escaping (the usual ids and paths), else JSON.stringify. */
function jsonString(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Control characters, quote, backslash, and the line separators some JSON readers trip on.
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x2028 || c === 0x2029) return JSON.stringify(s);
  }
  return `"${s}"`;
}
