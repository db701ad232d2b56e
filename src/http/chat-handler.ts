/**
 * One handler for every client chat format: decode -> route -> upstream ->
 * encode. One deadline covers every attempt; the router decides which target
 * and whether another attempt may go out. When the client's format is the
 * upstream's, bytes are forwarded untouched (DESIGN.md performance discipline).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SignalLike } from '../core/cancel.js';
import { gatewayError, type GatewayError, invalidRequest, isStackOverflow, nestedTooDeeply, requestAborted, toGatewayError } from '../core/errors.js';
import { DEFAULT_SERVER_HARDENING, type ServerHardening } from '../config/server-hardening-schema.js';
import type { ChatRequest } from '../core/request.js';
import type { Sink } from '../core/sink.js';
import type { IngressFormat } from '../formats/types.js';
import type { ChatResult, OriginalRequest, UpstreamStream } from '../providers/types.js';
import { AnswerStream } from '../routing/answer-stream.js';
import type { RunResult } from '../routing/attempt.js';
import type { AttemptTimers } from '../routing/attempt-timers.js';
import { clientDeadlineMs, Deadline } from '../routing/deadline.js';
import type { AttemptRecord } from '../routing/no-target-error.js';
import { openStream, timed, type OpenedStream } from '../routing/open-stream.js';
import { DEFAULT_POLICY, type RoutePolicy } from '../routing/policy.js';
import type { Route, Target } from '../routing/route-table.js';
import { readJsonBody, type JsonBody } from './body.js';
import type { GatewayContext, RequestScope } from './context.js';
import { safeError, sendBytes, sendFailure, sendJson } from './respond.js';
import { StreamPump } from './stream-pump.js';
import { targetHeaders } from './target-headers.js';
import { StreamLog } from './stream-log.js';
import { ChatJournal } from './chat-journal.js';
import type { CapturedResponses } from '../journal/types.js';
import { previousResponseNotFound, takeStatefulFields, type StatefulFields } from '../journal/responses-state.js';
import { NoTargetError } from '../routing/no-target-error.js';
import { randomId } from '../core/ids.js';
import { estimateInputTokens } from '../core/token-estimate.js';
import { Refusal, type ReserveSink } from '../guard/request-admission.js';
import type { Reservation } from '../guard/reservation.js';
import type { Lease } from '../routing/lease.js';
import type { RequestSpan } from '../telemetry/tracer.js';

const NO_OPTIONS = {};

function attemptTimeout(label: string, ms: number): GatewayError {
  return gatewayError('upstream_timeout', `${label} did not answer within ${ms / 1000}s.`, { provider: label });
}

/** A stream that lost a hedge race. */
function discardStream(o: OpenedStream): void {
  o.stream.cancel(requestAborted());
}

/** The caps on one request's size (server.max_messages, max_tools): past them it is a 400 naming the field. */
function checkSize(req: ChatRequest, caps: ServerHardening | undefined): void {
  if (!caps) return;
  if (req.messages.length > caps.maxMessages) {
    throw invalidRequest(`The request has ${req.messages.length} messages, more than this gateway accepts (${caps.maxMessages}, server.max_messages).`, 'messages');
  }
  const tools = req.tools?.length ?? 0;
  if (tools > caps.maxTools) throw invalidRequest(`The request has ${tools} tools, more than this gateway accepts (${caps.maxTools}, server.max_tools).`, 'tools');
}

/** A chat request, as one object: while the upstream thinks, the request is this state. */
export function handleChat(ctx: GatewayContext, ingress: IngressFormat, req: IncomingMessage, res: ServerResponse, scope: RequestScope): void {
  const call = new ChatCall(ctx, ingress, res, scope);
  // Every step ends in the call: nothing returns a promise for another to adopt, and fail() never throws.
  void readJsonBody(req, ctx.config.server.maxBodyBytes, ctx.clock, (ctx.config.server.hardening ?? DEFAULT_SERVER_HARDENING).bodyReadTimeoutMs).then(
    (body) => call.begin(req, body),
    (e: unknown) => call.fail(e),
  );
}

