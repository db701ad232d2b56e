/**
 * CORS for browser clients, off unless `server.cors.allow_origins` lists origins (a gateway spends
 * provider keys: a web page must not call it from anywhere by default). An allowed origin gets the
 * headers on every answer and a preflight (OPTIONS) is answered at once; anything else gets none,
 * so the browser refuses the cross-origin call.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const ALLOW_HEADERS = 'authorization, content-type, x-api-key, anthropic-version, anthropic-beta, x-request-id, x-switchyard-conversation, x-switchyard-priority, x-stainless-timeout';
const EXPOSE_HEADERS = 'x-request-id, x-switchyard-provider, x-switchyard-model, x-switchyard-attempts, x-should-retry, retry-after, x-ratelimit-limit-requests, x-ratelimit-remaining-requests, x-ratelimit-reset-requests, x-ratelimit-limit-tokens, x-ratelimit-remaining-tokens, x-ratelimit-reset-tokens';

export class Cors {
  private readonly any: boolean;
  private readonly origins: Set<string>;

  constructor(allow: readonly string[]) {
    this.any = allow.includes('*');
    this.origins = new Set(allow);
  }

  /** Add the headers for an allowed origin; true when this was a preflight, answered here. */
  answer(req: IncomingMessage, res: ServerResponse): boolean {
    const origin = req.headers.origin;
    if (origin === undefined || !(this.any || this.origins.has(origin))) return false;
    res.setHeader('access-control-allow-origin', this.any ? '*' : origin);
    if (!this.any) res.setHeader('vary', 'origin');
    res.setHeader('access-control-expose-headers', EXPOSE_HEADERS);
    if (req.method !== 'OPTIONS') return false;
    res.writeHead(204, {
      'access-control-allow-methods': 'GET, POST, PATCH, DELETE, OPTIONS',
      'access-control-allow-headers': ALLOW_HEADERS,
      'access-control-max-age': '600',
    });
    res.end();
    req.resume();
    return true;
  }
}
