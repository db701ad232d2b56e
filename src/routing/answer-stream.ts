/**
 * One streamed answer, as the client sees it, across targets: the first target's stream, and
 * when it is cut, stalls or sends a malformed frame after part of the answer went out, the rest
 * from another target, continued from exactly what the client received, with the switch marked
 * on the next frame and on the final one. Every ending is the format's proper end or its error
 * event (DESIGN.md principle 6). Leases are settled here; the client side only writes bytes.
 */
import type { Clock } from '../core/clock.js';
import { toGatewayError, type GatewayError } from '../core/errors.js';
import type { ChatRequest } from '../core/request.js';
import type { Sink } from '../core/sink.js';
import type { StreamEvent, StreamMeta } from '../core/stream-event.js';
import type { Usage } from '../core/response.js';
import type { IngressFormat, StreamEncoder } from '../formats/types.js';
import type { StreamChunk, StreamWaiter } from '../providers/types.js';
import type { RunOptions, RunResult } from './attempt.js';
import { continuationRequest, StreamTranscript } from './continuation.js';
import type { Deadline } from './deadline.js';
import { openStream, type OpenedStream } from './open-stream.js';
import { DEFAULT_POLICY, type RoutePolicy } from './policy.js';
import type { Route } from './route-table.js';
import type { Router } from './router.js';

/** The client side of a streamed answer: bytes out, with backpressure. */
export interface AnswerSink {
  /** Bytes for the client; false when it is not reading fast enough (call resume() once it drained). */
  write(bytes: Buffer | string): boolean;
  /** The answer is over; these are its last bytes (its proper end, or its error event). */
  end(bytes: Buffer | string): void;
}

/** Who watches an answer (the journal, metrics, logs); every method is optional and must not throw. */
export interface AnswerObserver {
  /** Part of the answer reached the client: its bytes (pass-through, in `format`, not decoded) or its events (translated). */
  chunk?(raw: Buffer | undefined, events: readonly StreamEvent[], format: string): void;
  /** The answer continues on another target after `error`. */
  switched?(meta: StreamMeta, error: GatewayError, to: { provider: string; model: string }): void;
  /**
   * The answer is about to end: its last bytes (the format's end, or the error event) wait until the
   * promise settles (the journal commits the exchange first, so an answer the client saw end is
   * never lost). Undefined: end at once.
   */
  ending?(outcome: AnswerOutcome): Promise<unknown> | undefined;
  /** The answer ended: complete, with the client's error event, or because the client went away. */
  end?(outcome: AnswerOutcome): void;
}

export interface AnswerOutcome {
  ok: boolean;
  /** Why it did not complete (absent when ok). */
  error?: GatewayError;
  /** The client went away: nothing more was written. */
  aborted: boolean;
  switches: number;
  /** The target that sent the last part. */
  target: string;
  /** The upstream model ids of the targets that sent parts of the answer, in order. */
  models: string[];
  /** The usage the last target reported for its part (only when asked for: AnswerDeps.wantUsage). */
  usage?: Usage;
}

export interface AnswerDeps {
  router: Router;
  clock: Clock;
  route: Route;
  request: ChatRequest;
  ingress: Pick<IngressFormat, 'name' | 'createStreamEncoder'>;
  deadline: Deadline;
  /** The error as the client may see it (secrets removed). */
  clientError(e: GatewayError): GatewayError;
  observer?: AnswerObserver;
  /** Report the final usage in the outcome (a pass-through stream's bytes are then decoded once, at its end). */
  wantUsage?: boolean;
  /** The request's trace and priority, for a continuation's attempts. */
  runOptions?: Pick<RunOptions<OpenedStream>, 'trace' | 'priority'>;
}

/**
 * A pass-through answer keeps the bytes it wrote only until this many more were written: then they
 * become transcript events (issue #24: the kernel takes several MB for a client that does not read,
 * and a copy of all of it was kept). Most chat answers are shorter and never pay for a decode.
 */
const COMPACT_BYTES = 64 * 1024;

const RESUMABLE = new Set(['cut', 'stalled', 'transient', 'overloaded', 'timeout']);

export class AnswerStream implements StreamWaiter, Sink<RunResult<OpenedStream>> {
  private readonly policy: RoutePolicy;
  private readonly transcript = new StreamTranscript();
  private current: RunResult<OpenedStream>;
  private passthrough: boolean;
  private encoder: StreamEncoder | undefined;
  /** Targets that served part of this answer: a continuation goes elsewhere. */
  private used: Set<string> | undefined = undefined;
  private switches = 0;
  private carriedOutput = 0;
  private meta: StreamMeta | undefined = undefined;
  /** The switch was marked on a text frame since the last switch. */
  private marked = false;
  /** Pass-through: the stream lacked its proper end (the decoder closed it): the client gets its own. */
  private missingEnd = false;
  /** Pass-through: bytes written to the client, so a continuation goes on from exactly what it received (issue #22). */
  private written = 0;
  /** Pass-through: the bytes before this are in the transcript already, and the stream no longer keeps them. */
  private compactedTo = 0;
  /** The client is not reading: wait for resume(). */
  private paused = false;
  /** Bytes that end the answer, held while an observer makes the end safe (AnswerObserver.ending). */
  private held = '';
  /** The failure a continuation was asked to recover from. */
  private failure: GatewayError | undefined = undefined;
  /** The upstream model ids that served parts, in order. */
  private readonly models: string[];
  private usage: Usage | undefined = undefined;
  private ended = false;

