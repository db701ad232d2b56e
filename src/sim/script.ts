/**
 * What a simulated model answers, independent of wire format: deterministic
 * text from the prompt, or a call to a tool with arguments derived from its
 * schema, or (after a tool result) a sentence quoting the result, or, when the
 * request asks for structured output, JSON valid for its schema. A request that
 * asks the model to think gets a short reasoning, which each wire reports its
 * own way (Anthropic thinking blocks, OpenAI and Gemini reasoning token counts).
 */
import { CONTINUE_INSTRUCTION } from '../core/request.js';
import { valueForSchema } from './schema-value.js';

export interface SimTool {
  name: string;
  parameters: Record<string, unknown>;
}

/** A wire-neutral view of a request, filled in by each format's sim wire. */
export interface SimPrompt {
  model: string;
  /** Text of the last user turn (all its text parts joined). */
  lastUserText: string;
  /** Set when the last turn is a tool result: the answer then quotes it. */
  toolResult?: { content: string };
  tools: SimTool[];
  /** Tool the client forces (tool_choice), if any; 'none' forbids tools. */
  toolChoice?: 'auto' | 'none' | 'required' | { name: string };
  maxTokens?: number;
  stop?: string[];
  /** Approximate prompt size, for usage. */
  inputTokens: number;
  /** Of those, read from a prompt cache (Anthropic `cache_control` breakpoints): reported apart in usage. */
  cachedInputTokens?: number;
  /** A partial answer to continue (assistant prefill or a continue instruction): the answer is the rest of it. */
  prefill?: string;
  /** Structured output: the answer's text is JSON valid for this schema (JSON Schema or Gemini's subset). */
  outputSchema?: Record<string, unknown>;
  /** The request asked the model to think first (reasoning effort, thinking budget or level). */
  reasoning?: boolean;
}

/** What the model thought before answering, when asked to. */
export interface SimReasoning {
  text: string;
  tokens: number;
}

/** One conversation turn as a wire sees it, for readTurns. */
export interface SimTurn {
  role: 'user' | 'assistant' | 'other';
  text: string;
}

/**
 * The prompt to answer and, for a continuation, the partial answer: a trailing
 * assistant turn (prefill), or an assistant turn followed by CONTINUE_INSTRUCTION.
 */
export function readTurns(turns: SimTurn[]): { lastUserText: string; prefill?: string } {
  let end = turns.length;
  let prefill: string | undefined;
  const last = turns[end - 1];
  if (last?.role === 'assistant') {
    prefill = last.text;
    end -= 1;
  } else if (last?.role === 'user' && last.text === CONTINUE_INSTRUCTION && turns[end - 2]?.role === 'assistant') {
    prefill = turns[end - 2]!.text;
    end -= 2;
  }
  let lastUserText = '';
  for (let i = end - 1; i >= 0; i--) {
    if (turns[i]!.role === 'user' && turns[i]!.text !== '') {
      lastUserText = turns[i]!.text;
      break;
    }
  }
  return prefill === undefined ? { lastUserText } : { lastUserText, prefill };
}

/** `outputTokens` counts the answer only; a wire adds `reasoning.tokens` where its API bills them as output. */
export type SimAnswer =
  | { kind: 'text'; chunks: string[]; text: string; finish: 'stop' | 'length' | 'stop_sequence'; stopSequence?: string; outputTokens: number; reasoning?: SimReasoning }
  | { kind: 'tool'; id: string; name: string; args: string; argChunks: string[]; outputTokens: number; reasoning?: SimReasoning };

const WORDS = (
  'switchyard keeps answering while providers fail over the traffic spreads across several ' +
  'models and every stream ends properly with usage reported at the end of a clear answer ' +
  'that nobody loses because the gateway remembers each conversation and tells the truth'
).split(' ');

/** Default answer length in words (each word is one token and one stream chunk). */
export const DEFAULT_ANSWER_WORDS = 24;

