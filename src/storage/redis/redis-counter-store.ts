/**
 * Slot counts shared by every instance (the retry budget: issue #27). Reads and adds stay local
 * and synchronous; a background merge, every mergeEveryMs, sends this instance's new counts and
 * reads everyone's totals back, for every window, in one script (one round trip per merge, never
 * per request).
 *
 * Consistency model: sum() = this instance's own counts (exact, immediate) + the other instances'
 * counts as of the last merge (at most mergeEveryMs + one round trip old). Counts sent in a merge
 * that failed are dropped from the shared totals (never sent twice); they still count locally.
 * While Redis is away the others' counts age out of the window and each instance budgets on its
 * own traffic alone, as a single instance would. Shared slots expire after ttlMs without writes,
 * which must exceed the longest window (the retry budget's is 10 one-second slots).
 */
import type { Clock, TimerHandle } from '../../core/clock.js';
import type { CounterStore, SlotCounts } from '../counter-store.js';
import { MemoryCounterStore } from '../memory/memory-counter-store.js';
import { luaScript, type RedisConnection } from './redis-connection.js';

/**
 * KEYS: one hash per window. ARGV: ttl, then per window: oldest live slot, n pairs, slot, count x n.
 * Returns per window a flat list of slot, total.
 */
const MERGE = luaScript(`
local ttl = ARGV[1]
local a = 2
local out = {}
for k = 1, #KEYS do
  local oldest = tonumber(ARGV[a])
  local pairs_n = tonumber(ARGV[a + 1])
  a = a + 2
  for p = 1, pairs_n do
    redis.call('HINCRBY', KEYS[k], ARGV[a], ARGV[a + 1])
    a = a + 2
  end
  if pairs_n > 0 then redis.call('PEXPIRE', KEYS[k], ttl) end
  local raw = redis.call('HGETALL', KEYS[k])
  local live, dead = {}, {}
  for i = 1, #raw, 2 do
    if tonumber(raw[i]) < oldest then dead[#dead + 1] = raw[i] else live[#live + 1] = raw[i]; live[#live + 1] = raw[i + 1] end
  end
  if #dead > 0 then redis.call('HDEL', KEYS[k], unpack(dead)) end
  out[k] = live
end
return out
`);

export interface RedisCounterStoreOptions {
  clock: Clock;
  /** Default 250 ms. */
  mergeEveryMs?: number;
  /** Default 60,000 ms. */
  ttlMs?: number;
}

class SharedWindow implements SlotCounts {
  readonly own: SlotCounts;
  /** Counts added since the last merge, by slot. */
  unsent = new Map<number, number>();
  /** This instance's counts already in Redis, by slot. */
  readonly sent = new Map<number, number>();
  /** Everyone else's, as of the last merge. */
  readonly others = new Map<number, number>();
  newest = -Infinity;

  constructor(
    readonly key: string,
    readonly span: number,
  ) {
    this.own = new MemoryCounterStore().window(key, span);
  }

  add(slot: number, n: number): void {
    this.own.add(slot, n);
    this.unsent.set(slot, (this.unsent.get(slot) ?? 0) + n);
    if (slot > this.newest) this.newest = slot;
  }

  sum(from: number, to: number): number {
    let total = this.own.sum(from, to);
    for (const [slot, n] of this.others) if (slot >= from && slot <= to) total += n;
    return total;
  }
}

export class RedisCounterStore implements CounterStore {
  private readonly windows = new Map<string, SharedWindow>();
  private timer: TimerHandle | undefined;
  private merging: Promise<void> | undefined;
  private closed = false;
  /** Merges that failed (Redis away), for status and metrics. */
  failedMerges = 0;

  constructor(
    private readonly conn: RedisConnection,
    private readonly opts: RedisCounterStoreOptions,
  ) {
    this.schedule();
  }

  window(key: string, span: number): SlotCounts {
    let w = this.windows.get(key);
    if (!w) this.windows.set(key, (w = new SharedWindow(key, Math.max(1, span))));
    return w;
  }

  /** Merge now (the timer does this; tests call it). Never rejects. */
  sync(): Promise<void> {
    this.merging ??= this.merge().finally(() => (this.merging = undefined));
    return this.merging;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) this.opts.clock.clearTimeout(this.timer);
    await this.merging;
  }

  private async merge(): Promise<void> {
    const ws = [...this.windows.values()];
    if (ws.length === 0) return;
    const sending = ws.map((w) => {
      const s = w.unsent;
      w.unsent = new Map();
      return s;
    });
    const args: (string | number)[] = [this.opts.ttlMs ?? 60_000];
    ws.forEach((w, i) => {
      const s = sending[i]!;
      // A window never added to here reads everything Redis has (-1: slots are never negative).
      args.push(Number.isFinite(w.newest) ? w.newest - w.span + 1 : -1, s.size);
      for (const [slot, n] of s) args.push(slot, n);
    });
    let reply: string[][];
    try {
      reply = (await this.conn.eval(MERGE, ws.map((w) => this.conn.key(`cnt:${w.key}`)), args)) as string[][];
    } catch {
      this.failedMerges++;
      return;
    }
    ws.forEach((w, i) => {
      for (const [slot, n] of sending[i]!) w.sent.set(slot, (w.sent.get(slot) ?? 0) + n);
      const oldest = w.newest - w.span + 1;
      for (const slot of w.sent.keys()) if (slot < oldest) w.sent.delete(slot);
      w.others.clear();
      const live = reply[i] ?? [];
      for (let j = 0; j < live.length; j += 2) {
        const slot = Number(live[j]);
        const others = Number(live[j + 1]) - (w.sent.get(slot) ?? 0);
        if (others > 0) w.others.set(slot, others);
        if (slot > w.newest) w.newest = slot;
      }
    });
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = this.opts.clock.setTimeout(() => {
      void this.sync().finally(() => this.schedule());
    }, this.opts.mergeEveryMs ?? 250);
  }
}