  constructor(
    private readonly deps: AnswerDeps,
    first: RunResult<OpenedStream>,
    private readonly sink: AnswerSink,
  ) {
    this.policy = deps.route.policy ?? DEFAULT_POLICY;
    this.current = first;
    this.models = [first.lease.target.model];
    this.passthrough = first.value.stream.format === deps.ingress.name;
    this.encoder = this.passthrough ? undefined : deps.ingress.createStreamEncoder(deps.request);
  }

  start(): void {
    // Pass-through: bytes go out as they came; frames after the first token are only skimmed, not decoded.
    if (this.passthrough) this.current.value.stream.skimRest?.();
    this.pump();
  }

  /** The client drained what it was sent: go on. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.pump();
  }

  /** The client went away: stop the upstream (its failure then settles the lease as neutral). */
  cancel(reason: GatewayError): void {
    if (this.ended) return;
    this.current.value.stream.cancel(reason);
    this.paused = false;
    this.pump();
  }

  /** @internal the stream has more (StreamWaiter). */
  readable(): void {
    this.pump();
  }

  /** Forward what is here until the stream must be waited for, the client must drain, or it ends. */
  private pump(): void {
    const opened = this.current.value;
    try {
      for (;;) {
        if (this.ended) return;
        let chunk: StreamChunk;
        if (opened.head.length > 0) chunk = opened.head.shift()!;
        else {
          const r = opened.poll();
          if (r === undefined) return opened.wait(this);
          if (r.done) return this.complete();
          chunk = r.value;
        }
        if (!this.forward(chunk)) {
          this.paused = true;
          return;
        }
      }
    } catch (e) {
      this.fail(e);
    }
  }

  /** One chunk to the client; false when the client must drain first. */
  private forward(chunk: StreamChunk): boolean {
    const observer = this.deps.observer;
    if (this.passthrough) {
      // Events with no bytes: the decoder closed a stream that lacked its proper end (e.g. no [DONE]).
      if (chunk.raw.length === 0) {
        if (chunk.events.length > 0) this.missingEnd = true;
        return true;
      }
      observer?.chunk?.(chunk.raw, chunk.events, this.current.value.stream.format);
      if (chunk.end && observer?.ending) {
        this.held = chunk.raw.toString('latin1');
        return true;
      }
      this.written += chunk.raw.length;
      const more = this.sink.write(chunk.raw);
      if (this.written - this.compactedTo >= COMPACT_BYTES) this.compact();
      return more;
    }
    if (this.deps.wantUsage) for (const ev of chunk.events) if (ev.type === 'finish' && ev.usage) this.usage = ev.usage;
    const events = this.switches > 0 ? this.continued(chunk.events) : chunk.events;
    let out = '';
    let finish = false;
    for (const ev of events) {
      this.transcript.add(ev);
      out += this.encoder!.encode(ev);
      if (ev.type === 'finish') finish = true;
    }
    observer?.chunk?.(undefined, events, this.deps.ingress.name);
    if (finish && observer?.ending) {
      // The finish frame ends the answer for the client (Anthropic's message_stop): held with the end.
      this.held += out;
      return true;
    }
    return out.length === 0 || this.sink.write(out);
  }

  private complete(): void {
    const { current, deps } = this;
    // Forwarded, not decoded: its usage is in the bytes the client got.
    if (deps.wantUsage && this.passthrough) this.received(current.value.stream.replay?.(this.written) ?? []);
    current.lease.settle(this.usage ? { ok: true, ttftMs: current.value.ttftMs, usage: this.usage } : { ok: true, ttftMs: current.value.ttftMs });
    this.finish(this.encoder ? this.encoder.end() : this.missingEnd ? deps.ingress.createStreamEncoder(deps.request).end() : '', undefined);
    current.value.stream.dispose?.();
  }

  /** Pass-through: what the client was sent so far goes into the transcript as events, and the stream stops keeping its bytes. */
  private compact(): void {
    this.compactedTo = this.written;
    this.received(this.current.value.stream.compact?.(this.written) ?? []);
  }

  /** Events decoded from bytes the client was sent (pass-through): the transcript's, and the usage they report. */
  private received(events: readonly StreamEvent[]): void {
    this.transcript.addAll(events);
    if (this.deps.wantUsage) for (const ev of events) if (ev.type === 'finish' && ev.usage) this.usage = ev.usage;
  }

