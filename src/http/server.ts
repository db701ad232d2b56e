/**
 * The HTTP side of a gateway: a plain node:http server (no framework on the hot path), a static
 * route map from method and path to a handler and the client format it speaks, and one request
 * stage every routed request passes before its handler. Errors that escape a handler are
 * answered in the route's own format, like every other error.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gatewayError } from '../core/errors.js';
import { randomId } from '../core/ids.js';
import { anthropicMessages } from '../formats/anthropic-messages/index.js';
import { openaiChat } from '../formats/openai-chat/index.js';
import { openaiResponses } from '../formats/openai-responses/index.js';
import type { IngressFormat } from '../formats/types.js';
import { handleChat } from './chat-handler.js';
import type { GatewayContext, RequestScope } from './context.js';
import { handleCountTokens } from './count-tokens-handler.js';
import { handleAdminKeys } from './admin-keys-handler.js';
import { handleConversations } from './conversations-handler.js';
import { handleStoredResponses } from './stored-responses-handler.js';
import { Cors } from './cors.js';
import { DEFAULT_SERVER_HARDENING } from '../config/server-hardening-schema.js';
import { handleEmbeddings } from './embeddings-handler.js';
import { accessLogger } from './logger.js';
import { handleModels } from './models-handler.js';
import { handlePlayground, type PlaygroundDeps } from './playground-handler.js';
import { Scope } from './request-scope.js';
import { sendError, sendJson } from './respond.js';
import { handleStatusApi } from './status-api.js';
import { handleStatusPage } from './status-page.js';
import { handleMetrics } from './metrics-handler.js';
import { observeRequests } from './request-observer.js';

type Handler = (req: IncomingMessage, res: ServerResponse, scope: RequestScope) => void | Promise<void>;

/** A route: its handler, the client format its errors are written in, and (model routes) the format's name for metrics and traces. */
interface RouteEntry {
  handler: Handler;
  format: Pick<IngressFormat, 'encodeError'>;
  ingress?: string;
}

function routes(ctx: GatewayContext): Record<string, RouteEntry> {
  const chat = (f: IngressFormat): Handler => (req, res, scope) => handleChat(ctx, f, req, res, scope);
  const playground = ctx.playground;
  return {
    ...(playground ? playgroundRoutes(playground) : {}),
    'POST /v1/chat/completions': { handler: chat(openaiChat), format: openaiChat, ingress: openaiChat.name },
    'POST /v1/messages': { handler: chat(anthropicMessages), format: anthropicMessages, ingress: anthropicMessages.name },
    'POST /v1/messages/count_tokens': { handler: (req, res, scope) => handleCountTokens(ctx, anthropicMessages, req, res, scope), format: anthropicMessages },
    'POST /v1/responses': { handler: chat(openaiResponses), format: openaiResponses, ingress: openaiResponses.name },
    'POST /v1/embeddings': { ...json((req, res, scope) => handleEmbeddings(ctx, openaiChat, req, res, scope)), ingress: 'openai-embeddings' },
    'GET /v1/models': json((req, res) => handleModels(ctx, res, req.headers['anthropic-version'] !== undefined)),
    // Alive, even with Redis away (the instance serves on its share); `storage` says so.
    'GET /healthz': json((_req, res) => sendJson(res, 200, ctx.storage ? { status: 'ok', storage: ctx.storage() } : { status: 'ok' })),
    ...metricsRoute(ctx),
    'GET /readyz': json((_req, res) =>
      ctx.drain?.draining
        ? sendJson(res, 503, { status: 'draining', reason: 'the gateway is shutting down' })
        : ctx.routes.aliases().length > 0
        ? sendJson(res, 200, { status: 'ready', models: ctx.routes.aliases().length })
        : sendJson(res, 503, { status: 'not ready', reason: 'no models are configured' }),
    ),
    'GET /status': json((req, res) => handleStatusPage(ctx, req, res)),
    'GET /status/api/v2/summary.json': json((req, res) => handleStatusApi(ctx, 'summary', req, res)),
    'GET /status/api/v2/status.json': json((req, res) => handleStatusApi(ctx, 'status', req, res)),
    'GET /status/api/v2/components.json': json((req, res) => handleStatusApi(ctx, 'components', req, res)),
    'GET /status/api/v2/incidents.json': json((req, res) => handleStatusApi(ctx, 'incidents', req, res)),
    'GET /status/api/v2/incidents/unresolved.json': json((req, res) => handleStatusApi(ctx, 'unresolved', req, res)),
  };
}

