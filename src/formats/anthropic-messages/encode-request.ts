/**
 * Canonical ChatRequest -> Anthropic Messages body for an upstream.
 * Anthropic's rules this guards (Messages API reference): system prompt is a
 * top-level field, turns alternate user/assistant, tool results are user
 * `tool_result` blocks placed first in their turn, `tool_use.input` is an
 * object, `max_tokens` is required, temperature is 0..1.
 */
import { invalidRequest } from '../../core/errors.js';
import type { ChatRequest, ContentPart, ImagePart, Message } from '../../core/request.js';
import { answerOptions } from './encode-answer-options.js';

type Block = Record<string, unknown>;
interface Turn {
  role: 'user' | 'assistant';
  content: Block[];
}

function imageBlock(p: ImagePart): Block {
  if (p.source.kind === 'base64') return { type: 'image', source: { type: 'base64', media_type: p.source.mediaType, data: p.source.data } };
  // OpenAI clients send inline images as data: URLs; Anthropic wants those as base64 sources.
  const m = /^data:([^;,]+);base64,(.*)$/s.exec(p.source.url);
  if (m) return { type: 'image', source: { type: 'base64', media_type: m[1], data: m[2] } };
  return { type: 'image', source: { type: 'url', url: p.source.url } };
}

/** Anthropic rejects empty text blocks ("text content blocks must be non-empty"). */
function contentBlocks(parts: ContentPart[]): Block[] {
  const out: Block[] = [];
  for (const p of parts) {
    if (p.type === 'text') {
      if (p.text !== '') out.push({ type: 'text', text: p.text });
    } else out.push(imageBlock(p));
  }
  return out;
}

function toolInput(args: string, param: string): Record<string, unknown> {
  if (args.trim() === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(args);
  } catch {
    throw invalidRequest(`${param}: the tool call's arguments are not valid JSON, and Anthropic needs them as a JSON object.`, param);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw invalidRequest(`${param}: the tool call's arguments must be a JSON object for Anthropic.`, param);
  }
  return v as Record<string, unknown>;
}

function turnFor(m: Exclude<Message, { role: 'system' }>, i: number): Turn {
  switch (m.role) {
    case 'user':
      return { role: 'user', content: contentBlocks(m.content) };
    case 'assistant': {
      const content = contentBlocks(m.content);
      (m.toolCalls ?? []).forEach((c, j) => {
        content.push({ type: 'tool_use', id: c.id, name: c.name, input: toolInput(c.arguments, `messages[${i}].tool_calls[${j}].function.arguments`) });
      });
      return { role: 'assistant', content };
    }
    case 'tool': {
      const block: Block = { type: 'tool_result', tool_use_id: m.toolCallId };
      const content = contentBlocks(m.content);
      if (content.length > 0) block.content = content;
      if (m.isError) block.is_error = true;
      return { role: 'user', content: [block] };
    }
  }
}

/** Merge same-role neighbours (Anthropic requires alternation) and put tool_result blocks first in user turns. */
function alternate(turns: Turn[]): Turn[] {
  const out: Turn[] = [];
  for (const t of turns) {
    if (t.content.length === 0) continue;
    const last = out[out.length - 1];
    if (last && last.role === t.role) last.content.push(...t.content);
    else out.push({ role: t.role, content: [...t.content] });
  }
  for (const t of out) {
    if (t.role !== 'user') continue;
    const results = t.content.filter((b) => b.type === 'tool_result');
    if (results.length > 0) t.content = [...results, ...t.content.filter((b) => b.type !== 'tool_result')];
  }
  return out;
}

export function encodeAnthropicRequest(req: ChatRequest, model: string): Record<string, unknown> {
  const options = answerOptions(req, model);
  const system: string[] = [];
  const turns: Turn[] = [];
  req.messages.forEach((m, i) => {
    if (m.role === 'system') {
      const text = m.content.map((p) => p.text).join('');
      if (text !== '') system.push(text);
    } else turns.push(turnFor(m, i));
  });

  const body: Record<string, unknown> = {
    model,
    max_tokens: options.maxTokens,
    messages: alternate(turns),
  };
  if (system.length > 0) body.system = system.join('\n\n');
  if (req.stream) body.stream = true;
  if (options.outputConfig) body.output_config = options.outputConfig;
  if (options.thinking) {
    // With thinking on, Anthropic takes temperature only at 1 and top_p only from 0.95 to 1; OpenAI's
    // reasoning models likewise accept no sampling settings, so they are left to the model.
    body.thinking = options.thinking;
    if (req.topP !== undefined && req.topP >= 0.95) body.top_p = req.topP;
  } else {
    // OpenAI's range is 0..2, Anthropic's 0..1: clamp rather than fail a portable request.
    if (req.temperature !== undefined) body.temperature = Math.min(1, Math.max(0, req.temperature));
    if (req.topP !== undefined) body.top_p = req.topP;
  }
  if (req.stop && req.stop.length > 0) body.stop_sequences = req.stop;
  if (req.user !== undefined) body.metadata = { user_id: req.user };

  if (req.tools && req.tools.length > 0) {
    body.tools = req.tools.map((t) => {
      const schema = Object.keys(t.parameters).length === 0 ? { type: 'object', properties: {} } : t.parameters;
      return t.description === undefined ? { name: t.name, input_schema: schema } : { name: t.name, description: t.description, input_schema: schema };
    });
    const tc = req.toolChoice;
    let choice: Record<string, unknown> | undefined =
      tc === undefined ? undefined
      : tc === 'auto' ? { type: 'auto' }
      : tc === 'required' ? { type: 'any' }
      : tc === 'none' ? { type: 'none' }
      : { type: 'tool', name: tc.name };
    if (req.parallelToolCalls === false && choice?.type !== 'none') {
      choice = { ...(choice ?? { type: 'auto' }), disable_parallel_tool_use: true };
    }
    if (choice) body.tool_choice = choice;
  }
  return body;
}
