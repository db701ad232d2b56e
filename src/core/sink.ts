/**
 * Told once how an operation came out: `done` with its value, or `failed` with why. Neither
 * method may throw: the caller that reports has no one to pass a throw to.
 *
 * The hot-path rule (said once here and in docs/architecture.md): per request, the path from
 * request in to stream out allocates few objects and keeps its state in class instances that are
 * their own sinks, timer arguments and abort listeners, rather than in closures, promise
 * reactions and suspended async frames. What a request holds while the upstream thinks is
 * multiplied by every request in flight, and every young-generation collection copies it (on the
 * 2026-12-02 VM: 4.6 KB held per in-flight stream became 3.3 KB this way). Each hop has one
 * protocol, this one; callers off the hot path use toPromise below.
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
