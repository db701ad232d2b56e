/** In-process store: tests, and a gateway started without a data directory. */
import type { HealthStore } from '../health-store.js';
import { compareIncidents, type Incident, type IncidentStore } from '../incident-store.js';
import { alignTo, emptyBucket, mergeInto, RESOLUTIONS, type MetricsBucket, type MetricsQuery, type MetricsStore, type Resolution } from '../metrics-store.js';

class MemoryMetricsStore implements MetricsStore {
  /** resolution -> component -> start -> bucket */
  private readonly data = new Map<Resolution, Map<string, Map<number, MetricsBucket>>>(RESOLUTIONS.map((r) => [r, new Map()]));

  async add(buckets: readonly MetricsBucket[]): Promise<void> {
    for (const b of buckets) {
      for (const res of RESOLUTIONS) {
        const byComponent = this.data.get(res)!;
        let series = byComponent.get(b.component);
        if (!series) byComponent.set(b.component, (series = new Map()));
        const start = alignTo(res, b.start);
        let row = series.get(start);
        if (!row) series.set(start, (row = emptyBucket(b.component, start)));
        mergeInto(row, b);
      }
    }
  }

  async read(q: MetricsQuery): Promise<MetricsBucket[]> {
    const byComponent = this.data.get(q.resolution)!;
    const names = (q.components ?? [...byComponent.keys()]).slice().sort();
    const out: MetricsBucket[] = [];
    for (const name of names) {
      const series = byComponent.get(name);
      if (!series) continue;
      const rows = [...series.values()].filter((b) => b.start >= q.from && b.start < q.to).sort((a, b) => a.start - b.start);
      for (const r of rows) out.push(structuredClone(r));
    }
    return out;
  }

  async prune(before: number): Promise<void> {
    for (const byComponent of this.data.values()) {
      for (const [name, series] of byComponent) {
        for (const start of series.keys()) if (start < before) series.delete(start);
        if (series.size === 0) byComponent.delete(name);
      }
    }
  }

  async components(): Promise<string[]> {
    return [...this.data.get('minute')!.keys(), ...this.data.get('day')!.keys()].filter((v, i, a) => a.indexOf(v) === i).sort();
  }
}

class MemoryIncidentStore implements IncidentStore {
  private readonly byId = new Map<string, Incident>();

  async upsert(incident: Incident): Promise<void> {
    this.byId.set(incident.id, structuredClone(incident));
  }

  async get(id: string): Promise<Incident | undefined> {
    const i = this.byId.get(id);
    return i && structuredClone(i);
  }

  async list(limit: number): Promise<Incident[]> {
    return [...this.byId.values()].sort(compareIncidents).slice(0, limit).map((i) => structuredClone(i));
  }

  async listOpen(): Promise<Incident[]> {
    return [...this.byId.values()].filter((i) => i.resolvedAt === undefined).sort(compareIncidents).map((i) => structuredClone(i));
  }

  async prune(before: number): Promise<void> {
    for (const [id, i] of this.byId) if (i.resolvedAt !== undefined && i.resolvedAt < before) this.byId.delete(id);
  }
}

export class MemoryHealthStore implements HealthStore {
  readonly metrics = new MemoryMetricsStore();
  readonly incidents = new MemoryIncidentStore();
  async close(): Promise<void> {}
}
