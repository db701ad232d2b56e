/**
 * A webhook receiver on 127.0.0.1 for tests: records every request and answers
 * from a script (status, headers), one entry per request, the last repeating.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: unknown;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** Never answer (for timeout tests). */
  hang?: boolean;
}

export class TestReceiver {
  readonly received: Received[] = [];
  private replies: Reply[] = [{ status: 200 }];
  private server: Server | undefined;
  private waiters: { n: number; resolve: () => void }[] = [];
  origin = '';

  /** Replies for the next requests, in order; the last one repeats. */
  reply(...replies: Reply[]): this {
    this.replies = replies.length > 0 ? replies : [{ status: 200 }];
    return this;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        this.received.push({ path: req.url ?? '', headers: req.headers, body, json });
        const reply = this.replies.length > 1 ? this.replies.shift()! : this.replies[0]!;
        for (const w of this.waiters.filter((w) => this.received.length >= w.n)) w.resolve();
        this.waiters = this.waiters.filter((w) => this.received.length < w.n);
        if (reply.hang) return;
        res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
        res.end(reply.status < 300 ? 'ok' : 'nope');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.origin;
  }

  /** Resolves once at least n requests have arrived. */
  waitFor(n: number): Promise<void> {
    if (this.received.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Let pending I/O callbacks and promise chains run (no timers, no sleeping). */
export async function until(cond: () => boolean, limitMs = 5_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setImmediate(r));
  }
}