class ChatCall implements Sink<RunResult<ChatResult | OpenedStream>>, ReserveSink {
  /** The attempts so far, for the failure's headers once the router has answered. */
  private attempts: AttemptRecord[] = [];
  private deadline: Deadline | undefined = undefined;
  private chatReq: ChatRequest | undefined = undefined;
  private route: Route | undefined = undefined;
  private policy: RoutePolicy = DEFAULT_POLICY;
  private original: OriginalRequest | undefined = undefined;
  /** The guard's hold on the key's limits, when the key has any: settled with what the attempts used. */
  private reservation: Reservation | undefined = undefined;
  /** The journal's capture of this exchange, when it keeps it. */
  private journal: ChatJournal | undefined = undefined;

  constructor(
    private readonly ctx: GatewayContext,
    private readonly ingress: IngressFormat,
    private readonly res: ServerResponse,
    private readonly scope: RequestScope,
  ) {}

  /** The body is in: decode, route, and send the first attempt on its way. */
  begin(req: IncomingMessage, { value: body, text }: JsonBody): void {
    const { ctx, ingress, res, scope } = this;
    try {
      // The Responses API's stateful fields are the journal's (previous_response_id, store), not the decoder's.
      const stateful = ingress.name === 'openai-responses' ? takeStatefulFields(body) : undefined;
      const chatReq = (this.chatReq = ingress.decodeRequest(stateful ? stateful.body : body));
      checkSize(chatReq, ctx.config.server.hardening);
      const route = (this.route = ctx.routes.resolve(chatReq.model));
      scope.alias = route.alias;
      const policy = (this.policy = route.policy ?? DEFAULT_POLICY);
      const d = (this.deadline = new Deadline(ctx.clock, clientDeadlineMs(req.headers['x-stainless-timeout'], policy.deadlineMs)));
      // The client going away ends the request like a deadline: whatever is in flight is cancelled.
      if (res.destroyed) d.abort(requestAborted());
      else scope.cancel = d;
      this.original = { format: ingress.name, body, text };
      this.journal = this.startJournal(req, chatReq, text.length, stateful);
      if (stateful?.previousResponseId !== undefined) {
        void this.continueStored(stateful.previousResponseId).then(
          () => this.admit(),
          (e: unknown) => this.fail(e),
        );
        return;
      }
      this.admit();
    } catch (e) {
      this.fail(isStackOverflow(e) ? nestedTooDeeply() : e);
    }
  }

  /** The journal's capture, when it keeps this exchange; a stored Responses answer gets its id now. */
  private startJournal(req: IncomingMessage, chatReq: ChatRequest, bytes: number, stateful: StatefulFields | undefined): ChatJournal | undefined {
    const { ctx, scope } = this;
    const key = scope.admission?.key?.record;
    const flag = key?.metadata.journal;
    const days = key?.metadata.journal_retention_days;
    let responses: CapturedResponses | undefined;
    if (stateful?.store) {
      responses = { id: (chatReq.responseId = randomId('resp_')), instructions: stateful.instructions };
      if (stateful.previousResponseId !== undefined) responses.previousResponseId = stateful.previousResponseId;
    }
    return ChatJournal.start(ctx.journal, ctx.clock, {
      req,
      requestId: scope.id,
      alias: this.route!.alias,
      keyId: key?.id,
      keyJournal: flag === 'on' ? true : flag === 'off' ? false : undefined,
      ...(days === undefined ? {} : { retentionDays: Number(days) }),
      ingress: this.ingress.name,
      request: chatReq,
      requestBytes: bytes,
      ...(responses ? { responses } : {}),
    });
  }

  /** previous_response_id: the stored conversation goes before the new input (after its own instructions), for the upstream only. */
  private async continueStored(id: string): Promise<void> {
    const journal = this.ctx.journal;
    if (!journal) throw invalidRequest("'previous_response_id' needs the conversation journal: enable it (journal.enabled: true) to continue stored responses.", 'previous_response_id', 'unsupported_parameter');
    const prev = await journal.previousMessages(id, this.scope.admission?.keyId);
    if (!prev) throw previousResponseNotFound(id);
    const req = this.chatReq!;
    let i = 0;
    while (req.messages[i]?.role === 'system') i++;
    this.chatReq = { ...req, messages: [...req.messages.slice(0, i), ...prev, ...req.messages.slice(i)] };
  }

