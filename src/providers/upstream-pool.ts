/**
 * Upstream connections: one undici Client per connection, pooled per origin
 * behind a free list, so taking a connection costs the same with 5 or 500 of
 * them. (undici's Pool scans its clients for a free one on every request,
 * twice when the one it picks becomes busy: with 256 streams in flight that
 * scan was a measured +16 µs per request.) Idle connections are reused most
 * recent first, so the warm ones stay warm and the others time out.
 */
import { createRequire } from 'node:module';
import type { Client as UndiciClient } from 'undici';

/**
 * undici's Client from its own module, not the package entry point: the entry
 * loads fetch, websockets, caches and mocks too (about 10 MB of memory in a
 * process that only needs connections). The package has no exports map, so
 * this path is public; a test checks it is the same class as `undici`'s Client.
 */
export const UpstreamClient = createRequire(import.meta.url)('undici/lib/dispatcher/client.js') as typeof UndiciClient;
type Client = UndiciClient;

const CLIENT_OPTIONS: UndiciClient.Options = {
  keepAliveTimeout: 10_000,
  keepAliveMaxTimeout: 60_000,
  connect: { timeout: 10_000 },
  // Upstream headers can be slow on long prompts; the routing layer owns real deadlines.
  headersTimeout: 0,
  bodyTimeout: 0,
};
/** Idle clients kept per origin; past that a released one is closed. */
const MAX_IDLE = 1024;

export class OriginPool {
  private readonly idle: Client[] = [];
  private readonly clients = new Set<Client>();

  constructor(private readonly origin: string) {}

  /** A connection for one request; give it back with release() when the response ended or failed. */
  acquire(): Client {
    for (let c = this.idle.pop(); c; c = this.idle.pop()) {
      if (!c.destroyed && !c.closed) return c;
      this.clients.delete(c);
    }
    const c = new UpstreamClient(this.origin, CLIENT_OPTIONS);
    this.clients.add(c);
    return c;
  }

  release(c: Client): void {
    if (c.destroyed || c.closed) {
      this.clients.delete(c);
      return;
    }
    if (this.idle.length >= MAX_IDLE) {
      this.clients.delete(c);
      void c.close().catch(() => undefined);
      return;
    }
    this.idle.push(c);
  }

  /** Connections open or idle (for tests and diagnostics). */
  get size(): number {
    return this.clients.size;
  }

  async close(): Promise<void> {
    const all = [...this.clients];
    this.clients.clear();
    this.idle.length = 0;
    await Promise.all(all.map((c) => c.close().catch(() => c.destroy())));
  }
}

/**
 * One gateway's upstream connections, by origin (scheme://host:port). Owned by the gateway: its
 * close() closes these and nothing else, so another gateway in the same process (a drill, a test,
 * a worker) keeps its connections.
 */
export class UpstreamPools {
  private readonly pools = new Map<string, OriginPool>();
  private closed = false;

  /** The pool for an origin, made on first use. */
  pool(origin: string): OriginPool {
    let p = this.pools.get(origin);
    if (!p) this.pools.set(origin, (p = new OriginPool(origin)));
    return p;
  }

  /** Connections open or idle, all origins (tests and diagnostics). */
  get size(): number {
    let n = 0;
    for (const p of this.pools.values()) n += p.size;
    return n;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Close every connection (gateway shutdown); later requests would open new ones. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(all.map((p) => p.close()));
  }
}
