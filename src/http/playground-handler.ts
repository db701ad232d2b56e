/**
 * The playground's routes, framework-free like every handler here:
 *   GET  /playground          the page
 *   GET  /playground/state    the simulated providers and how each is broken (JSON)
 *   POST /playground/faults   { provider, mode } breaks or heals one simulated provider
 * Requests themselves go to the gateway's own API from the page. The simulated providers are
 * the ones the demo owns; `serve` has none, and its page offers no buttons.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { renderPlaygroundPage } from '../web/playground/page.js';

export interface PlaygroundDeps {
  /** Model aliases the page offers. */
  aliases(): string[];
  /** The ways a provider can be broken (ids and button labels); none under `serve`. */
  modes: readonly { id: string; label: string }[];
  /** Simulated providers the buttons act on, by provider name: how each is broken now, and a way to change it. */
  providers: readonly { name: string; mode(): string; setMode(mode: string): void }[];
}

const MAX_BODY = 4096;

export const PLAYGROUND_PATHS = ['/playground', '/playground/state', '/playground/faults'] as const;

export function handlePlayground(deps: PlaygroundDeps, req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && path === '/playground') {
    const html = renderPlaygroundPage({ aliases: deps.aliases(), modes: deps.modes, providers: state(deps) });
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(html) });
    return void res.end(html);
  }
  if (req.method === 'GET' && path === '/playground/state') return json(res, 200, { providers: state(deps) });
  if (req.method === 'POST' && path === '/playground/faults') return void readBody(req, res, (body) => setMode(deps, body, res));
  json(res, req.method === 'GET' || req.method === 'POST' ? 404 : 405, { error: { message: `${req.method} ${path} is not a playground route`, type: 'invalid_request_error' } });
}

function state(deps: PlaygroundDeps): { name: string; mode: string }[] {
  return deps.providers.map((p) => ({ name: p.name, mode: p.mode() }));
}

function setMode(deps: PlaygroundDeps, body: string, res: ServerResponse): void {
  let parsed: { provider?: unknown; mode?: unknown };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return json(res, 400, { error: { message: 'expected a JSON body like {"provider":"sim-openai","mode":"cut"}', type: 'invalid_request_error' } });
  }
  const target = deps.providers.find((p) => p.name === parsed.provider);
  if (!target) return json(res, 404, { error: { message: `no simulated provider named ${JSON.stringify(parsed.provider)}; simulated: ${deps.providers.map((p) => p.name).join(', ') || 'none'}`, type: 'invalid_request_error' } });
  const ids = deps.modes.map((m) => m.id);
  if (typeof parsed.mode !== 'string' || !ids.includes(parsed.mode)) return json(res, 400, { error: { message: `mode must be one of ${ids.join(', ')}`, type: 'invalid_request_error' } });
  target.setMode(parsed.mode);
  json(res, 200, { providers: state(deps) });
}

function readBody(req: IncomingMessage, res: ServerResponse, then: (body: string) => void): void {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => {
    body += c;
    if (body.length > MAX_BODY) {
      json(res, 413, { error: { message: 'body too large', type: 'invalid_request_error' } });
      req.destroy();
    }
  });
  req.on('end', () => {
    if (!res.headersSent) then(body);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