  /** The guard: a key with limits reserves its tokens and cost before anything goes upstream. */
  private admit(): void {
    const admission = this.scope.admission;
    if (admission?.keyId === undefined) return this.send();
    const { chatReq, route } = this;
    const input = { alias: route!.alias, targetModels: route!.targets.map((t) => t.model), estimatedInputTokens: estimateInputTokens(chatReq!) };
    admission.reserve(chatReq!.maxTokens === undefined ? input : { ...input, maxOutputTokens: chatReq!.maxTokens }, this);
  }

  /** @internal the guard's answer to admit()'s reservation (its ReserveSink). */
  reserved(outcome: Reservation | Refusal): void {
    if (outcome instanceof Refusal) this.fail(outcome.error, outcome.headers);
    else this.send(outcome);
  }

  /** Send the first attempt on its way. */
  private send(reservation?: Reservation): void {
    const { ctx, route, deadline: d } = this;
    this.reservation = reservation;
    try {
      const traced = this.runOptions();
      if (this.chatReq!.stream) ctx.router.route<OpenedStream>(route!, this.streamAttempt, { signal: d!.signal, deadlineAt: d!.at, stream: true, discard: discardStream, ...traced }, this);
      else ctx.router.route<ChatResult>(route!, this.jsonAttempt, { signal: d!.signal, deadlineAt: d!.at, stream: false, ...traced }, this);
    } catch (e) {
      this.fail(e);
    }
  }

  /** What the router needs beyond the deadline: the request's trace and priority class, when there are any (nothing is built otherwise). */
  private runOptions(): { trace?: RequestSpan; priority?: string } {
    const { trace, admission } = this.scope;
    if (!trace && !admission) return NO_OPTIONS;
    return { ...(trace ? { trace } : {}), ...(admission ? { priority: admission.priority } : {}) };
  }

  /** One JSON attempt: the whole answer within its answer timer. */
  private readonly jsonAttempt = (t: Target, signal: SignalLike, to: Sink<ChatResult>, timers: AttemptTimers, lease: Lease): void => {
    const ms = timers.answerMs;
    const traceparent = lease.span?.traceparent;
    timed(this.ctx.clock, ms, signal, () => attemptTimeout(t.label, ms), (s, sink) => t.provider.chat(this.chatReq!, t.model, traceparent ? { signal: s, original: this.original!, traceparent } : { signal: s, original: this.original! }, sink), to);
  };

  /** One streamed attempt: opened once its first token is in. */
  private readonly streamAttempt = (t: Target, signal: SignalLike, to: Sink<OpenedStream>, timers: AttemptTimers, lease: Lease): void => {
    const traceparent = lease.span?.traceparent;
    const open = traceparent ? (target: Target, s: SignalLike, sink: Sink<UpstreamStream>) => target.provider.stream(this.chatReq!, target.model, { signal: s, original: this.original!, traceparent }, sink) : this.openUpstream;
    openStream(this.ctx.clock, t, timers, signal, open, to);
  };

  private readonly openUpstream = (t: Target, signal: SignalLike, to: Sink<UpstreamStream>): void => {
    t.provider.stream(this.chatReq!, t.model, { signal, original: this.original! }, to);
  };

  /** @internal the router found an answer (its Sink): a whole one, or a stream with its first token. */
  done(out: RunResult<ChatResult | OpenedStream>): void {
    // No more attempts: the client's body as sent is not needed any longer (a stream may run for minutes).
    this.original = undefined;
    try {
      this.attempts = out.attempts;
      this.scope.answeredBy = out.lease.target;
      if (this.chatReq!.stream) this.stream(out as RunResult<OpenedStream>);
      else this.answer(out as RunResult<ChatResult>);
    } catch (e) {
      this.fail(e);
    }
  }

