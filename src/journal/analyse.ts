/**
 * First step of the writer (off the request path): what a captured exchange
 * says, before it is threaded. The answer the client received is decoded from
 * whatever each attempt kept and joined across a mid-stream resume; the
 * threading hashes are computed on the text as it was, before any redaction.
 */
import type { Message } from '../core/request.js';
import type { Usage } from '../core/response.js';
import { decodeCapturedBody, decodeCapturedStream, foldEvents, fromResponse, type DecodedAnswer } from './decode-captured.js';
import { answerMessage, chainHashes, extendHash, prefixCandidates, seedHash, type PrefixCandidate } from './threading.js';
import type { CapturedAttempt, CapturedExchange, JournalAnswer, JournalAttempt, ResumePoint } from './types.js';

export interface Analysed {
  rec: CapturedExchange;
  /** The conversation messages of the request (the Responses API's `instructions` taken out). */
  messages: Message[];
  instructions?: string;
  answer: JournalAnswer;
  attempts: JournalAttempt[];
  resumed: ResumePoint[];
  /** Hash chain over `messages` from the key's seed; for previous_response_id the writer re-chains from the parent. */
  chain: string[];
  seed: string;
  candidates: PrefixCandidate[];
}

function decodeAttempt(a: CapturedAttempt): DecodedAnswer | undefined {
  const ans = a.answer;
  if (!ans) return undefined;
  try {
    switch (ans.kind) {
      case 'response':
        return fromResponse(ans.response);
      case 'events':
        return foldEvents(ans.events);
      case 'body':
        return decodeCapturedBody(ans.format, ans.bytes);
      case 'stream':
        return decodeCapturedStream(ans.format, ans.bytes);
    }
  } catch {
    // Bytes that do not decode (a bug upstream or here): the attempt is recorded without its answer.
    return undefined;
  }
}

function addUsage(total: Usage | undefined, u: Usage | undefined): Usage | undefined {
  if (!u) return total;
  if (!total) return { ...u };
  const out: Usage = { inputTokens: total.inputTokens + u.inputTokens, outputTokens: total.outputTokens + u.outputTokens };
  if (total.cachedInputTokens !== undefined || u.cachedInputTokens !== undefined) out.cachedInputTokens = (total.cachedInputTokens ?? 0) + (u.cachedInputTokens ?? 0);
  return out;
}

export function analyse(rec: CapturedExchange): Analysed {
  let text = '';
  const toolCalls: JournalAnswer['toolCalls'] = [];
  let usage: Usage | undefined;
  let model: string | undefined;
  let finishReason: JournalAnswer['finishReason'];
  const attempts: JournalAttempt[] = [];
  const resumed: ResumePoint[] = [];
  let lastWithAnswer: CapturedAttempt | undefined;

  rec.attempts.forEach((a, i) => {
    const d = decodeAttempt(a);
    const out: JournalAttempt = { provider: a.provider, model: a.model, startedAt: a.startedAt, outcome: a.outcome };
    if (a.endedAt !== undefined) out.endedAt = a.endedAt;
    if (a.errorCode !== undefined) out.errorCode = a.errorCode;
    if (d) {
      if (a.continues && lastWithAnswer) resumed.push({ at: text.length, from: `${lastWithAnswer.provider}/${lastWithAnswer.model}`, to: `${a.provider}/${a.model}` });
      text += d.text;
      toolCalls.push(...d.toolCalls);
      usage = addUsage(usage, d.usage);
      if (d.usage) out.usage = d.usage;
      // An attempt that sent no model of its own (a continuation's events may start mid-answer) is its target's.
      model = d.model ?? a.model;
      if (a.outcome === 'cut') out.partialText = d.text;
      finishReason = i === rec.attempts.length - 1 && a.outcome === 'ok' ? d.finishReason : undefined;
      lastWithAnswer = a;
    }
    attempts.push(out);
  });

  const answer: JournalAnswer = { text, toolCalls };
  if (finishReason) answer.finishReason = finishReason;
  if (usage) answer.usage = usage;
  if (model) answer.model = model;

  let messages = rec.request.messages;
  let instructions: string | undefined;
  const first = messages[0];
  if (rec.responses?.instructions && first?.role === 'system') {
    instructions = first.content.map((p) => p.text).join('');
    messages = messages.slice(1);
  }
  const seed = seedHash(rec.keyId, rec.request.user);
  const chain = chainHashes(seed, messages);
  const out: Analysed = { rec, messages, answer, attempts, resumed, chain, seed, candidates: prefixCandidates(messages, chain) };
  if (instructions !== undefined) out.instructions = instructions;
  return out;
}

/** The prompt hash (messages) and thread hash (messages plus a non-empty answer), chained from `from`. */
export function hashesFrom(from: string, messages: readonly Message[], answer: JournalAnswer): { prompt: string; thread?: string } {
  let h = from;
  for (const m of messages) h = extendHash(h, m);
  if (answer.text === '' && answer.toolCalls.length === 0) return { prompt: h };
  return { prompt: h, thread: extendHash(h, answerMessage(answer)) };
}