/** GET /metrics, unless metrics are off; behind the admin key when the configuration asks. */
function metricsRoute(ctx: GatewayContext): Record<string, RouteEntry> {
  const metrics = ctx.metrics;
  if (!metrics) return {};
  const adminKey = ctx.config.metrics?.requireAdminKey ? ctx.guard?.settings.adminKey : undefined;
  return { 'GET /metrics': json((req, res) => handleMetrics(metrics, adminKey, req, res)) };
}

function playgroundRoutes(deps: PlaygroundDeps): Record<string, RouteEntry> {
  const handler = json((req, res) => handlePlayground(deps, req, res));
  return { 'GET /playground': handler, 'GET /playground/state': handler, 'POST /playground/faults': handler };
}

/** Routes whose path carries an id (`/admin/keys/{id}/rotate`): by prefix, after the exact ones. */
function prefixRoutes(ctx: GatewayContext): Array<[string, RouteEntry]> {
  const out: Array<[string, RouteEntry]> = [];
  const { guard, journal } = ctx;
  if (guard) out.push(['/admin/keys', json((req, res, scope) => handleAdminKeys(guard, req, res, scope.path, req.method!))]);
  if (journal) {
    // A key sees its own conversations and stored responses (under auth: none, all of them).
    const viewer = (scope: RequestScope) => ({ keyId: scope.admission?.keyId, admin: scope.admin === true });
    out.push(['/v1/conversations', json((req, res, scope) => handleConversations(journal.reader, req, res, scope.path, viewer(scope)))]);
    out.push(['/v1/responses', json((req, res, scope) => handleStoredResponses(journal.reader, req, res, scope.path, viewer(scope)))]);
  }
  return out;
}

function json(handler: Handler): RouteEntry {
  return { handler, format: openaiChat };
}