  /** A whole answer: as it came when the client speaks the upstream's format, else translated. */
  private answer(out: RunResult<ChatResult>): void {
    const { ctx, ingress, scope } = this;
    const ttftMs = ctx.clock.now() - out.lease.startedAt;
    // Per-attempt token metrics read the usage (a forwarded answer is decoded for it, once).
    out.lease.settle(ctx.metrics ? { ok: true, ttftMs, usage: out.value.response.usage } : { ok: true, ttftMs });
    const headers = targetHeaders(scope, out.lease.target, out.attempts);
    const reservation = this.reservation;
    if (reservation) {
      reservation.headers(headers);
      // Only a key with limits pays for decoding a forwarded answer's usage.
      if (reservation.id !== '') reservation.settle([{ model: out.lease.target.model, usage: out.value.response.usage }]);
    }
    const passthrough = out.value.format === ingress.name;
    const journal = this.journal;
    if (!journal) return this.reply(out.value, passthrough, headers);
    journal.attempts(out.attempts);
    journal.answer(out.value, passthrough);
    // The exchange is durable before the client has its answer: an answer it saw is never lost.
    const reply = () => this.reply(out.value, passthrough, headers);
    journal.end('complete').then(reply, reply);
  }

  private reply(result: ChatResult, passthrough: boolean, headers: Record<string, string>): void {
    try {
      this.scope.firstToken();
      if (passthrough) sendBytes(this.res, 200, result.raw, headers);
      else sendJson(this.res, 200, this.ingress.encodeResponse(result.response, this.chatReq!), headers);
    } catch (e) {
      return this.fail(e);
    }
    this.finish();
  }

  /** A stream with its first token: headers go out with the first bytes of the answer (one write, not two). */
  private stream(out: RunResult<OpenedStream>): void {
    const { ctx, ingress, res, scope } = this;
    const headers = targetHeaders(scope, out.lease.target, out.attempts);
    this.reservation?.headers(headers);
    this.journal?.attempts(out.attempts);
    headers['content-type'] = 'text/event-stream; charset=utf-8';
    headers['cache-control'] = 'no-cache';
    // No Connection header of our own: node keeps HTTP/1.1 connections alive by itself, and closes
    // after the answer for HTTP/1.0 clients and those that asked to (the only way they see its end).
    res.writeHead(200, headers);
    scope.firstToken();
    const pump = new StreamPump(res, ctx.clock, (ctx.config.server.hardening ?? DEFAULT_SERVER_HARDENING).writeTimeoutMs, this.deadline!, scope);
    const answer = new AnswerStream(
      {
        router: ctx.router,
        clock: ctx.clock,
        route: this.route!,
        request: this.chatReq!,
        ingress,
        deadline: this.deadline!,
        clientError: (e) => safeError(e, ctx.redactor),
        observer: new StreamLog(ctx, scope, this.deadline!, this.reservation, this.journal),
        wantUsage: ctx.metrics !== undefined || (this.reservation !== undefined && this.reservation.id !== ''),
        runOptions: this.runOptions(),
      },
      out,
      pump,
    );
    pump.run(answer);
  }

  /** @internal nothing could serve (the router's Sink). */
  failed(e: unknown): void {
    this.fail(e);
  }

  /**
   * Any failure: the client's own error shape (or the stream's error event), then done. It never
   * throws: it ends every chain of the call, and nothing after it would catch.
   */
  fail(e: unknown, headers?: Record<string, string>): void {
    // Nothing reached the client: nothing was used (a refused or failed request is not charged for tokens).
    this.reservation?.settle([]);
    const journal = this.journal;
    if (journal) {
      this.journal = undefined;
      journal.attempts(e instanceof NoTargetError ? e.attempts : this.attempts);
      void journal.end('failed', toGatewayError(e));
    }
    try {
      sendFailure(this.ctx, this.ingress, this.res, this.scope, e, this.attempts, headers);
    } catch (e2) {
      this.ctx.logger.error({ err: e2, requestId: this.scope.id }, 'unhandled error in handler');
      this.res.destroy();
    } finally {
      this.finish();
    }
  }

  /** @internal the request is over: its deadline's timer goes. */
  finish(): void {
    this.deadline?.dispose();
  }
}