/** Roughly one token per word or punctuation run: deterministic and good enough for usage. */
export function countTokens(text: string): number {
  const m = text.match(/[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu);
  return m ? m.length : 0;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/**
 * A prompt containing "reply with N words" (N up to 5000) sets the answer length,
 * so tests and benchmarks can ask for long streams.
 */
function requestedWords(text: string): number | undefined {
  const m = /reply with (\d{1,4}) words/i.exec(text);
  return m ? Math.min(5000, Number(m[1])) : undefined;
}

function argValue(schema: unknown, key: string): unknown {
  const s = (schema ?? {}) as { type?: unknown; enum?: unknown[] };
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  switch (s.type) {
    case 'number':
    case 'integer':
      return 42;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
      return {};
    default:
      return key === 'location' || key === 'city' ? 'Paris' : `sim-${key}`;
  }
}

/** Arguments for a tool: every required (or, if none, every) property gets a deterministic value. */
export function toolArguments(tool: SimTool): string {
  const props = (tool.parameters.properties ?? {}) as Record<string, unknown>;
  const required = Array.isArray(tool.parameters.required) ? (tool.parameters.required as string[]) : Object.keys(props);
  const args: Record<string, unknown> = {};
  for (const k of required) args[k] = argValue(props[k], k);
  return JSON.stringify(args);
}

function splitEvery(s: string, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += n) out.push(s.slice(i, i + n));
  return out.length > 0 ? out : [''];
}

const REASONING = 'The user asked a question. I will answer it plainly and check the answer once.';

export function planAnswer(p: SimPrompt): SimAnswer {
  const answer = plan(p);
  if (p.reasoning) answer.reasoning = { text: REASONING, tokens: countTokens(REASONING) };
  return answer;
}

function plan(p: SimPrompt): SimAnswer {
  const choice = p.toolChoice ?? 'auto';
  const forced = typeof choice === 'object' ? p.tools.find((t) => t.name === choice.name) : undefined;
  // With tools offered and no tool result yet, the sim always calls one: deterministic for tests.
  const wantsTool = p.tools.length > 0 && choice !== 'none' && !p.toolResult;
  if (wantsTool) {
    const tool = forced ?? p.tools[0]!;
    const args = toolArguments(tool);
    const id = `call_${(hash(p.model + p.lastUserText + tool.name) % 1e9).toString(36)}`;
    return { kind: 'tool', id, name: tool.name, args, argChunks: splitEvery(args, 8), outputTokens: countTokens(args) + 5 };
  }
  if (p.outputSchema && !p.toolResult) return structured(p, p.outputSchema);
  const words: string[] = [];
  if (p.toolResult) {
    words.push(...`The tool returned: ${p.toolResult.content}`.split(/\s+/).filter(Boolean));
  } else {
    const n = requestedWords(p.lastUserText) ?? DEFAULT_ANSWER_WORDS;
    // The answer depends on the prompt only, not the model: any target can continue another's partial answer exactly.
    let h = hash(p.lastUserText);
    for (let i = 0; i < n; i++) {
      h = Math.imul(h ^ (h >>> 15), 2246822507) >>> 0;
      words.push(WORDS[h % WORDS.length]!);
    }
  }
  let finish: 'stop' | 'length' | 'stop_sequence' = 'stop';
  let stopSequence: string | undefined;
  let chunks = words.map((w, i) => (i === 0 ? w : ` ${w}`));
  if (p.stop && p.stop.length > 0) {
    const full = chunks.join('');
    let cut = -1;
    for (const s of p.stop) {
      const at = s === '' ? -1 : full.indexOf(s);
      if (at !== -1 && (cut === -1 || at < cut)) {
        cut = at;
        stopSequence = s;
      }
    }
    if (cut !== -1) {
      chunks = splitKeeping(chunks, cut);
      finish = 'stop_sequence';
    }
  }
  if (p.prefill !== undefined && p.prefill !== '') chunks = dropPrefix(chunks, p.prefill);
  if (p.maxTokens !== undefined && chunks.length > p.maxTokens) {
    chunks = chunks.slice(0, p.maxTokens);
    finish = 'length';
    stopSequence = undefined;
  }
  const text = chunks.join('');
  const result: SimAnswer = { kind: 'text', chunks, text, finish, outputTokens: chunks.length };
  if (stopSequence !== undefined) result.stopSequence = stopSequence;
  return result;
}

/** JSON valid for the schema, streamed 8 characters (one token) at a time, cut like text by max tokens. */
function structured(p: SimPrompt, schema: Record<string, unknown>): SimAnswer {
  let chunks = splitEvery(JSON.stringify(valueForSchema(schema)), 8);
  if (p.prefill !== undefined && p.prefill !== '') chunks = dropPrefix(chunks, p.prefill);
  let finish: 'stop' | 'length' = 'stop';
  if (p.maxTokens !== undefined && chunks.length > p.maxTokens) {
    chunks = chunks.slice(0, p.maxTokens);
    finish = 'length';
  }
  return { kind: 'text', chunks, text: chunks.join(''), finish, outputTokens: chunks.length };
}

/** The chunks after the already-sent prefix (by length when the prefix came from elsewhere). */
function dropPrefix(chunks: string[], prefix: string): string[] {
  let skip = prefix.length;
  const out: string[] = [];
  for (const c of chunks) {
    if (skip >= c.length) {
      skip -= c.length;
      continue;
    }
    out.push(skip > 0 ? c.slice(skip) : c);
    skip = 0;
  }
  return out;
}

/** The chunks whose concatenation is the first `len` characters. */
function splitKeeping(chunks: string[], len: number): string[] {
  const out: string[] = [];
  let used = 0;
  for (const c of chunks) {
    if (used >= len) break;
    out.push(used + c.length <= len ? c : c.slice(0, len - used));
    used += c.length;
  }
  return out;
}
