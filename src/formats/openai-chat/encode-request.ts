/**
 * Canonical ChatRequest -> the body an OpenAI(-compatible) upstream expects.
 * Field names per the API reference's CreateChatCompletionRequest.
 */
import { invalidRequest } from '../../core/errors.js';
import type { ChatRequest, ContentPart, ImagePart, Message, ResponseFormat, ToolChoice } from '../../core/request.js';
import { refuseSameFormatOnly } from '../unsupported.js';
import { meetsStrictRules } from './strict-schema.js';

export function encodeRequest(req: ChatRequest, model: string): Record<string, unknown> {
  // Only a continuation reaches here from a Chat Completions client: its log probabilities or audio could not reach the client.
  refuseSameFormatOnly(req, 'a translated OpenAI request');
  const body: Record<string, unknown> = { model, messages: req.messages.map(encodeMessage) };
  // OpenAI rejects tool_choice and parallel_tool_calls when no tools are given ("only allowed when 'tools' are specified").
  if (req.tools && req.tools.length > 0) {
    body.tools = req.tools.map((t) => ({
      type: 'function',
      function: { name: t.name, ...(t.description === undefined ? {} : { description: t.description }), parameters: t.parameters },
    }));
    if (req.toolChoice !== undefined) body.tool_choice = encodeToolChoice(req.toolChoice);
    if (req.parallelToolCalls !== undefined) body.parallel_tool_calls = req.parallelToolCalls;
  }
  // max_tokens is deprecated and rejected by o-series models; max_completion_tokens works for all
  // current OpenAI models. openai-compatible servers that only know max_tokens are handled in the provider.
  if (req.maxTokens !== undefined) body.max_completion_tokens = req.maxTokens;
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.stop && req.stop.length > 0) body.stop = req.stop;
  if (req.seed !== undefined) body.seed = req.seed;
  if (req.responseFormat) body.response_format = encodeResponseFormat(req.responseFormat);
  // The vocabulary is OpenAI's own (core/request.ts ReasoningEffort).
  if (req.reasoningEffort !== undefined) body.reasoning_effort = req.reasoningEffort;
  if (req.user !== undefined) body.user = req.user;
  body.stream = req.stream;
  // Without include_usage OpenAI sends no usage at all on streams; ask only when the client wants it.
  if (req.stream && req.includeUsage) body.stream_options = { include_usage: true };
  return body;
}

function encodeToolChoice(c: ToolChoice): unknown {
  return typeof c === 'string' ? c : { type: 'function', function: { name: c.name } };
}

function encodeResponseFormat(f: ResponseFormat): unknown {
  if (f.type !== 'json_schema') return { type: f.type };
  // A schema enforced elsewhere but outside strict mode's rules goes unenforced rather than refused (strict-schema.ts).
  const strict = f.strict === true && !meetsStrictRules(f.schema) ? undefined : f.strict;
  return {
    type: 'json_schema',
    json_schema: { name: f.name, schema: f.schema, ...(strict === undefined ? {} : { strict }) },
  };
}

function joinText(parts: ContentPart[]): string {
  return parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
}

function imageUrl(p: ImagePart): Record<string, unknown> {
  const url = p.source.kind === 'url' ? p.source.url : `data:${p.source.mediaType};base64,${p.source.data}`;
  return { type: 'image_url', image_url: { url, ...(p.detail === undefined ? {} : { detail: p.detail }) } };
}

function encodeMessage(m: Message, i: number): Record<string, unknown> {
  switch (m.role) {
    case 'system':
      return { role: 'system', content: joinText(m.content) };
    case 'user':
      // Plain string when it is all text: every openai-compatible server accepts that form.
      if (m.content.every((p) => p.type === 'text')) return { role: 'user', content: joinText(m.content) };
      return { role: 'user', content: m.content.map((p) => (p.type === 'text' ? { type: 'text', text: p.text } : imageUrl(p))) };
    case 'assistant': {
      const text = joinText(m.content);
      const out: Record<string, unknown> = { role: 'assistant', content: text === '' && m.toolCalls?.length ? null : text };
      if (m.toolCalls && m.toolCalls.length > 0) {
        out.tool_calls = m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
      }
      return out;
    }
    case 'tool':
      // Tool messages carry text only in Chat Completions (ChatCompletionRequestToolMessage).
      if (m.content.some((p) => p.type !== 'text')) {
        throw invalidRequest('OpenAI tool results can only contain text; this tool result contains an image.', `messages[${i}].content`, 'unsupported_content');
      }
      return { role: 'tool', tool_call_id: m.toolCallId, content: joinText(m.content) };
  }
}
