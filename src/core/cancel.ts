/**
 * Cancellation for the request hot path. Node's AbortController is an
 * EventTarget and costs microseconds to create and wire; a request needs a few
 * of them (its deadline, each attempt's timer). `Cancel` is the minimal
 * signal: a flag, a reason and listeners. Standard AbortSignals satisfy
 * SignalLike too, so callers (and tests) may pass either.
 */

export interface SignalLike {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export class Cancel implements SignalLike {
  aborted = false;
  reason: unknown = undefined;
  private listeners: Array<() => void> | undefined;

  /** A child follows `parent`: aborted with the parent's reason when it is. */
  constructor(parent?: SignalLike) {
    if (!parent) return;
    if (parent.aborted) this.abort(parent.reason);
    else parent.addEventListener('abort', () => this.abort(parent.reason), { once: true });
  }

  /** The signal itself (API parity with AbortController). */
  get signal(): this {
    return this;
  }

  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason ?? new Error('aborted');
    const ls = this.listeners;
    this.listeners = undefined;
    if (ls) for (const l of ls) l();
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    if (this.aborted) return;
    (this.listeners ??= []).push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const ls = this.listeners;
    if (!ls) return;
    const i = ls.indexOf(listener);
    if (i !== -1) ls.splice(i, 1);
  }
}
