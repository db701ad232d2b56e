/**
 * Which conversation an exchange belongs to (issue #26, threading). Ordinary
 * chat clients resend the whole history each turn, so an exchange whose
 * messages begin with an earlier exchange's messages plus its answer continues
 * it. Messages are compared through a chained hash over a canonical form,
 * h_i = H(h_{i-1} ‖ canonical(m_i)), seeded with the key and the request's
 * `user`: a prefix is one hash, found with one index lookup, and two tenants
 * who open with the same words never share a thread.
 *
 * The canonical form forgives what clients change when they echo an answer
 * back: text split into parts, CRLF, surrounding whitespace, tool arguments
 * re-serialised. Hashes are computed on the text before redaction (so a
 * redacted address still threads) and only the hashes are kept.
 */
import { createHash } from 'node:crypto';
import { randomId } from '../core/ids.js';
import type { AssistantMessage, ContentPart, Message, ToolCall } from '../core/request.js';

/** How many candidate prefixes (each ending in an assistant turn) an exchange checks, longest first. */
export const MAX_PREFIX_CHECKS = 8;

const VERSION = 'switchyard-journal-thread-1';

function digest(h: ReturnType<typeof createHash>): string {
  return h.digest('base64url').slice(0, 22);
}

export function seedHash(keyId: string | undefined, user: string | undefined): string {
  return digest(createHash('sha256').update(`${VERSION}\n${keyId ?? ''}\n${user ?? ''}`));
}

function normText(s: string): string {
  return s.replace(/\r\n?/g, '\n').trim();
}

function partsText(parts: readonly ContentPart[]): string {
  let t = '';
  for (const p of parts) if (p.type === 'text') t += p.text;
  return normText(t);
}

function images(parts: readonly ContentPart[]): string[] {
  const out: string[] = [];
  for (const p of parts) if (p.type === 'image') out.push(p.source.kind === 'url' ? p.source.url : `${p.source.mediaType};${p.source.data}`);
  return out;
}

/** Arguments as the model wrote them and as a client re-serialised them hash alike. */
function normArgs(args: string): string {
  try {
    return JSON.stringify(JSON.parse(args));
  } catch {
    return args.trim();
  }
}

function calls(toolCalls: readonly ToolCall[] | undefined): string[][] {
  return (toolCalls ?? []).map((c) => [c.id, c.name, normArgs(c.arguments)]);
}

export function canonical(m: Message): string {
  switch (m.role) {
    case 'system':
      return JSON.stringify(['s', partsText(m.content)]);
    case 'user':
      return JSON.stringify(['u', partsText(m.content), images(m.content)]);
    case 'assistant':
      return JSON.stringify(['a', partsText(m.content), calls(m.toolCalls)]);
    case 'tool':
      return JSON.stringify(['t', m.toolCallId, partsText(m.content), images(m.content), m.isError === true]);
  }
}

export function extendHash(prev: string, m: Message): string {
  return digest(createHash('sha256').update(prev).update('\n').update(canonical(m)));
}

/** h_1..h_n: element i is the hash of the first i+1 messages. */
export function chainHashes(seed: string, messages: readonly Message[]): string[] {
  const out: string[] = [];
  let h = seed;
  for (const m of messages) out.push((h = extendHash(h, m)));
  return out;
}

/** The answer as the assistant message a client sends back next turn. */
export function answerMessage(answer: { text: string; toolCalls: ToolCall[] }): AssistantMessage {
  const m: AssistantMessage = { role: 'assistant', content: answer.text === '' ? [] : [{ type: 'text', text: answer.text }] };
  if (answer.toolCalls.length > 0) m.toolCalls = answer.toolCalls;
  return m;
}

export interface PrefixCandidate {
  /** How many leading messages the prefix covers. */
  length: number;
  hash: string;
}

/** Prefixes that could be an earlier exchange's messages plus its answer: those ending in an assistant turn, longest first. */
export function prefixCandidates(messages: readonly Message[], hashes: readonly string[], max = MAX_PREFIX_CHECKS): PrefixCandidate[] {
  const out: PrefixCandidate[] = [];
  for (let i = messages.length - 1; i >= 0 && out.length < max; i--) {
    if (messages[i]!.role === 'assistant') out.push({ length: i + 1, hash: hashes[i]! });
  }
  return out;
}

/**
 * A client-chosen conversation id is scoped to its key: the stored id is derived from both, so
 * two keys that pick the same name never meet, and the same key finds its conversation again.
 */
export function conversationIdFor(keyId: string | undefined, header: string): string {
  return `conv_${createHash('sha256').update(`${VERSION}\n${keyId ?? ''}\n${header}`).digest('hex').slice(0, 24)}`;
}

export function newConversationId(): string {
  return randomId('conv_', 24);
}
