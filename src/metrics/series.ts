/**
 * Counters and histograms whose request-path cost is a Map lookup and a few additions: the
 * labels of a series are given once, as an array in the family's label order, and its cell is
 * found again by one joined key. prom-client's own Counter and Histogram check, sort and hash
 * the label object on every increment (several µs per request, measured with
 * scripts/bench-ab.mjs); these families are registered with its Registry as custom metrics
 * (name, help, type, get()) and formatted by it only when Prometheus scrapes.
 */
import type { Registry } from 'prom-client';

type Labels = Record<string, string>;

interface CounterCell {
  labels: Labels;
  value: number;
}

interface HistogramCell {
  labels: Labels;
  counts: Float64Array;
  sum: number;
  count: number;
}

abstract class Family<C> {
  protected readonly cells = new Map<string, C>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly string[],
    registers: Registry[],
  ) {
    for (const r of registers) r.registerMetric(this as never);
  }

  /** The cell of these label values (undefined: the label is left out of the series). */
  protected cell(values: ReadonlyArray<string | undefined>): C {
    const key = values.join('\u0001');
    let c = this.cells.get(key);
    if (c === undefined) {
      const labels: Labels = {};
      for (let i = 0; i < this.labelNames.length; i++) if (values[i] !== undefined) labels[this.labelNames[i]!] = values[i]!;
      c = this.create(labels);
      this.cells.set(key, c);
    }
    return c;
  }

  protected abstract create(labels: Labels): C;

  reset(): void {
    this.cells.clear();
  }
}

export class FastCounter extends Family<CounterCell> {
  readonly type = 'counter';

  inc(values: ReadonlyArray<string | undefined>, by = 1): void {
    this.cell(values).value += by;
  }

  protected create(labels: Labels): CounterCell {
    return { labels, value: 0 };
  }

  get(): { name: string; help: string; type: string; values: Array<{ labels: Labels; value: number }>; aggregator: string } {
    return { name: this.name, help: this.help, type: this.type, values: [...this.cells.values()].map((c) => ({ labels: c.labels, value: c.value })), aggregator: 'sum' };
  }
}

export class FastHistogram extends Family<HistogramCell> {
  readonly type = 'histogram';
  private readonly les: string[];

  constructor(name: string, help: string, labelNames: readonly string[], private readonly bounds: readonly number[], registers: Registry[]) {
    super(name, help, labelNames, registers);
    this.les = [...bounds.map(String), '+Inf'];
  }

  observe(values: ReadonlyArray<string | undefined>, v: number): void {
    const c = this.cell(values);
    const b = this.bounds;
    let i = 0;
    while (i < b.length && v > b[i]!) i++;
    c.counts[i]!++;
    c.sum += v;
    c.count++;
  }

  protected create(labels: Labels): HistogramCell {
    return { labels, counts: new Float64Array(this.bounds.length + 1), sum: 0, count: 0 };
  }

  get(): { name: string; help: string; type: string; values: Array<{ labels: Labels; value: number; metricName: string }>; aggregator: string } {
    const values: Array<{ labels: Labels; value: number; metricName: string }> = [];
    for (const c of this.cells.values()) {
      let acc = 0;
      for (let i = 0; i < this.les.length; i++) {
        acc += c.counts[i]!;
        values.push({ labels: { ...c.labels, le: this.les[i]! }, value: acc, metricName: `${this.name}_bucket` });
      }
      values.push({ labels: c.labels, value: c.sum, metricName: `${this.name}_sum` });
      values.push({ labels: c.labels, value: c.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: 'sum' };
  }
}
