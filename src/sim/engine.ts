/**
 * Serves a SimWire over real HTTP on loopback with timing, capacity and the
 * fault schedule. Used by tests, the demo, the benchmark and drills.
 * Control endpoints let another process steer it: GET /_sim/stats,
 * PUT /_sim/faults (a JSON array of FaultRule). A `decide` hook lets a driver
 * (a drill's scenario) choose each request's fate instead.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../core/clock.js';
import { createSystemClock } from '../core/clock.js';
import { FaultSchedule, type FaultRule, type SimFault } from './faults.js';
import { planAnswer } from './script.js';
import type { SimErrorResponse, SimRoute, SimWire } from './wire.js';
import { delay, isStreamFault, writeStream } from './stream-writer.js';

export interface SimOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Delay before the first byte of an answer. Default 0. */
  ttftMs?: number;
  /** Delay between stream frames. Default 0 (all frames at once). */
  chunkDelayMs?: number;
  faults?: FaultRule[];
  /** Concurrent requests beyond which the sim answers its over-capacity error. */
  capacity?: number;
  /** Time for the fault schedule's windows and for every wait (first byte, between chunks, stalls). */
  clock?: Clock;
  seed?: number;
  /** Sees every provider request as it arrived (tests: what exactly went upstream). */
  onRequest?: (r: { method: string; url: string; headers: IncomingHttpHeaders; body: Buffer }) => void;
  /**
   * Called for every chat and embeddings request before it is answered: a driver decides its
   * fault, its timing, or that the sim is over capacity (a drill's scenario). Undefined, or
   * fields left out, fall back to the fault schedule and the sim's own timing.
   */
  decide?: (request: SimRequestInfo) => SimDecision | undefined;
}

/** What a `decide` hook knows about a request. */
export interface SimRequestInfo {
  /** The upstream model id (from the path or the body). */
  model: string;
  /** A streamed chat answer was asked for. */
  stream: boolean;
  /** The parsed JSON body. */
  body: unknown;
  /** Requests in progress at this sim, this one included. */
  active: number;
}

export interface SimDecision {
  fault?: SimFault;
  /** Answer the wire's over-capacity error (429 or 529 with the provider's body). */
  overCapacity?: boolean;
  retryAfterSeconds?: number;
  ttftMs?: number;
  chunkDelayMs?: number;
}

export interface SimStats {
  requests: number;
  active: number;
  peakActive: number;
  /** Requests whose client went away before the answer was complete (hedge losers, timeouts). */
  aborted: number;
  /** Answers by HTTP status (stream faults count as 200). */
  byStatus: Record<number, number>;
}

const MAX_BODY = 32 * 1024 * 1024;

export class SimServer {
  readonly faults: FaultSchedule;
  readonly stats: SimStats = { requests: 0, active: 0, peakActive: 0, aborted: 0, byStatus: {} };
  ttftMs: number;
  chunkDelayMs: number;
  capacity: number | undefined;
  /** Sees every request as it arrived (tests: what a target was sent); set at construction or later. */
  onRequest: SimOptions['onRequest'];
  private server: Server | undefined;
  private seq = 0;
  private origin = '';
  private readonly clock: Clock;

  constructor(
    readonly wire: SimWire,
    private readonly opts: SimOptions = {},
  ) {
    this.clock = opts.clock ?? createSystemClock();
    this.faults = new FaultSchedule(opts.faults ?? [], this.clock, opts.seed ?? 1);
    this.ttftMs = opts.ttftMs ?? 0;
    this.chunkDelayMs = opts.chunkDelayMs ?? 0;
    this.capacity = opts.capacity;
    this.onRequest = opts.onRequest;
  }

  /** The origin, e.g. http://127.0.0.1:40123 (valid after start()). */
  get url(): string {
    return this.origin;
  }

