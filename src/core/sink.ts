/**
 * Told once how an operation came out: `done` with its value, or `failed` with why. The hot path
 * passes objects that are their own sink (an exchange's caller, a stream being opened, a chat
 * call) where a promise would hold a reaction and two closures per request while the upstream
 * thinks. Neither method may throw: the caller that reports has no one to pass a throw to.
 */
export interface Sink<T> {
  done(value: T): void;
  failed(e: unknown): void;
}

/** Tell `to` how a promise settles (where a promise-returning step feeds a sink). */
export function tell<T>(p: Promise<T>, to: Sink<T>): void {
  p.then(
    (v) => to.done(v),
    (e: unknown) => to.failed(e),
  );
}

/**
 * The one bridge from the sink protocol to a promise, for callers off the request hot path
 * (embeddings, count_tokens, probes, tests): `start` is handed a sink and must tell it once.
 */
export function toPromise<T>(start: (to: Sink<T>) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    try {
      start({ done: resolve, failed: reject });
    } catch (e) {
      reject(e);
    }
  });
}
