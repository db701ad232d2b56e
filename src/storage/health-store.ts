/**
 * What health tracking persists, behind narrow interfaces (DESIGN.md
 * principle 8). open-health-store.ts picks and opens an adapter.
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
  | { kind: 'sqlite'; dir: string; file?: string }
  /** Shared by every instance (issue #27); tables in `schema` (default public), created and migrated when missing. */
  | { kind: 'postgres'; url: string; schema?: string };