  async start(): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 30_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port ?? 0, this.opts.host ?? '127.0.0.1', () => resolve());
    });
    const addr = server.address() as AddressInfo;
    this.origin = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
    return this.origin;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private count(status: number): void {
    this.stats.byStatus[status] = (this.stats.byStatus[status] ?? 0) + 1;
  }

  private sendError(res: ServerResponse, e: SimErrorResponse): void {
    this.count(e.status);
    res.writeHead(e.status, { 'content-type': 'application/json', ...e.headers });
    res.end(e.body);
  }

  private sendJson(res: ServerResponse, status: number, body: unknown): void {
    this.count(status);
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    if (url.startsWith('/_sim/')) return this.control(req, res, url);
    this.stats.requests++;
    this.stats.active++;
    if (this.stats.active > this.stats.peakActive) this.stats.peakActive = this.stats.active;
    let finished = false;
    res.once('finish', () => (finished = true));
    res.once('close', () => {
      this.stats.active--;
      if (!finished) this.stats.aborted++;
    });
    try {
      const raw = await readBody(req);
      this.onRequest?.({ method: req.method ?? 'GET', url, headers: req.headers, body: raw });
      await this.serve(req, res, url, parseJson(raw), raw);
    } catch (e) {
      if (!res.headersSent) this.sendJson(res, 400, { error: { message: String((e as Error).message), type: 'invalid_request_error' } });
      else res.destroy();
    }
  }

  private async serve(req: IncomingMessage, res: ServerResponse, url: string, body: unknown, raw: Buffer): Promise<void> {
    const route = this.wire.route(req.method ?? 'GET', url);
    if (!route) return this.sendJson(res, 404, { error: { message: `Unknown route ${req.method} ${url.split('?')[0]}`, type: 'not_found' } });
    if (!this.wire.authorized(req.headers, url)) return this.sendError(res, this.wire.error(401, { variant: 'unauthorized' }));
    const refused = await this.wire.verifyRequest?.({ method: req.method ?? 'GET', url, headers: req.headers, body: raw });
    if (refused) return this.sendError(res, refused);
    if (route.kind === 'models') return this.sendJson(res, 200, this.wire.models());
    if (this.capacity !== undefined && this.stats.active > this.capacity) return this.overCapacity(res, 1);
    const model = route.model ? route.model : typeof (body as { model?: unknown })?.model === 'string' ? (body as { model: string }).model : '';
    const stream = route.kind === 'chat' && (route.stream || (body as { stream?: unknown })?.stream === true);
    const decision = this.opts.decide?.({ model, stream, body, active: this.stats.active });
    if (decision?.overCapacity) return this.overCapacity(res, decision.retryAfterSeconds ?? 1);
    const fault = decision?.fault ?? this.faults.pick(model);
    if (fault && (await this.preFault(fault, req, res))) return;
    if (route.kind === 'embed') {
      const out = this.wire.embed(body, route);
      return 'error' in out ? this.sendError(res, out.error) : this.sendJson(res, 200, out.json);
    }
    return this.chat(res, route, body, fault, decision);
  }

  private overCapacity(res: ServerResponse, retryAfterSeconds: number): void {
    this.sendError(res, this.wire.error(this.wire.overCapacityStatus, { variant: 'over-capacity', retryAfterSeconds }));
  }

  /** Faults that act before any answer; true when the request is fully handled. */
  private async preFault(fault: SimFault, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    switch (fault.kind) {
      case 'status':
        this.sendError(res, this.wire.error(fault.status, { ...(fault.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: fault.retryAfterSeconds }), ...(fault.variant ? { variant: fault.variant } : {}) }));
        return true;
      case 'body':
        this.count(fault.status);
        res.writeHead(fault.status, { 'content-type': fault.contentType ?? 'application/json', 'content-length': Buffer.byteLength(fault.body) });
        res.end(fault.body);
        return true;
      case 'edge-html': {
        this.count(fault.status);
        const title = fault.status === 502 ? '502 Bad Gateway' : fault.status === 503 ? '503 Service Temporarily Unavailable' : '504 Gateway Time-out';
        res.writeHead(fault.status, { 'content-type': 'text/html', server: 'cloudflare' });
        res.end(`<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n`);
        return true;
      }
      case 'reset':
        req.socket.destroy();
        return true;
      case 'stall-before-first-byte':
        if (fault.ms === undefined) return true; // hold until the client gives up
        await delay(fault.ms, res, this.clock);
        return res.destroyed;
      default:
        return false;
    }
  }

  private async chat(res: ServerResponse, route: SimRoute, body: unknown, fault: SimFault | undefined, timing: SimDecision | undefined): Promise<void> {
    const parsed = this.wire.parseChat(body, route);
    if ('error' in parsed) return this.sendError(res, parsed.error);
    const answer = planAnswer(parsed.prompt);
    const id = `${this.wire.provider}-sim-${++this.seq}`;
    const ttftMs = timing?.ttftMs ?? this.ttftMs;
    if (ttftMs > 0) await delay(ttftMs, res, this.clock);
    if (res.destroyed) return;
    if (route.kind !== 'chat' || !route.stream) return this.sendJson(res, 200, this.wire.chatJson(answer, parsed.prompt, id));

    const frames = this.wire.streamFrames(answer, parsed.prompt, id);
    this.count(200);
    res.writeHead(200, { 'content-type': this.wire.streamContentType ?? 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const gap = fault?.kind === 'trickle' ? fault.chunkDelayMs : (timing?.chunkDelayMs ?? this.chunkDelayMs);
    await writeStream(res, this.wire, frames, gap, isStreamFault(fault) ? fault : undefined, this.clock);
  }

  private async control(req: IncomingMessage, res: ServerResponse, url: string): Promise<void> {
    if (url === '/_sim/stats') return this.sendJson(res, 200, { ...this.stats, faults: this.faults.list() });
    if (url === '/_sim/faults' && (req.method === 'PUT' || req.method === 'POST')) {
      const rules = parseJson(await readBody(req));
      if (!Array.isArray(rules)) return this.sendJson(res, 400, { error: 'expected a JSON array of fault rules' });
      this.faults.set(rules as FaultRule[]);
      return this.sendJson(res, 200, { faults: this.faults.list() });
    }
    return this.sendJson(res, 404, { error: 'unknown sim control route' });
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new Error('request body too large for the simulator');
    parts.push(c as Buffer);
  }
  return Buffer.concat(parts);
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new Error('request body is not valid JSON');
  }
}