  /** The current target failed mid-stream: continue elsewhere when that can be done correctly, else the error event. */
  private fail(e: unknown): void {
    const err = toGatewayError(e);
    const { current, deps } = this;
    const opened = current.value;
    opened.stream.cancel(err);
    if (err.code === 'request_aborted') {
      // The client went away (or the request ended as if it had): nothing more to write.
      current.lease.settle({ ok: 'neutral' });
      this.ended = true;
      deps.observer?.end?.({ ok: false, error: err, aborted: true, switches: this.switches, target: current.lease.target.label, models: this.models });
      return;
    }
    current.lease.settle({ ok: false, error: err });
    // What the client received was forwarded, not decoded: decode exactly those bytes now, for the continuation.
    if (this.passthrough) this.received(opened.stream.replay?.(this.written) ?? []);
    if (this.policy.resume && RESUMABLE.has(err.kind) && this.transcript.resumable()) {
      this.failure = err;
      (this.used ??= new Set()).add(current.lease.target.label);
      return this.continueElsewhere();
    }
    this.giveUp(err);
  }

  /** Ask the next target to continue the partial answer (it counts against the retry budget). */
  private continueElsewhere(): void {
    const { deps, transcript } = this;
    const { clock, request, deadline } = deps;
    deps.router.route<OpenedStream>(
      deps.route,
      (t, signal, to, timers, lease) => {
        const req = continuationRequest(request, transcript.text, t.provider.supportsPrefill === true, transcript.textEvents);
        const traceparent = lease.span?.traceparent;
        openStream(clock, t, timers, signal, (target, s, sink) => target.provider.stream(req, target.model, traceparent ? { signal: s, traceparent } : { signal: s }, sink), to);
      },
      { signal: deadline.signal, deadlineAt: deadline.at, stream: true, continuation: { exclude: this.used! }, ...deps.runOptions },
      this,
    );
  }

  /** @internal a continuation opened (the router's Sink). */
  done(next: RunResult<OpenedStream>): void {
    const { deps, transcript } = this;
    if (!this.encoder) {
      // Bytes so far were forwarded raw: bring a fresh encoder to the same point (its output was already sent).
      this.encoder = deps.ingress.createStreamEncoder(deps.request);
      for (const ev of transcript.events) this.encoder.encode(ev);
    }
    this.passthrough = false;
    this.switches++;
    this.carriedOutput = transcript.textEvents;
    this.marked = false;
    this.meta = { resumed: true, switches: this.switches, from: this.current.lease.target.label, to: next.lease.target.label, reason: this.failure!.kind };
    this.used!.add(next.lease.target.label);
    this.models.push(next.lease.target.model);
    this.usage = undefined;
    deps.observer?.switched?.(this.meta, this.failure!, { provider: next.lease.target.provider.name, model: next.lease.target.model });
    this.current = next;
    this.pump();
  }

  /** @internal nothing could continue it (the router's Sink): the client gets the error that ended the answer. */
  failed(): void {
    this.giveUp(this.failure!);
  }

  private giveUp(err: GatewayError): void {
    const { deps } = this;
    this.encoder ??= deps.ingress.createStreamEncoder(deps.request);
    this.finish(this.encoder.error(deps.clientError(err)), err);
  }

  /** The answer is over: its last bytes (after any held ones), and (when it did not complete) why. */
  private finish(last: string, error: GatewayError | undefined): void {
    if (this.ended) return;
    this.ended = true;
    const observer = this.deps.observer;
    if (!observer) return this.sink.end(last);
    const target = this.current.lease.target.label;
    const { switches, models, usage } = this;
    const outcome: AnswerOutcome = error ? { ok: false, error, aborted: false, switches, target, models } : { ok: true, aborted: false, switches, target, models };
    if (usage) outcome.usage = usage;
    const bytes = this.held === '' ? last : this.held + last;
    const wait = observer.ending?.(outcome);
    if (!wait) {
      this.sink.end(bytes);
      return observer.end?.(outcome);
    }
    const done = () => {
      this.sink.end(bytes);
      observer.end?.(outcome);
    };
    wait.then(done, done);
  }

  /**
   * A continuation's events as part of the one answer: its `start` is dropped, the switch is
   * marked on its first text and on the finish, and the finish counts the output already sent.
   */
  private continued(events: StreamEvent[]): StreamEvent[] {
    const out: StreamEvent[] = [];
    const meta = this.meta;
    for (const ev of events) {
      if (ev.type === 'start') continue;
      if (ev.type === 'text' && meta && !this.marked) {
        out.push({ ...ev, meta });
        this.marked = true;
      } else if (ev.type === 'finish') {
        const usage = ev.usage ? { ...ev.usage, outputTokens: ev.usage.outputTokens + this.carriedOutput } : undefined;
        out.push({ ...ev, ...(usage ? { usage } : {}), ...(meta ? { meta: { ...meta, carried_output_tokens_estimate: this.carriedOutput } } : {}) });
      } else out.push(ev);
    }
    return out;
  }
}
