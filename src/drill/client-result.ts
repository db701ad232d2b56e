/**
 * One client request's result as its client saw it, in scenario time; and the judgement both
 * passes share: a request succeeded when its answer ended properly and its text is exactly
 * the answer the simulated model gives (no text lost or repeated at a switch, 2024 issue #22).
 */
import { planAnswer } from '../sim/script.js';
import type { AnswerRead } from './answer-reader.js';

export interface ClientResult {
  id: number;
  ok: boolean;
  /** HTTP status of the answer; 0 when there was none (connection failed, the client gave up). */
  status: number;
  /** Why it failed, for the report (`http 503`, `gave up`, `cut without an end`...). */
  failure?: string;
  /** Streams: time to the first text. */
  ttftMs?: number;
  totalMs: number;
  /** The provider the answer started with (the gateway's x-switchyard-provider). */
  provider?: string;
  /** Mid-stream switches the gateway marked. */
  switches: number;
}

/** The text the simulated model answers to a drill prompt, whichever target answers. */
export function expectedText(prompt: string): string {
  const a = planAnswer({ model: '', lastUserText: prompt, tools: [], inputTokens: 0 });
  return a.kind === 'text' ? a.text : '';
}

/** Judge a read answer: proper end, no error, exactly the expected text. */
export function judge(read: AnswerRead, prompt: string): string | undefined {
  if (read.error !== undefined) return `error event: ${read.error}`;
  if (!read.ended) return 'ended without its proper end';
  if (read.text !== expectedText(prompt)) return read.text.length < expectedText(prompt).length ? 'text missing' : 'text differs';
  return undefined;
}

/** A fetch or SDK failure in a few words. */
export function failureOf(e: unknown, gaveUp: boolean): string {
  if (gaveUp) return 'gave up';
  const err = e as { name?: string; message?: string; cause?: { code?: string } };
  const code = err.cause?.code;
  if (code) return `connection: ${code}`;
  return `${err.name ?? 'error'}: ${String(err.message ?? e).slice(0, 80)}`;
}
