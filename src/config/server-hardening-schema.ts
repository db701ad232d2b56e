/**
 * `server:` keys that harden the listener (issue #25 item 6). Read by the server once the request
 * stage lands; until then they are validated and resolved only. Defaults keep today's behaviour
 * where there is one (keep-alive 65 s and headers 66 s, as src/http/server.ts sets them; Node's
 * 300 s request timeout) and add caps that a healthy client never meets.
 *
 * ```yaml
 * server:
 *   headers_timeout_ms: 66000      # whole request head must arrive within this (slowloris)
 *   body_timeout_ms: 300000        # whole request, head and body (Node's server.requestTimeout): the backstop
 *   body_read_timeout_ms: 30000    # the body must arrive within this once the head is in: a 408 in the client's format
 *   write_timeout_ms: 30000        # a response blocked on a client that does not read is cut after this
 *   keep_alive_timeout_ms: 65000   # idle keep-alive connections close after this (above a 60 s load balancer)
 *   max_connections: 10000         # open connections beyond this are dropped at accept
 *   max_messages: 10000            # messages per chat request
 *   max_tools: 512                 # tools per chat request
 *   cors: { allow_origins: ["https://app.example.com"] }   # default: none (no CORS headers)
 * ```
 */
import { z } from 'zod';
import { whole } from './schema-primitives.js';

export const HARDENING_KEYS = ['headers_timeout_ms', 'body_timeout_ms', 'body_read_timeout_ms', 'write_timeout_ms', 'keep_alive_timeout_ms', 'max_connections', 'max_messages', 'max_tools', 'cors'] as const;
export const CORS_KEYS = ['allow_origins'] as const;

export interface ServerHardening {
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  /** The request body must arrive within this once the head is in (the gateway's own timer: answered 408 in the client's format). */
  bodyReadTimeoutMs: number;
  /** A response waiting this long for a client to take its bytes (or past the request's deadline) is destroyed. */
  writeTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
  maxMessages: number;
  maxTools: number;
  /** Origins browsers may call from ('*' = any); empty = no CORS headers (browsers refuse cross-origin calls). */
  corsAllowOrigins: string[];
}

export const DEFAULT_SERVER_HARDENING: ServerHardening = {
  headersTimeoutMs: 66_000,
  bodyTimeoutMs: 300_000,
  bodyReadTimeoutMs: 30_000,
  writeTimeoutMs: 30_000,
  keepAliveTimeoutMs: 65_000,
  maxConnections: 10_000,
  maxMessages: 10_000,
  maxTools: 512,
  corsAllowOrigins: [],
};


const origin = z
  .string({ error: 'expected an origin like https://app.example.com, or "*"' })
  .trim()
  .refine(
    (s) => {
      if (s === '*') return true;
      try {
        const u = new URL(s);
        return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === s.replace(/\/$/, '');
      } catch {
        return false;
      }
    },
    { error: 'expected an origin (scheme, host and optional port, no path) like https://app.example.com, or "*"' },
  )
  .transform((s) => s.replace(/\/$/, ''));

/** Spread into the `server:` object schema. */
export const serverHardeningFields = {
  headers_timeout_ms: whole('milliseconds from 1000', 1000, 3_600_000).optional(),
  body_timeout_ms: whole('milliseconds from 1000 (0 is not allowed: a request must end some time)', 1000, 86_400_000).optional(),
  body_read_timeout_ms: whole('milliseconds from 1000', 1000, 86_400_000).optional(),
  write_timeout_ms: whole('milliseconds from 1000', 1000, 86_400_000).optional(),
  keep_alive_timeout_ms: whole('milliseconds (0 = close after each response)', 0, 3_600_000).optional(),
  max_connections: whole('a whole number of connections from 1', 1, 10_000_000).optional(),
  max_messages: whole('a whole number of messages from 1', 1, 10_000_000).optional(),
  max_tools: whole('a whole number of tools from 0', 0, 100_000).optional(),
  cors: z.strictObject({ allow_origins: z.array(origin, { error: 'expected a list of origins' }) }, { error: 'expected { allow_origins: [...] }' }).optional(),
};

export interface RawServerHardening {
  headers_timeout_ms?: number | undefined;
  body_timeout_ms?: number | undefined;
  body_read_timeout_ms?: number | undefined;
  write_timeout_ms?: number | undefined;
  keep_alive_timeout_ms?: number | undefined;
  max_connections?: number | undefined;
  max_messages?: number | undefined;
  max_tools?: number | undefined;
  cors?: { allow_origins: string[] } | undefined;
}

export function resolveServerHardening(raw: RawServerHardening | undefined): ServerHardening {
  const d = DEFAULT_SERVER_HARDENING;
  return {
    headersTimeoutMs: raw?.headers_timeout_ms ?? d.headersTimeoutMs,
    bodyTimeoutMs: raw?.body_timeout_ms ?? d.bodyTimeoutMs,
    // Never longer than node's whole-request timer, which would cut first with a bare 408.
    bodyReadTimeoutMs: raw?.body_read_timeout_ms ?? Math.min(d.bodyReadTimeoutMs, raw?.body_timeout_ms ?? d.bodyTimeoutMs),
    writeTimeoutMs: raw?.write_timeout_ms ?? d.writeTimeoutMs,
    keepAliveTimeoutMs: raw?.keep_alive_timeout_ms ?? d.keepAliveTimeoutMs,
    maxConnections: raw?.max_connections ?? d.maxConnections,
    maxMessages: raw?.max_messages ?? d.maxMessages,
    maxTools: raw?.max_tools ?? d.maxTools,
    corsAllowOrigins: [...new Set(raw?.cors?.allow_origins ?? d.corsAllowOrigins)],
  };
}

/** Node refuses a head timeout longer than the whole-request timeout: say so at load, not at listen. For `server:`'s superRefine. */
export function refineHardening(raw: RawServerHardening, ctx: z.RefinementCtx): void {
  const h = resolveServerHardening(raw);
  if (h.bodyReadTimeoutMs > h.bodyTimeoutMs) {
    ctx.addIssue({ code: 'custom', path: ['body_read_timeout_ms'], message: `${h.bodyReadTimeoutMs} is longer than body_timeout_ms (${h.bodyTimeoutMs}), which would cut the request first with a bare 408; make it at most that` });
  }
  if (h.headersTimeoutMs > h.bodyTimeoutMs) {
    ctx.addIssue({ code: 'custom', path: ['headers_timeout_ms'], message: `${h.headersTimeoutMs} is longer than body_timeout_ms (${h.bodyTimeoutMs}); the head is part of the request, so it must be at most that` });
  }
}
