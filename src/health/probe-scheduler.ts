/**
 * Active probes, only where passive signals are missing (issue 5): a
 * component with client traffic in the last interval is never probed; a
 * parked credential is never probed (it would burn quota the vendor asked us
 * to stop using); intervals are jittered so probes of many components do not
 * fire in lockstep. Each probe's outcome goes to the sink marked `probe: true`,
 * so its cost is counted separately in the stored metrics.
 */
import type { AttemptOutcome, OutcomeSink } from '../core/attempt-outcome.js';
import type { Clock, TimerHandle } from '../core/clock.js';

export interface ProbeTarget {
  provider: string;
  model: string;
}

/** Runs one cheap request; resolves with the outcome fields (never rejects for upstream errors). */
export type ProbeFn = (target: ProbeTarget) => Promise<Pick<AttemptOutcome, 'ok' | 'kind' | 'status' | 'ttftMs'>>;

export interface ProbeSchedulerOptions {
  clock: Clock;
  sink: OutcomeSink;
  probe: ProbeFn;
  targets: () => ProbeTarget[];
  intervalMs: number;
  /** +/- this share of the interval, uniformly (default 0.2). */
  jitter?: number;
  /** Last client (non-probe) outcome for a component, epoch ms. */
  lastTrafficAt: (id: string) => number;
  /** Parked credential or target: skip. */
  isParked?: (target: ProbeTarget) => boolean;
  random?: () => number;
  onError?: (err: unknown) => void;
  /** Several instances: only the holder of the probe lease probes (probe-lease.ts); absent = always. */
  lease?: { readonly held: boolean };
}

export class ProbeScheduler {
  private readonly due = new Map<string, number>();
  private readonly inFlight = new Set<string>();
  private timer: TimerHandle | undefined;
  private running = false;
  /** Probes sent, for visibility (also counted per component in the metrics). */
  sent = 0;

  constructor(private readonly opts: ProbeSchedulerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) this.opts.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Check every target once; exposed for tests, normally called by the timer. */
  tick(): void {
    if (this.opts.lease && !this.opts.lease.held) return;
    const now = this.opts.clock.now();
    for (const t of this.opts.targets()) {
      const id = `${t.provider}/${t.model}`;
      let due = this.due.get(id);
      if (due === undefined) {
        // First sight: spread the first probes over one interval.
        this.due.set(id, (due = now + this.rand() * this.opts.intervalMs));
      }
      if (now < due || this.inFlight.has(id)) continue;
      this.due.set(id, now + this.nextGap());
      if (now - this.opts.lastTrafficAt(id) < this.opts.intervalMs) continue; // real traffic speaks for it
      if (this.opts.isParked?.(t)) continue;
      this.run(t, id, now);
    }
  }

  private run(t: ProbeTarget, id: string, startedAt: number): void {
    this.inFlight.add(id);
    this.sent++;
    void this.opts
      .probe(t)
      .then(
        (r) => this.opts.sink.record({ provider: t.provider, model: t.model, at: startedAt, stream: false, probe: true, ...r }),
        (e: unknown) => {
          this.opts.onError?.(e);
          this.opts.sink.record({ provider: t.provider, model: t.model, at: startedAt, stream: false, probe: true, ok: false, kind: 'internal' });
        },
      )
      .finally(() => this.inFlight.delete(id));
  }

  private nextGap(): number {
    const j = this.opts.jitter ?? 0.2;
    return this.opts.intervalMs * (1 - j + 2 * j * this.rand());
  }

  private rand(): number {
    return (this.opts.random ?? Math.random)();
  }

  private schedule(): void {
    if (!this.running) return;
    // Check a few times per interval so jittered due times are honoured closely.
    this.timer = this.opts.clock.setTimeout(() => {
      this.tick();
      this.schedule();
    }, Math.max(1_000, Math.min(5_000, this.opts.intervalMs / 10)));
  }
}
