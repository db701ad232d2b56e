/**
 * Assembles the gateway: providers from config, the route table, and a plain
 * node:http server with a small static route map (no framework on the hot path).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OutcomeSink } from '../core/attempt-outcome.js';
import { GatewayError } from '../core/errors.js';
import { randomId } from '../core/ids.js';
import type { GatewayConfig } from '../config/types.js';
import { anthropicMessages } from '../formats/anthropic-messages/index.js';
import { openaiChat } from '../formats/openai-chat/index.js';
import { openaiResponses } from '../formats/openai-responses/index.js';
import type { IngressFormat } from '../formats/types.js';
import { closeUpstreamPools } from '../providers/upstream-pool.js';
import { createProvider } from '../providers/registry.js';
import { providerSecrets } from '../providers/provider-secrets.js';
import { RouteTable } from '../routing/route-table.js';
import { Router } from '../routing/router.js';
import { systemClock, type Clock } from '../core/clock.js';
import { handleChat } from './chat-handler.js';
import { Scope } from './request-scope.js';
import { handleCountTokens } from './count-tokens-handler.js';
import type { GatewayContext, RequestScope } from './context.js';
import { handleEmbeddings } from './embeddings-handler.js';
import { accessLogger, createLogger, type Logger } from './logger.js';
import { handleModels } from './models-handler.js';
import { Redactor } from './redact.js';
import { sendError, sendJson } from './respond.js';
import { handleStatusPage } from './status-page.js';
import { handleStatusApi } from './status-api.js';
import { createGatewayHealth, teeOutcomes, type GatewayHealthOptions } from './gateway-health.js';
import { createGatewayNotices } from './gateway-notices.js';

export interface Gateway {
  /** Listen on config.server host/port; resolves to the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
  readonly server: Server;
  readonly context: GatewayContext;
}

type Handler = (req: IncomingMessage, res: ServerResponse, scope: RequestScope) => void | Promise<void>;

export interface GatewayOptions {
  logger?: Logger;
  /** Time source for every deadline, timer and breaker (tests inject a ManualClock). */
  clock?: Clock;
  random?: () => number;
  /** Receives every upstream attempt's outcome, in addition to health tracking. */
  outcomes?: OutcomeSink;
  /** Health store choice (default: SQLite in status.data_dir or `dataDir`, else memory). */
  health?: GatewayHealthOptions;
}

