/**
 * What health tracking persists, behind narrow interfaces (DESIGN.md
 * principle 8). openHealthStore loads the SQLite driver only when asked for.
 */
import type { IncidentStore } from './incident-store.js';
import type { MetricsStore } from './metrics-store.js';

export interface HealthStore {
  readonly metrics: MetricsStore;
  readonly incidents: IncidentStore;
  close(): Promise<void>;
}

export type HealthStoreOptions =
  | { kind: 'memory' }
  /** One file, `<dir>/switchyard.db`, created with its directory when missing. */
  | { kind: 'sqlite'; dir: string; file?: string };

export async function openHealthStore(opts: HealthStoreOptions): Promise<HealthStore> {
  if (opts.kind === 'memory') {
    const { MemoryHealthStore } = await import('./memory/memory-health-store.js');
    return new MemoryHealthStore();
  }
  const { openSqliteHealthStore } = await import('./sqlite/sqlite-health-store.js');
  return openSqliteHealthStore(opts.dir, opts.file);
}
