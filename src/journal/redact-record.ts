/**
 * Redacted copies of what an exchange stores: message text, tool arguments and
 * results, the answer. Images are not kept as data: an inline image becomes a
 * short text note (megabytes of base64 per turn would dwarf the conversation,
 * and a photo is personal data no detector can read), and an image URL loses
 * its query string (signed URLs carry their credentials there).
 */
import type { ContentPart, Message, ToolCall } from '../core/request.js';
import type { ContentRedactor, RedactionCounts } from './redact.js';
import type { JournalAnswer, JournalAttempt } from './types.js';

function redactPart(p: ContentPart, r: ContentRedactor, counts: RedactionCounts): ContentPart {
  if (p.type === 'text') return { type: 'text', text: r.text(p.text, counts) };
  if (p.source.kind === 'base64') {
    const kb = Math.round((p.source.data.length * 3) / 4 / 1024);
    return { type: 'text', text: `[image omitted: ${p.source.mediaType}, ${kb} KB]` };
  }
  const url = p.source.url;
  if (url.startsWith('data:')) return { type: 'text', text: `[image omitted: ${/^data:([^;,]*)/.exec(url)?.[1] || 'inline'}, ${Math.round((url.length * 3) / 4 / 1024)} KB]` };
  const out: ContentPart = { type: 'image', source: { kind: 'url', url: withoutQuery(url) } };
  if (p.detail) out.detail = p.detail;
  return out;
}

function withoutQuery(url: string): string {
  const cut = url.search(/[?#]/);
  return cut === -1 ? url : url.slice(0, cut);
}

function redactCalls(calls: readonly ToolCall[], r: ContentRedactor, counts: RedactionCounts): ToolCall[] {
  return calls.map((c) => ({ id: c.id, name: c.name, arguments: redactArguments(c.arguments, r, counts) }));
}

/**
 * Arguments stay valid JSON: values are redacted one by one (a card number written as a JSON
 * number would otherwise become `[REDACTED:card]` unquoted, and the export could not send it).
 */
function redactArguments(args: string, r: ContentRedactor, counts: RedactionCounts): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    return r.text(args, counts);
  }
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return r.text(v, counts);
    if (typeof v === 'number') {
      const s = String(v);
      const red = r.text(s, counts);
      return red === s ? v : red;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  const out = JSON.stringify(walk(parsed));
  return out === JSON.stringify(parsed) ? args : out;
}

export function redactMessages(messages: readonly Message[], r: ContentRedactor, counts: RedactionCounts): Message[] {
  return messages.map((m): Message => {
    switch (m.role) {
      case 'system':
        return { role: 'system', content: m.content.map((p) => ({ type: 'text', text: r.text(p.text, counts) })) };
      case 'user':
        return { role: 'user', content: m.content.map((p) => redactPart(p, r, counts)) };
      case 'assistant': {
        const out: Message = { role: 'assistant', content: m.content.map((p) => ({ type: 'text', text: r.text(p.text, counts) })) };
        if (m.toolCalls) out.toolCalls = redactCalls(m.toolCalls, r, counts);
        return out;
      }
      case 'tool': {
        const out: Message = { role: 'tool', toolCallId: m.toolCallId, content: m.content.map((p) => redactPart(p, r, counts)) };
        if (m.toolName !== undefined) out.toolName = m.toolName;
        if (m.isError !== undefined) out.isError = m.isError;
        return out;
      }
    }
  });
}

export function redactAnswer(a: JournalAnswer, r: ContentRedactor, counts: RedactionCounts): JournalAnswer {
  return { ...a, text: r.text(a.text, counts), toolCalls: redactCalls(a.toolCalls, r, counts) };
}

export function redactAttempts(attempts: readonly JournalAttempt[], r: ContentRedactor, counts: RedactionCounts): JournalAttempt[] {
  return attempts.map((a) => (a.partialText === undefined ? a : { ...a, partialText: r.text(a.partialText, counts) }));
}

/** The words a search should find for this turn: its new messages and its answer (already redacted). */
export function searchTextOf(messages: readonly Message[], answer: JournalAnswer, max = 256 * 1024): string {
  const parts: string[] = [];
  for (const m of messages) for (const p of m.content) if (p.type === 'text') parts.push(p.text);
  parts.push(answer.text);
  const text = parts.join('\n');
  return text.length > max ? text.slice(0, max) : text;
}

/** The conversation's title: its first user words, redacted, on one line. */
export function titleOf(messages: readonly Message[], r: ContentRedactor): string {
  const first = messages.find((m) => m.role === 'user');
  const text = first ? first.content.map((p) => (p.type === 'text' ? p.text : '')).join(' ') : '';
  // Redacted whole, then shortened: cutting first could leave half an address no detector knows.
  const line = r.text(text).slice(0, 400).replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line || '(no text)';
}
