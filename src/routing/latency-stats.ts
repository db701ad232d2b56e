/**
 * What a target's traffic teaches about its timing: an EWMA (least-loaded balancing) and
 * quantiles of recent samples (hedge delays, learned attempt timers). Samples go into
 * logarithmic buckets (each ~10% wide, 1 ms to ~20 min), so adding one and reading a quantile
 * cost a few dozen operations, never a sort; a quantile is accurate to a bucket's width (it
 * answers the bucket's upper edge: it errs long, never short). Old samples fade: once the
 * buckets hold `window` samples, every count is halved, so the quantiles follow the last
 * `window`-odd samples.
 */
const GROWTH = 1.1;
const LOG_GROWTH = Math.log(GROWTH);
/** Bucket 0 holds everything up to 1 ms; bucket i (i ≥ 1) up to GROWTH^i ms. */
const BUCKETS = 150;
const EDGES = Array.from({ length: BUCKETS }, (_, i) => Math.round(GROWTH ** i));

export class LatencyStats {
  ewma: number | undefined;
  private readonly counts = new Float64Array(BUCKETS);
  private weight = 0;
  private added = 0;

  constructor(
    private readonly alpha = 0.2,
    private readonly window = 200,
  ) {}

  add(ms: number): void {
    this.ewma = this.ewma === undefined ? ms : this.ewma + this.alpha * (ms - this.ewma);
    this.counts[bucketOf(ms)]! += 1;
    this.added++;
    if (++this.weight >= this.window) this.fade();
  }

  /** Samples added since start. */
  count(): number {
    return this.added;
  }

  /** The q-quantile (0..1) of recent samples, or undefined with fewer than `min` samples seen. */
  quantile(q: number, min = 20): number | undefined {
    if (this.added < min) return undefined;
    const want = q * this.weight;
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= want && seen > 0) return EDGES[i];
    }
    return EDGES[BUCKETS - 1];
  }

  private fade(): void {
    let w = 0;
    for (let i = 0; i < BUCKETS; i++) w += this.counts[i]! *= 0.5;
    this.weight = w;
  }
}

function bucketOf(ms: number): number {
  if (!(ms > 1)) return 0;
  return Math.min(BUCKETS - 1, Math.ceil(Math.log(ms) / LOG_GROWTH));
}
