/**
 * Only one instance of a fleet runs active probes (issue #27): N gateways probing the same idle
 * model would cost N times the tokens and the provider's patience for one signal. The holder of
 * the `probes` lease probes; it renews the lease every ttl/3, so when it dies another instance
 * takes over within one ttl. `held` is read synchronously by the scheduler's tick.
 *
 * Redis away: the lease cannot be asked, so each instance probes as if alone (held = true). Probes
 * are few (idle components, one per interval), and a fleet without probes would lose the signal
 * exactly while it is degraded.
 */
import type { Clock, TimerHandle } from '../core/clock.js';
import type { LeaseStore } from '../storage/lease-store.js';

export interface ProbeLeaseOptions {
  clock: Clock;
  /** This instance's id (unique in the fleet). */
  owner: string;
  /** Default 30,000 ms. */
  ttlMs?: number;
  onChange?: (held: boolean) => void;
}

export const PROBE_LEASE = 'probes';

export class ProbeLease {
  private isHeld = false;
  private timer: TimerHandle | undefined;
  private running = false;

  constructor(
    private readonly store: LeaseStore,
    private readonly opts: ProbeLeaseOptions,
  ) {}

  get held(): boolean {
    return this.isHeld;
  }

  /** Ask for the lease now (waits for the answer), then renew on a timer. */
  async start(): Promise<void> {
    this.running = true;
    await this.renew();
    this.schedule();
  }

  /** Stop renewing and hand the lease over at once. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) this.opts.clock.clearTimeout(this.timer);
    if (this.isHeld) await this.store.release(PROBE_LEASE, this.opts.owner).catch(() => undefined);
    this.set(false);
  }

  /** One acquire-or-renew (the timer calls it; tests may too). */
  async renew(): Promise<void> {
    let held: boolean;
    try {
      held = await this.store.acquire(PROBE_LEASE, this.opts.owner, this.ttl());
    } catch {
      held = true;
    }
    if (this.running) this.set(held);
  }

  private set(held: boolean): void {
    if (held === this.isHeld) return;
    this.isHeld = held;
    this.opts.onChange?.(held);
  }

  private ttl(): number {
    return this.opts.ttlMs ?? 30_000;
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = this.opts.clock.setTimeout(() => {
      void this.renew().finally(() => this.schedule());
    }, this.ttl() / 3);
  }
}
