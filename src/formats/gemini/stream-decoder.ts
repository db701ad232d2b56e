/**
 * Gemini `streamGenerateContent?alt=sse` frames -> canonical stream events.
 * Each `data:` frame is a whole GenerateContentResponse chunk; there is no
 * [DONE] sentinel: the chunk carrying `finishReason` is the proper end, and
 * the body closes after it. Function calls arrive whole in one part (args are
 * a JSON object, not streamed text), so each becomes one tool-call-start plus
 * one tool-call-delta with the full arguments.
 *
 * `finish` is emitted from end(), not from the finishReason chunk, so that
 * usage carried by a later chunk is still included.
 */
import { GatewayError } from '../../core/errors.js';
import type { ErrorCode } from '../../core/error-codes.js';
import { randomId } from '../../core/ids.js';
import type { FinishReason, Usage } from '../../core/response.js';
import type { StreamEvent } from '../../core/stream-event.js';
import type { SseFrame } from '../../sse/frame.js';
import type { DecodeContext, StreamDecoder } from '../types.js';
import { callKey, candidateOf, finishReasonFrom, partText, toolCallFrom, usageFrom } from './decode-response.js';
import { decodeGoogleError, googleErrorOf } from './errors.js';

type Json = Record<string, unknown>;

function cut(provider: string, code: ErrorCode, message: string, cause?: unknown): GatewayError {
  return new GatewayError({ code, message: `${provider}: ${message}`, status: 502, kind: 'cut', provider, ...(cause === undefined ? {} : { cause }) });
}

class GeminiStreamDecoder implements StreamDecoder {
  private started = false;
  private finishSeen = false;
  private finishReason: unknown;
  private blocked = false;
  private usage: Usage | undefined;
  private toolCalls = 0;
  private key = '';
  private ended = false;

  constructor(
    private readonly provider: string,
    private readonly model: string,
  ) {}

  get done(): boolean {
    return this.finishSeen;
  }

  push(frame: SseFrame): StreamEvent[] {
    if (frame.data.trim() === '') return [];
    let chunk: unknown;
    try {
      chunk = JSON.parse(frame.data);
    } catch (e) {
      throw cut(this.provider, 'upstream_malformed_frame', 'Gemini sent a stream frame that is not valid JSON.', e);
    }
    // Google can report a failure inside the stream as {"error": {...}} (js-genai checks for it too).
    const err = googleErrorOf(chunk);
    if (err) throw decodeGoogleError(err, typeof err.code === 'number' ? err.code : 500, this.provider);
    if (typeof chunk !== 'object' || chunk === null || Array.isArray(chunk)) {
      throw cut(this.provider, 'upstream_malformed_frame', 'Gemini sent a stream frame that is not a JSON object.');
    }
    const body = chunk as Json;
    const events: StreamEvent[] = [];
    const usage = usageFrom(body.usageMetadata);
    if (usage) this.usage = usage;
    if (!this.started) {
      this.started = true;
      this.key = callKey(body.responseId);
      events.push({
        type: 'start',
        id: typeof body.responseId === 'string' ? body.responseId : randomId('gen-'),
        // Gemini may omit modelVersion: then the answer names the model that was asked for.
        model: typeof body.modelVersion === 'string' ? body.modelVersion : this.model,
        created: Math.floor(Date.now() / 1000),
        // Every chunk carries the prompt's count: the exact figure is known from the first.
        ...(usage && usage.inputTokens > 0 ? { inputTokens: usage.inputTokens } : {}),
      });
    }
    const cand = candidateOf(body);
    if (!cand) {
      const fb = body.promptFeedback;
      if (typeof fb === 'object' && fb !== null && (fb as Json).blockReason !== undefined) {
        this.blocked = true;
        this.finishSeen = true;
      }
      return events;
    }
    for (const p of cand.parts) {
      const text = partText(p);
      if (text !== undefined && text !== '') events.push({ type: 'text', text });
      const call = toolCallFrom(p, this.toolCalls, this.key);
      if (call) {
        events.push({ type: 'tool-call-start', index: this.toolCalls, id: call.id, name: call.name });
        events.push({ type: 'tool-call-delta', index: this.toolCalls, args: call.arguments });
        this.toolCalls++;
      }
    }
    if (cand.finishReason !== undefined && cand.finishReason !== 'FINISH_REASON_UNSPECIFIED') {
      this.finishReason = cand.finishReason;
      this.finishSeen = true;
    }
    return events;
  }

  end(): StreamEvent[] {
    if (this.ended) return [];
    this.ended = true;
    if (!this.finishSeen) {
      throw cut(this.provider, 'upstream_stream_cut', 'Gemini closed the stream before the answer was complete (no finishReason).');
    }
    const finishReason: FinishReason = this.blocked ? 'content_filter' : finishReasonFrom(this.finishReason, this.toolCalls > 0);
    return [this.usage ? { type: 'finish', finishReason, usage: this.usage } : { type: 'finish', finishReason }];
  }
}

/** `at.provider` names the configured upstream in errors; `at.model` names the answer when Gemini omits modelVersion. */
export function createStreamDecoder(at?: DecodeContext): StreamDecoder {
  return new GeminiStreamDecoder(at?.provider ?? 'gemini', at?.model ?? '');
}
