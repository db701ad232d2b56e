/**
 * Streams an opened upstream to the client. Every ending is the format's
 * proper end or a proper error event (DESIGN.md principle 6). When the
 * upstream is cut, stalls or sends a malformed frame after part of the answer
 * went out, the answer continues on another target and the client sees one
 * answer, with the switch marked on the next frame and on the final one.
 */
import type { ServerResponse } from 'node:http';
import { toGatewayError } from '../core/errors.js';
import type { ChatRequest } from '../core/request.js';
import type { StreamEvent, StreamMeta } from '../core/stream-event.js';
import type { IngressFormat, StreamEncoder } from '../formats/types.js';
import { continuationRequest, StreamTranscript } from '../routing/continuation.js';
import { openStream, type OpenedStream } from '../routing/open-stream.js';
import { openChatStream } from '../providers/open-chat-stream.js';
import { DEFAULT_POLICY } from '../routing/policy.js';
import type { Route } from '../routing/route-table.js';
import type { Deadline } from '../routing/deadline.js';
import type { RunResult } from '../routing/router.js';
import type { GatewayContext } from './context.js';
import { clientGoneError } from './request-scope.js';
import { safeError, write } from './respond.js';

export interface PumpContext {
  ctx: GatewayContext;
  ingress: IngressFormat;
  chatReq: ChatRequest;
  route: Route;
  res: ServerResponse;
  deadline: Deadline;
  requestId: string;
}

const RESUMABLE = new Set(['cut', 'stalled', 'transient', 'overloaded', 'timeout']);

export async function pumpStream(p: PumpContext, first: RunResult<OpenedStream>): Promise<void> {
  const { ctx, ingress, chatReq, res } = p;
  const policy = p.route.policy ?? DEFAULT_POLICY;
  const transcript = new StreamTranscript();
  const used = new Set<string>([first.lease.target.label]);
  let current = first;
  let passthrough = current.value.stream.format === ingress.name;
  let encoder: StreamEncoder | undefined = passthrough ? undefined : ingress.createStreamEncoder(chatReq);
  let meta: StreamMeta | undefined;
  let switches = 0;
  let carriedOutput = 0;
  let missingEnd = false;
  /** Pass-through: the bytes written to the client, so a continuation goes on from exactly what it received (issue #22). */
  let written = 0;
  // Pass-through: bytes go out as they came; frames after the first token are only skimmed, not decoded.
  if (passthrough) current.value.stream.skimRest?.();

  for (;;) {
    const opened = current.value;
    try {
      let chunks = opened.head;
      opened.head = [];
      for (;;) {
        for (const chunk of chunks) {
          if (res.destroyed) throw clientGoneError();
          if (passthrough) {
            // Events with no bytes: the decoder closed a stream that lacked its proper end (e.g. no [DONE]).
            if (chunk.raw.length === 0 && chunk.events.length > 0) missingEnd = true;
            written += chunk.raw.length;
            const drained = write(res, chunk.raw);
            if (drained) await drained;
            continue;
          }
          let out = '';
          for (const ev of switches > 0 ? continued(chunk.events, transcript, carriedOutput, meta) : chunk.events) {
            transcript.add([ev]);
            out += encoder!.encode(ev);
          }
          const drained = write(res, out);
          if (drained) await drained;
        }
        const r = opened.poll() ?? (await opened.next());
        if (r.done) break;
        chunks = [r.value];
      }
      current.lease.settle({ ok: true, ttftMs: opened.ttftMs });
      res.end(encoder ? encoder.end() : missingEnd ? ingress.createStreamEncoder(chatReq).end() : '');
      opened.stream.dispose?.();
      return;
    } catch (e) {
      const err = toGatewayError(e);
      opened.stream.cancel(err);
      if (res.destroyed || err.code === 'request_aborted') {
        current.lease.settle({ ok: 'neutral' });
        return;
      }
      current.lease.settle({ ok: false, error: err });
      // What the client received was forwarded, not decoded: decode exactly those bytes now, for the continuation.
      if (passthrough) transcript.add(opened.stream.replay?.(written) ?? []);
      const next = policy.resume && RESUMABLE.has(err.kind) && transcript.resumable() ? await resume(p, transcript, used) : undefined;
      if (!next) {
        ctx.logger.warn({ requestId: p.requestId, code: err.code, kind: err.kind, provider: current.lease.target.label, message: ctx.redactor.text(err.message) }, 'stream failed after headers');
        encoder ??= ingress.createStreamEncoder(chatReq);
        res.end(encoder.error(safeError(err, ctx.redactor)));
        return;
      }
      if (!encoder) {
        // Bytes so far were forwarded raw: bring a fresh encoder to the same point (its output was already sent).
        encoder = ingress.createStreamEncoder(chatReq);
        for (const ev of transcript.events) encoder.encode(ev);
      }
      passthrough = false;
      switches++;
      carriedOutput = transcript.textEvents;
      meta = { resumed: true, switches, from: current.lease.target.label, to: next.lease.target.label, reason: err.kind };
      ctx.logger.warn({ requestId: p.requestId, from: meta.from, to: meta.to, reason: err.code }, 'stream resumed on another target');
      current = next;
    }
  }
}

/** Ask the next target to continue the partial answer; undefined when nothing can. */
async function resume(p: PumpContext, transcript: StreamTranscript, used: Set<string>): Promise<RunResult<OpenedStream> | undefined> {
  const policy = p.route.policy ?? DEFAULT_POLICY;
  const timeouts = { ttftMs: policy.ttftTimeoutMs, idleMs: policy.idleTimeoutMs };
  try {
    const next = await p.ctx.router.run<OpenedStream>(
      p.route,
      (t, signal) => {
        const req = continuationRequest(p.chatReq, transcript.text, t.provider.supportsPrefill === true, transcript.textEvents);
        return openStream(p.ctx.clock, t, timeouts, signal, (target, s, to) => openChatStream(target.provider, req, target.model, { signal: s }, to));
      },
      { signal: p.deadline.signal, deadlineAt: p.deadline.at, stream: true, continuation: { exclude: used } },
    );
    used.add(next.lease.target.label);
    return next;
  } catch {
    return undefined;
  }
}

/**
 * A continuation's events as part of the one answer: its `start` is dropped,
 * the switch is marked on its first text and on the finish, and the finish
 * counts the output already sent.
 */
function continued(events: StreamEvent[], transcript: StreamTranscript, carriedOutput: number, meta: StreamMeta | undefined): StreamEvent[] {
  const out: StreamEvent[] = [];
  for (const ev of events) {
    if (ev.type === 'start') continue;
    if (ev.type === 'text' && meta && !transcript.events.some((e) => e.type === 'text' && e.meta)) {
      out.push({ ...ev, meta });
    } else if (ev.type === 'finish') {
      const usage = ev.usage ? { ...ev.usage, outputTokens: ev.usage.outputTokens + carriedOutput } : undefined;
      out.push({ ...ev, ...(usage ? { usage } : {}), ...(meta ? { meta: { ...meta, carried_output_tokens_estimate: carriedOutput } } : {}) });
    } else out.push(ev);
  }
  return out;
}
