/**
 * Cancellation for the request hot path. Node's AbortController is an
 * EventTarget and costs microseconds to create and wire; a request needs a few
 * of them (its deadline, each attempt's timer). `Cancel` is the minimal
 * signal: a flag, a reason and listeners. Standard AbortSignals satisfy
 * SignalLike too, so callers (and tests) may pass either.
 */

/**
 * A function, or an object whose handleEvent() is called (as EventTarget
 * allows), so hot-path objects can listen as themselves.
 */
export type AbortListener = (() => void) | { handleEvent(): void };

export interface SignalLike {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: AbortListener, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: AbortListener): void;
}

export class Cancel implements SignalLike {
  aborted = false;
  reason: unknown = undefined;
  /**
   * Listeners: nearly every signal has at most one (the next layer down), so that one is a field
   * and an array is made only for a second; once there is an array every listener goes there, so
   * they run in the order they were added. (An array of one costs ~180 bytes that live as long as
   * the request: two per streamed request before this.)
   */
  private one: AbortListener | undefined = undefined;
  private more: AbortListener[] | undefined = undefined;

  /** A child follows `parent`: aborted with the parent's reason when it is. */
  constructor(private readonly parent?: SignalLike) {
    if (!parent) return;
    if (parent.aborted) this.abort(parent.reason);
    else parent.addEventListener('abort', this, { once: true });
  }

  /** @internal the parent aborted. */
  handleEvent(): void {
    this.abort(this.parent?.reason);
  }

  /** The signal itself (API parity with AbortController). */
  get signal(): this {
    return this;
  }

  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason ?? new Error('aborted');
    const one = this.one;
    const more = this.more;
    this.one = this.more = undefined;
    if (one) call(one);
    if (more) for (const l of more) call(l);
  }

  addEventListener(_type: 'abort', listener: AbortListener): void {
    if (this.aborted) return;
    if (this.more) this.more.push(listener);
    else if (this.one === undefined) this.one = listener;
    else {
      this.more = [this.one, listener];
      this.one = undefined;
    }
  }

  removeEventListener(_type: 'abort', listener: AbortListener): void {
    if (this.one === listener) {
      this.one = undefined;
      return;
    }
    const ls = this.more;
    if (!ls) return;
    const i = ls.indexOf(listener);
    if (i !== -1) ls.splice(i, 1);
  }
}

function call(l: AbortListener): void {
  if (typeof l === 'function') l();
  else l.handleEvent();
}
