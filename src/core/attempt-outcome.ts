/**
 * The passive health signal: one record per upstream attempt, emitted by the
 * request path and consumed (asynchronously, in batches) by health tracking.
 */
import type { ErrorKind } from './errors.js';

export interface AttemptOutcome {
  provider: string;
  /** Upstream model id. Health is tracked per provider x model (2024-12-11: recovery was per product). */
  model: string;
  /** Epoch ms when the attempt started. */
  at: number;
  ok: boolean;
  /** For failures: the typed error kind and status. */
  kind?: ErrorKind;
  status?: number;
  /** Time to first token (streams) or to the full answer (JSON), ms; only for successes. */
  ttftMs?: number;
  stream: boolean;
  /** True for active probes, so their cost is visible and they can be told apart from traffic. */
  probe?: boolean;
}

/** Must never block or throw: the hot path calls it. */
export interface OutcomeSink {
  record(outcome: AttemptOutcome): void;
}

export const nullOutcomeSink: OutcomeSink = { record: () => {} };
