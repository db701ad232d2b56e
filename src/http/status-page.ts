/**
 * GET /status: the public, server-rendered status page. Public means nothing
 * secret: the snapshot carries provider names, models and counts only. With
 * no health source wired (or before it has data) the page shows the
 * configured components with "no data yet" rather than failing or inventing
 * uptime. `?refresh=N` sets the auto-refresh period (0 turns it off).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { GatewayContext } from './context.js';
import type { StatusSnapshot } from '../health/types.js';
import { emptyStatusSnapshot } from '../web/status/empty-snapshot.js';
import { DEFAULT_REFRESH_SECONDS } from '../web/status/refresh.js';

/** The page renderer, loaded on the first visit: a gateway that only proxies never holds its code. */
let renderer: Promise<typeof import('../web/status/page.js')> | undefined;
const loadRenderer = () => (renderer ??= import('../web/status/page.js'));

const gzipAsync = promisify(gzip);

/** Components a gateway serves: every distinct provider/model in its routes. */
export function configuredComponents(ctx: Pick<GatewayContext, 'config'>): { provider: string; model: string }[] {
  return ctx.config.models.flatMap((m) => m.targets.map((t) => ({ provider: t.provider, model: t.model })));
}

/** `?refresh=` clamped to something sane; anything unparsable keeps the default. */
export function refreshFromUrl(url: string | undefined): number {
  const q = url?.indexOf('?') ?? -1;
  if (!url || q === -1) return DEFAULT_REFRESH_SECONDS;
  const raw = new URLSearchParams(url.slice(q + 1)).get('refresh');
  if (raw === null || !/^\d{1,6}$/.test(raw)) return DEFAULT_REFRESH_SECONDS;
  const n = Number(raw);
  return n === 0 ? 0 : Math.min(3600, Math.max(5, n));
}

export async function handleStatusPage(ctx: GatewayContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  req.resume();
  // The gateway's clock, so the page agrees with health tracking (and tests can drive time).
  const at = ctx.clock.now();
  let snapshot: StatusSnapshot;
  let status = 200;
  let notice: string | undefined;
  try {
    snapshot = ctx.statusSource ? await ctx.statusSource.statusSnapshot(at) : emptyStatusSnapshot(configuredComponents(ctx), at);
  } catch (e) {
    // The page must still answer in an outage of our own health store: say so, honestly, with a 503 for monitors.
    ctx.logger.error({ err: e }, 'status snapshot failed');
    snapshot = emptyStatusSnapshot(configuredComponents(ctx), at);
    status = 503;
    notice = 'Health data is unavailable right now; showing configured components without data.';
  }
  const { renderStatusPage } = await loadRenderer();
  let body = Buffer.from(renderStatusPage(snapshot, { refreshSeconds: refreshFromUrl(req.url), ...(notice ? { notice } : {}) }));
  // 90 bars x 20 components is ~0.5 MB of markup and compresses ~15x: worth it on a phone. zlib runs off the event loop.
  const gzipped = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  // Level 1: a third of level 6's CPU for ~35% more bytes — the page must stay well inside its 50 ms budget.
  if (gzipped) body = await gzipAsync(body, { level: 1 });
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(body.length),
    ...(gzipped ? { 'content-encoding': 'gzip' } : {}),
    vary: 'accept-encoding',
    // Always current: proxies and browsers revalidate instead of showing a stale "all good".
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    // The page needs no script and no outside resource; forbid both (defence in depth for escaped text).
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
