/**
 * The Responses API's stateful mode on any provider (issue #26): `store` and
 * `previous_response_id` work through the journal, so a conversation begun on
 * one target continues on another. What a stored response continues is the
 * conversation as the journal keeps it: redacted text stays redacted (the
 * journal never keeps the original), and `instructions` are not carried over,
 * as in OpenAI's API ("the instructions from a previous response will not be
 * carried over to the next response").
 */
import { GatewayError, invalidRequest } from '../core/errors.js';
import type { ChatRequest, Message } from '../core/request.js';
import { incompleteReason, outputText, responseObject, type OutputItem } from '../formats/openai-responses/response-object.js';
import type { JournalReader } from '../storage/journal-store.js';
import { lineage } from './lineage.js';
import type { JournalExchange } from './types.js';

export interface StatefulFields {
  /** The body without `previous_response_id`, for the stateless decoder. */
  body: unknown;
  previousResponseId?: string;
  /** `store` as sent; the API's default is true. */
  store: boolean;
  /** The body has non-empty `instructions`: the decoded request's first message is them. */
  instructions: boolean;
}

/**
 * Take the stateful fields out of a `POST /v1/responses` body before the (stateless) decoder
 * sees it. Throws a 400 naming the field when one has the wrong type.
 */
export function takeStatefulFields(body: unknown): StatefulFields {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { body, store: true, instructions: false };
  const { previous_response_id: prev, ...rest } = body as Record<string, unknown>;
  const store = rest.store;
  if (store !== undefined && store !== null && typeof store !== 'boolean') throw invalidRequest("Invalid type for 'store': expected a boolean.", 'store');
  const out: StatefulFields = { body: rest, store: store !== false, instructions: typeof rest.instructions === 'string' && rest.instructions !== '' };
  if (prev !== undefined && prev !== null) {
    if (typeof prev !== 'string' || prev.trim() === '') throw invalidRequest("Invalid 'previous_response_id': expected a response id like 'resp_...'.", 'previous_response_id');
    out.previousResponseId = prev;
  }
  return out;
}

/** OpenAI's answer for an unknown previous response. */
export function previousResponseNotFound(id: string): GatewayError {
  return invalidRequest(`Previous response with id '${id}' not found.`, 'previous_response_id', 'previous_response_not_found');
}

/** A stored response this viewer may see (its own key's; an admin sees all). */
async function visible(reader: JournalReader, responseId: string, keyId: string | undefined, admin = false): Promise<JournalExchange | undefined> {
  const x = await reader.getResponse(responseId);
  return x && (admin || x.keyId === keyId) ? x : undefined;
}

/**
 * The messages to put before a request that continues `responseId`: that response's input
 * (the whole conversation it carried) and its output. Undefined when there is no such response
 * for this key: answer previousResponseNotFound().
 */
export async function previousMessages(reader: JournalReader, responseId: string, keyId: string | undefined): Promise<Message[] | undefined> {
  const x = await visible(reader, responseId, keyId);
  if (!x) return undefined;
  const conv = await reader.getConversation(x.conversationId);
  if (!conv) return undefined;
  return lineage(conv.exchanges, x.id, true).items.map((i) => i.message);
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/** The stored response in OpenAI's `response` shape (GET /v1/responses/{id}), or undefined. */
export async function storedResponse(reader: JournalReader, responseId: string, keyId: string | undefined, admin = false): Promise<Record<string, unknown> | undefined> {
  const x = await visible(reader, responseId, keyId, admin);
  return x ? responseObjectOf(x) : undefined;
}

export function responseObjectOf(x: JournalExchange): Record<string, unknown> {
  const id = x.responseId ?? x.id;
  const suffix = id.replace(/^resp_/, '');
  const a = x.answer;
  const output: OutputItem[] = [];
  if (a.text !== '') output.push({ id: `msg_${suffix}`, type: 'message', status: 'completed', role: 'assistant', content: [outputText(a.text)] });
  a.toolCalls.forEach((c, i) => output.push({ id: `fc_${suffix}_${i}`, type: 'function_call', status: 'completed', arguments: c.arguments, call_id: c.id, name: c.name }));
  const reason = a.finishReason ? incompleteReason(a.finishReason) : undefined;
  const last = output[output.length - 1];
  if ((reason || x.status !== 'complete') && last) last.status = 'incomplete';
  const req: ChatRequest = { model: x.alias, messages: [], stream: x.stream, includeUsage: true, ...x.request.params };
  if (x.request.tools) req.tools = x.request.tools;
  const model = a.model ?? [...x.attempts].reverse().find((t) => t.outcome === 'ok')?.model ?? x.alias;
  const status = x.status === 'complete' ? (reason ? 'incomplete' : 'completed') : 'failed';
  const obj = responseObject({
    id,
    createdAt: seconds(x.createdAt),
    model,
    status,
    output,
    usage: a.usage ?? null,
    req,
    ...(reason && status === 'incomplete' ? { incompleteReason: reason } : {}),
    ...(status === 'failed' ? { error: { code: 'server_error', message: failureMessage(x) } } : {}),
  });
  obj.completed_at = status === 'completed' ? seconds(x.finishedAt) : null;
  obj.previous_response_id = x.previousResponseId ?? null;
  obj.instructions = x.request.instructions ?? null;
  obj.store = true;
  return obj;
}

function failureMessage(x: JournalExchange): string {
  const codes = x.attempts.map((a) => a.errorCode).filter((c) => c !== undefined);
  const why = codes.length > 0 ? ` (${codes.join(', ')})` : '';
  return x.status === 'cut' ? `The answer was cut off before it ended${why}.` : `No target could answer${why}.`;
}

export function responseDeleted(id: string): { id: string; object: 'response.deleted'; deleted: true } {
  return { id, object: 'response.deleted', deleted: true };
}
