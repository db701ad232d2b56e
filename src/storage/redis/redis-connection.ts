/**
 * One gateway's connection to Redis: a command connection, a subscriber connection opened on
 * first subscribe, the key prefix every adapter writes under, and this instance's id (so an
 * adapter recognises its own published changes). ioredis is imported only here and only when a
 * Redis store is configured (DESIGN.md principle 8: drivers load only when used).
 *
 * Failure policy: commands never queue while Redis is away (enableOfflineQueue: false) and time
 * out after commandTimeoutMs, so a request that asks Redis fails fast and the caller falls back
 * (degraded-limit-store.ts) instead of waiting on a dead server. ioredis reconnects by itself;
 * every `ready` after the first calls the onReconnect listeners, which resynchronise replicas.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Redis as RedisClient } from 'ioredis';

export interface RedisConnectionOptions {
  url: string;
  /** Every key and channel starts with this (several gateways' fleets may share one Redis). Default `switchyard:`. */
  keyPrefix?: string;
  /** Default 500 ms: a Redis slower than this is treated as away. */
  commandTimeoutMs?: number;
  /** How long open waits for the first connection before returning anyway (default 2,000 ms). */
  connectTimeoutMs?: number;
  /** Default: random. Names this instance in the live-instance set and in published changes. */
  instanceId?: string;
}

export const DEFAULT_KEY_PREFIX = 'switchyard:';

/** A Lua script run by EVALSHA (one round trip), loaded with EVAL the first time a server lacks it. */
export interface LuaScript {
  readonly lua: string;
  readonly sha: string;
}

export function luaScript(lua: string): LuaScript {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

export class RedisConnection {
  private subscriber: RedisClient | undefined;
  private readonly handlers = new Map<string, (message: string) => void>();
  private readonly reconnectListeners = new Set<() => void>();
  private connectedOnce = false;
  private closed = false;

  constructor(
    readonly client: RedisClient,
    readonly prefix: string,
    readonly instanceId: string,
  ) {
    client.on('ready', () => {
      if (this.connectedOnce) for (const fn of this.reconnectListeners) fn();
      this.connectedOnce = true;
    });
    // Errors are reported through failed commands and `ready`; an unhandled 'error' event would crash the process.
    client.on('error', () => {});
  }

  /** Connected and answering (as far as the client knows). */
  get ready(): boolean {
    return this.client.status === 'ready';
  }

  /** `fn` runs after every reconnection (not the first connection). Returns an unsubscribe. */
  onReconnect(fn: () => void): () => void {
    this.reconnectListeners.add(fn);
    return () => this.reconnectListeners.delete(fn);
  }

  key(name: string): string {
    return this.prefix + name;
  }

  async eval(script: LuaScript, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await this.client.evalsha(script.sha, keys.length, ...keys, ...args);
    } catch (e) {
      if (!String((e as Error).message).includes('NOSCRIPT')) throw e;
      return this.client.eval(script.lua, keys.length, ...keys, ...args);
    }
  }

  /** Receive messages published on `channel` (prefixed here). Resubscribes after reconnects by itself. */
  async subscribe(channel: string, fn: (message: string) => void): Promise<void> {
    const name = this.key(channel);
    this.handlers.set(name, fn);
    if (!this.subscriber) {
      const sub = this.client.duplicate({ enableOfflineQueue: true, lazyConnect: false });
      sub.on('error', () => {});
      sub.on('message', (ch: string, message: string) => this.handlers.get(ch)?.(message));
      this.subscriber = sub;
    }
    await this.subscriber.subscribe(name).catch(() => undefined);
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.client.publish(this.key(channel), message);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.reconnectListeners.clear();
    await Promise.all([quit(this.client), this.subscriber ? quit(this.subscriber) : undefined]);
  }
}

async function quit(c: RedisClient): Promise<void> {
  if (c.status === 'ready') await c.quit().catch(() => c.disconnect());
  else c.disconnect();
}

/**
 * Connect, waiting up to connectTimeoutMs for the first `ready`. Never rejects because Redis is
 * away: the gateway starts and serves, degraded, and the client keeps reconnecting. Rejects only
 * when ioredis cannot be loaded or the URL is malformed.
 */
export async function openRedisConnection(opts: RedisConnectionOptions): Promise<RedisConnection> {
  let Redis: typeof import('ioredis').Redis;
  try {
    ({ Redis } = await import('ioredis'));
  } catch (e) {
    throw new Error(`The Redis store needs the ioredis package, which failed to load (${(e as Error).message}). Reinstall with \`npm ci\`.`, { cause: e });
  }
  const client = new Redis(opts.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: opts.commandTimeoutMs ?? 500,
    connectTimeout: opts.connectTimeoutMs ?? 2_000,
    // Reconnect for ever, backing off to 2 s: state converges as soon as Redis is back.
    retryStrategy: (times: number) => Math.min(2_000, 50 * 2 ** Math.min(times, 6)),
    lazyConnect: false,
  });
  const conn = new RedisConnection(client, opts.keyPrefix ?? DEFAULT_KEY_PREFIX, opts.instanceId ?? `i-${randomBytes(6).toString('hex')}`);
  await new Promise<void>((resolve) => {
    if (client.status === 'ready') return resolve();
    const done = () => {
      clearTimeout(timer);
      client.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, opts.connectTimeoutMs ?? 2_000);
    client.once('ready', done);
  });
  return conn;
}
