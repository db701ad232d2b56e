/** An attempt as the router runs it, the options of a run, and what a successful run yields. */
import type { SignalLike } from '../core/cancel.js';
import type { Sink } from '../core/sink.js';
import type { AttemptTimers } from './attempt-timers.js';
import type { Lease } from './lease.js';
import type { AttemptRecord } from './no-target-error.js';
import type { Target } from './route-table.js';
import type { RequestTrace } from './router-observer.js';

/** One attempt on a target under its timers and lease: tell `to` once how it went; `signal` ends it (deadline, client gone, hedge lost). */
export type Attempt<T> = (target: Target, signal: SignalLike, to: Sink<T>, timers: AttemptTimers, lease: Lease) => void;

export interface RunOptions<T> {
  /** The request's deadline signal. */
  signal: SignalLike;
  /** Epoch ms of the request's deadline (bounds queue waits). */
  deadlineAt?: number;
  stream: boolean;
  /** A continuation after a mid-stream failure: counts against the budget, avoids these targets. */
  continuation?: { exclude: Set<string> };
  /** The request's trace, when it is traced: each attempt opens a span under it. */
  trace?: RequestTrace;
  /** The request's priority class (metrics of queued requests). */
  priority?: string;
  /** Dispose of a value that lost a hedge race after it was produced (e.g. cancel its stream). */
  discard?: (value: T) => void;
}

export interface RunResult<T> {
  value: T;
  lease: Lease;
  attempts: AttemptRecord[];
}

