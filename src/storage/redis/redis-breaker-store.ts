/**
 * Breaker states shared by every instance (issue #27: "a breaker opened by one instance is
 * respected by the others within 100 ms"). Failure counting stays in each instance's breaker;
 * what is shared is the record (state, open-until, opens).
 *
 * Consistency model: the record the breaker holds is a local replica, read synchronously. A
 * transition is written to one Redis hash and published in one script; every instance applies
 * what it hears to its record in place, so its breaker sees the new state on its next allow().
 * Redis delivers published messages to every subscriber in one order, so the last transition in
 * that order wins everywhere. While an instance's own transition is on its way (published but not
 * yet heard back) it ignores others' messages for that target: those were published before its
 * own, which supersedes them. A replica (re)loads the hash at start and after reconnecting. While
 * Redis is away each instance's breakers act alone, as without Redis. A state applied from another
 * instance does not call the local breaker's onChange (its logs and slow start are local).
 */
import type { BreakerRecord, BreakerStore } from '../breaker-store.js';
import { luaScript, type RedisConnection } from './redis-connection.js';

/** KEYS: hash. ARGV: label, value, channel, message. */
const WRITE = luaScript(`
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1
`);

const CHANNEL = 'breakers';
/** Far above a loopback or LAN round trip; below any breaker's open duration. */
const ECHO_WAIT_MS = 1_000;

interface Wire {
  /** label */
  l: string;
  s: BreakerRecord['state'];
  u: number;
  o: number;
  /** instance that wrote it */
  i: string;
}

export class RedisBreakerStore implements BreakerStore {
  private readonly records = new Map<string, BreakerRecord>();
  /**
   * Own transitions published and not yet heard back, per label, with when the last was sent. An
   * echo lost with a dropped subscriber connection must not silence a label for ever: after
   * ECHO_WAIT_MS without its echo, others' messages apply again.
   */
  private readonly inFlight = new Map<string, { n: number; at: number }>();
  /** Failed writes (Redis away), for status and metrics. */
  failedWrites = 0;

  private constructor(private readonly conn: RedisConnection) {}

  static async open(conn: RedisConnection): Promise<RedisBreakerStore> {
    const s = new RedisBreakerStore(conn);
    await conn.subscribe(CHANNEL, (m) => s.heard(m));
    conn.onReconnect(() => void s.load());
    await s.load();
    return s;
  }

  record(label: string): BreakerRecord {
    let r = this.records.get(label);
    if (!r) this.records.set(label, (r = { state: 'closed', openUntil: 0, opens: 0 }));
    return r;
  }

  changed(label: string): void {
    const r = this.record(label);
    const wire: Wire = { l: label, s: r.state, u: r.openUntil, o: r.opens, i: this.conn.instanceId };
    const value = JSON.stringify(wire);
    this.inFlight.set(label, { n: (this.inFlight.get(label)?.n ?? 0) + 1, at: performance.now() });
    this.conn.eval(WRITE, [this.conn.key(CHANNEL)], [label, value, this.conn.key(CHANNEL), value]).catch(() => {
      this.failedWrites++;
      this.settled(label);
    });
  }

  /** Read every shared record into the replicas (start, reconnection). */
  async load(): Promise<void> {
    let all: Record<string, string>;
    try {
      all = await this.conn.client.hgetall(this.conn.key(CHANNEL));
    } catch {
      return;
    }
    for (const value of Object.values(all)) {
      const w = parse(value);
      if (w && !this.waiting(w.l)) this.apply(w);
    }
  }

  private heard(message: string): void {
    const w = parse(message);
    if (!w) return;
    if (w.i === this.conn.instanceId) this.settled(w.l);
    else if (!this.waiting(w.l)) this.apply(w);
  }

  /** An own transition of `label` is on its way (recently sent, echo not yet heard). */
  private waiting(label: string): boolean {
    const f = this.inFlight.get(label);
    if (!f) return false;
    if (performance.now() - f.at < ECHO_WAIT_MS) return true;
    this.inFlight.delete(label);
    return false;
  }

  private settled(label: string): void {
    const f = this.inFlight.get(label);
    if (!f) return;
    if (f.n <= 1) this.inFlight.delete(label);
    else f.n--;
  }

  private apply(w: Wire): void {
    const r = this.record(w.l);
    r.state = w.s;
    r.openUntil = w.u;
    r.opens = w.o;
  }
}

function parse(text: string): Wire | undefined {
  try {
    const w = JSON.parse(text) as Wire;
    return typeof w.l === 'string' && (w.s === 'closed' || w.s === 'open' || w.s === 'half_open') ? w : undefined;
  } catch {
    return undefined;
  }
}
