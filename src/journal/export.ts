/**
 * A conversation out of the journal (issue #26, export and resume): as JSON
 * (everything kept), as JSONL request bodies for the OpenAI Chat Completions
 * API or the Anthropic Messages API, or as Markdown to read.
 *
 * JSONL: one line per end of a thread (a regenerated answer is a second end),
 * each line a complete request body the official SDK sends as it is: the
 * thread's messages, and its last answer as the final assistant message when
 * that answer is text (a final tool call is left out: both APIs refuse a
 * request ending in a call without its result). The bodies come from the same
 * encoders the gateway uses for upstreams.
 */
import type { ChatRequest, Message } from '../core/request.js';
import { anthropicMessages } from '../formats/anthropic-messages/index.js';
import { openaiChat } from '../formats/openai-chat/index.js';
import type { EgressFormat } from '../formats/types.js';
import { conversationMarkdown } from './export-markdown.js';
import { latestLeaf, leaves, lineage } from './lineage.js';
import type { Conversation, ConversationSummary, JournalExchange } from './types.js';

export const EXPORT_FORMATS = ['json', 'openai', 'anthropic', 'markdown'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface Exported {
  contentType: string;
  body: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function summaryJson(s: ConversationSummary): Record<string, unknown> {
  return {
    id: s.id,
    object: 'conversation',
    alias: s.alias,
    title: s.title,
    key_id: s.keyId ?? null,
    external_id: s.externalId ?? null,
    created_at: iso(s.createdAt),
    updated_at: iso(s.updatedAt),
    expires_at: iso(s.expiresAt),
    exchange_count: s.exchanges,
  };
}

/** The canonical request a thread end stands for: its messages, and its answer when that is text. */
export function threadRequest(conv: Conversation, end: JournalExchange): ChatRequest {
  const { items } = lineage(conv.exchanges, end.id, false);
  const messages: Message[] = items.map((i) => i.message);
  if (end.request.instructions) messages.unshift({ role: 'system', content: [{ type: 'text', text: end.request.instructions }] });
  const a = end.answer;
  if (a.toolCalls.length === 0 && a.text.trim() !== '') messages.push({ role: 'assistant', content: [{ type: 'text', text: a.text }] });
  const req: ChatRequest = { ...end.request.params, model: end.alias, messages, stream: false, includeUsage: false };
  if (end.request.tools) req.tools = end.request.tools;
  return req;
}

function encodeLine(format: EgressFormat, req: ChatRequest): Record<string, unknown> {
  const body = format.encodeRequest(req, req.model);
  delete body.stream;
  return body;
}

/** One OpenAI Chat Completions request body per thread end. */
export function openaiLines(conv: Conversation): Record<string, unknown>[] {
  return leaves(conv.exchanges).map((end) => encodeLine(openaiChat, threadRequest(conv, end)));
}

/** One Anthropic Messages request body per thread end. */
export function anthropicLines(conv: Conversation): Record<string, unknown>[] {
  return leaves(conv.exchanges).map((end) => {
    const req = threadRequest(conv, end);
    // Anthropic has no response_format, and refuses a final assistant turn (a prefill) ending in whitespace.
    delete req.responseFormat;
    const last = req.messages[req.messages.length - 1];
    if (last?.role === 'assistant') req.messages[req.messages.length - 1] = { role: 'assistant', content: [{ type: 'text', text: last.content.map((p) => p.text).join('').trimEnd() }] };
    return encodeLine(anthropicMessages, req);
  });
}

/** Everything the journal keeps about the conversation, and its latest thread as OpenAI chat messages. */
export function conversationJson(conv: Conversation): Record<string, unknown> {
  const end = latestLeaf(conv.exchanges);
  const messages = end ? (encodeLine(openaiChat, threadRequest(conv, end)).messages as unknown[]) : [];
  const exchanges = conv.exchanges.map((x) => {
    const { hashes: _hashes, ...rest } = x;
    return rest;
  });
  return { ...summaryJson(conv.summary), messages, exchanges };
}

export function exportConversation(conv: Conversation, format: ExportFormat): Exported {
  switch (format) {
    case 'json':
      return { contentType: 'application/json', body: JSON.stringify(conversationJson(conv), null, 2) };
    case 'openai':
      return { contentType: 'application/x-ndjson', body: jsonl(openaiLines(conv)) };
    case 'anthropic':
      return { contentType: 'application/x-ndjson', body: jsonl(anthropicLines(conv)) };
    case 'markdown':
      return { contentType: 'text/markdown; charset=utf-8', body: conversationMarkdown(conv) };
  }
}

function jsonl(lines: Record<string, unknown>[]): string {
  return lines.map((l) => `${JSON.stringify(l)}\n`).join('');
}