export async function createGateway(config: GatewayConfig, opts: GatewayOptions = {}): Promise<Gateway> {
  const logger = opts.logger ?? createLogger();
  const providers = new Map(config.providers.map((p) => [p.name, createProvider(p)]));
  const routes = new RouteTable(
    config.models.map((m) => ({
      alias: m.name,
      targets: m.targets.map((t) => ({ provider: providers.get(t.provider)!, model: t.model, label: `${t.provider}/${t.model}`, ...(t.weight === undefined ? {} : { weight: t.weight }) })),
      ...(m.policy ? { policy: m.policy } : {}),
    })),
  );
  const clock = opts.clock ?? systemClock;
  // Probes never use a parked credential or target (the router's cooldowns; read lazily, the router is built below).
  const isParked = (p: string, m: string) => router.cooldowns.get(`credential:${p}`) !== undefined || router.cooldowns.get(`${p}/${m}`) !== undefined;
  const health = await createGatewayHealth(config, { clock, logger, providers, isParked }, opts.health);
  const outcomes = opts.outcomes ? teeOutcomes(opts.outcomes, health.tracker) : health.tracker;
  const statusPage = config.server.publicUrl ? `${config.server.publicUrl}/status` : undefined;
  const notices = await createGatewayNotices(config, { clock, logger, tracker: health.tracker, ...(statusPage ? { statusPage } : {}) });
  const router = new Router(clock, outcomes, {
    ...(opts.random ? { random: opts.random } : {}),
    ...(statusPage ? { statusPage } : {}),
    onPark: (p) => {
      logger.warn({ provider: p.provider, model: p.model, until: new Date(p.until).toISOString(), quota: p.quota }, p.quota ? 'credential parked: quota exhausted' : 'target waiting: rate limited');
      if (p.quota) notices.credentialParked(p);
    },
  });
  const ctx: GatewayContext = {
    config,
    routes,
    router,
    clock,
    logger,
    redactor: new Redactor(config.providers.flatMap(providerSecrets)),
    outcomes,
    health: health.tracker,
    statusSource: notices.statusSource,
    ...(statusPage ? { statusPage } : {}),
  };

  const table: Record<string, Handler> = {
    'POST /v1/chat/completions': (req, res, scope) => handleChat(ctx, openaiChat, req, res, scope),
    'POST /v1/messages': (req, res, scope) => handleChat(ctx, anthropicMessages, req, res, scope),
    'POST /v1/messages/count_tokens': (req, res, scope) => handleCountTokens(ctx, anthropicMessages, req, res, scope),
    'POST /v1/responses': (req, res, scope) => handleChat(ctx, openaiResponses, req, res, scope),
    'POST /v1/embeddings': (req, res, scope) => handleEmbeddings(ctx, openaiChat, req, res, scope),
    'GET /v1/models': (req, res) => handleModels(ctx, res, req.headers['anthropic-version'] !== undefined),
    'GET /healthz': (_req, res) => sendJson(res, 200, { status: 'ok' }),
    'GET /status': (req, res) => handleStatusPage(ctx, req, res),
    'GET /status/api/v2/summary.json': (req, res) => handleStatusApi(ctx, 'summary', req, res),
    'GET /status/api/v2/status.json': (req, res) => handleStatusApi(ctx, 'status', req, res),
    'GET /status/api/v2/components.json': (req, res) => handleStatusApi(ctx, 'components', req, res),
    'GET /status/api/v2/incidents.json': (req, res) => handleStatusApi(ctx, 'incidents', req, res),
    'GET /status/api/v2/incidents/unresolved.json': (req, res) => handleStatusApi(ctx, 'unresolved', req, res),
    'GET /readyz': (_req, res) =>
      routes.aliases().length > 0
        ? sendJson(res, 200, { status: 'ready', models: routes.aliases().length })
        : sendJson(res, 503, { status: 'not ready', reason: 'no models are configured' }),
  };
  const access = accessLogger(logger);
  const unhandled = (e: unknown, res: ServerResponse, requestId: string): void => {
    logger.error({ err: e, requestId }, 'unhandled error in handler');
    if (!res.headersSent) sendJson(res, 500, { error: { message: 'internal error', type: 'api_error' } });
    else res.destroy();
  };

  // Path -> method -> handler: no key is built per request.
  const byPath = new Map<string, Record<string, Handler>>();
  for (const [key, handler] of Object.entries(table)) {
    const [method, path] = key.split(' ') as [string, string];
    const methods = byPath.get(path) ?? {};
    methods[method] = handler;
    byPath.set(path, methods);
  }

  const server = createServer((req, res) => {
    const q = req.url!.indexOf('?');
    const path = q === -1 ? req.url! : req.url!.slice(0, q);
    const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 128) ?? randomId('req_', 20);
    const methods = byPath.get(path);
    const handler = methods && Object.hasOwn(methods, req.method!) ? methods[req.method!] : undefined;
    const scope = new Scope(requestId, path, req, access);
    scope.watch(res);
    if (handler) {
      // Chat handlers end their own chains (no promise); the others' rejections land here.
      let pending: void | Promise<void>;
      try {
        pending = handler(req, res, scope);
      } catch (e) {
        unhandled(e, res, requestId);
        return;
      }
      pending?.catch((e: unknown) => unhandled(e, res, requestId));
      return;
    }
    notFound(req, res, path, methods !== undefined, ctx);
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (socket.writable) socket.end(badHttpAnswer(err.code));
  });

  return {
    server,
    context: ctx,
    async listen() {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.server.port, config.server.host, () => resolve());
      });
      const a = server.address() as AddressInfo;
      return `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await notices.close();
      await health.close();
      await closeUpstreamPools();
    },
  };
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
    ? new GatewayError({ code: 'method_not_allowed', message: `${req.method} is not allowed on ${path}.`, status: 405, kind: 'client_error' })
    : new GatewayError({ code: 'unknown_route', message: `Unknown route: ${req.method} ${path}.${hint}`, status: 404, kind: 'client_error' });
  req.resume();
  sendError(res, format, err, ctx.redactor);
}

const V1_PATHS = ['/v1/chat/completions', '/v1/messages', '/v1/responses', '/v1/embeddings', '/v1/models'];