/** The gateway's HTTP server: routes, the request stage, and the answers to what is not a valid request. */
export function createHttpServer(ctx: GatewayContext): Server {
  const log = accessLogger(ctx.logger);
  const access = ctx.metrics || ctx.tracer ? observeRequests(log, ctx.metrics) : log;
  const tracer = ctx.tracer;
  // Path -> method -> route: no key is built per request.
  const byPath = new Map<string, Record<string, RouteEntry>>();
  for (const [key, entry] of Object.entries(routes(ctx))) {
    const [method, path] = key.split(' ') as [string, string];
    const methods = byPath.get(path) ?? {};
    methods[method] = entry;
    byPath.set(path, methods);
  }
  const byPrefix = prefixRoutes(ctx);
  const prefixed = (path: string): RouteEntry | undefined => {
    for (const [prefix, entry] of byPrefix) if (path === prefix || path.startsWith(`${prefix}/`)) return entry;
    return undefined;
  };

  const h = ctx.config.server.hardening ?? DEFAULT_SERVER_HARDENING;
  const cors = h.corsAllowOrigins.length > 0 ? new Cors(h.corsAllowOrigins) : undefined;
  const server = createServer(
    {
      headersTimeout: h.headersTimeoutMs,
      // The whole request, body included: a body trickled in a byte at a time is cut (408), not held open.
      requestTimeout: h.bodyTimeoutMs,
      keepAliveTimeout: h.keepAliveTimeoutMs,
      // How often Node checks those timeouts (its default, 30 s, would let a slow body run 30 s past its limit).
      connectionsCheckingInterval: Math.min(1_000, h.headersTimeoutMs),
    },
    (req, res) => {
    const q = req.url!.indexOf('?');
    const path = q === -1 ? req.url! : req.url!.slice(0, q);
    const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 128) ?? randomId('req_', 20);
    const methods = byPath.get(path);
    const route = methods ? (Object.hasOwn(methods, req.method!) ? methods[req.method!] : undefined) : prefixed(path);
    const scope = new Scope(requestId, path, req, access);
    scope.watch(res);
    // Draining: the client's next request goes to another instance, on a new connection.
    if (ctx.drain?.draining) res.shouldKeepAlive = false;
    if (cors && cors.answer(req, res)) return;
    if (!route) return notFound(req, res, path, methods !== undefined, ctx);
    if (route.ingress !== undefined) {
      scope.ingress = route.ingress;
      if (tracer) scope.trace = tracer.request(req.headers.traceparent, req.method!, path);
    }
    // Chat handlers end their own chains; the others' rejections land here.
    let pending: void | Promise<void>;
    try {
      for (const step of ctx.stage) {
        const refusal = step.admit(req, scope);
        if (refusal) {
          scope.error = refusal.error;
          req.resume();
          return sendError(res, route.format, refusal.error, ctx.redactor, refusal.headers ? { ...refusal.headers } : {});
        }
      }
      pending = route.handler(req, res, scope);
    } catch (e) {
      req.resume();
      return unhandled(ctx, route, e, res, requestId);
    }
    pending?.catch((e: unknown) => unhandled(ctx, route, e, res, requestId));
    },
  );
  // Connections past the cap are dropped at accept: they would only queue behind the ones served.
  server.maxConnections = h.maxConnections;
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (socket.writable) socket.end(badHttpAnswer(err.code));
  });
  return server;
}

/** A bug in a handler: logged with its stack, answered as a 500 in the client's own format (or the connection closed, if the answer had begun). */
function unhandled(ctx: GatewayContext, route: RouteEntry, e: unknown, res: ServerResponse, requestId: string): void {
  ctx.logger.error({ err: e, requestId }, 'unhandled error in handler');
  if (res.headersSent) return void res.destroy();
  const err = gatewayError('internal_error', `Internal error in the gateway (request ${requestId}); it has been logged.`);
  sendError(res, route.format, err, ctx.redactor, { 'x-request-id': requestId });
}

/**
 * The answer to bytes that are not a valid HTTP request (node could not parse them, so no handler
 * ran): the matching status, with an OpenAI-shaped error body a client can log, and the
 * connection closed.
 */
function badHttpAnswer(code: string | undefined): string {
  const [status, reason, message] =
    code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'The request headers are too large.']
      : code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'The request was not received in time.']
        : [400, 'Bad Request', `The request is not valid HTTP${code ? ` (${code})` : ''}.`];
  const body = JSON.stringify({ error: { message, type: 'invalid_request_error', param: null, code: 'bad_http_request' } });
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/** Unknown route (404) or wrong method (405), in the format the client most likely speaks. */
function notFound(req: IncomingMessage, res: ServerResponse, path: string, knownPath: boolean, ctx: GatewayContext): void {
  const format: IngressFormat = req.headers['anthropic-version'] !== undefined || path.startsWith('/v1/messages') ? anthropicMessages : openaiChat;
  const hint = !path.startsWith('/v1/') && V1_PATHS.includes(`/v1${path}`) ? ` Did you mean /v1${path}? Point your SDK's base URL at http://<gateway>/v1.` : '';
  const err = knownPath
    ? gatewayError('method_not_allowed', `${req.method} is not allowed on ${path}.`)
    : gatewayError('unknown_route', `Unknown route: ${req.method} ${path}.${hint}`);
  req.resume();
  sendError(res, format, err, ctx.redactor);
}

const V1_PATHS = ['/v1/chat/completions', '/v1/messages', '/v1/responses', '/v1/embeddings', '/v1/models'];
