/**
 * A client's `POST /v1/responses` body -> canonical ChatRequest: the stateless
 * subset of the Responses API (parameters per openai-node
 * `ResponseCreateParamsBase`). `reasoning.effort` is carried like Chat Completions'
 * `reasoning_effort`. Anything that needs server-side state, built-in
 * tools or reasoning output (summaries) is a precise 400 naming the field, never silently
 * dropped: a client must not get a different kind of answer than it asked for.
 * Unknown fields are ignored, as in the openai-chat format.
 */
import { invalidRequest } from '../../core/errors.js';
import type { ChatRequest, ResponseFormat, ToolChoice, ToolDef } from '../../core/request.js';
import {
  describe,
  isObject,
  optArray,
  optBoolean,
  optInteger,
  optString,
  requireObject,
  requireString,
  type Json,
} from '../openai-chat/validate.js';
import { decodeInput } from './decode-input.js';
import { decodeCommonFields } from '../openai-chat/common-fields.js';
import { decodeReasoningEffort } from '../openai-chat/decode-answer-options.js';

export function decodeResponsesRequest(body: unknown): ChatRequest {
  if (!isObject(body)) throw invalidRequest(`The request body must be a JSON object, but got ${describe(body)}.`);
  const model = requireString(body.model, 'model');
  if (model.trim() === '') throw invalidRequest("Invalid 'model': must not be empty.", 'model');
  rejectStateful(body);
  rejectSemanticOptions(body);

  const messages = decodeInput(body.input);
  const instructions = optString(body.instructions, 'instructions');
  // `instructions` is a system message placed before everything in `input` (API reference).
  if (instructions !== undefined && instructions !== '') messages.unshift({ role: 'system', content: [{ type: 'text', text: instructions }] });

  const stream = optBoolean(body.stream, 'stream') ?? false;
  // Responses streams always end with usage in response.completed, so the upstream must report it.
  const req: ChatRequest = { model, messages, stream, includeUsage: true };

  const tools = decodeTools(body.tools);
  if (tools) req.tools = tools;
  const toolChoice = decodeToolChoice(body.tool_choice);
  if (toolChoice !== undefined) req.toolChoice = toolChoice;
  decodeCommonFields(body, req);
  // The API's own minimum for max_output_tokens is 16.
  const maxTokens = optInteger(body.max_output_tokens, 'max_output_tokens', 16);
  if (maxTokens !== undefined) req.maxTokens = maxTokens;
  const responseFormat = decodeTextFormat(body.text);
  if (responseFormat) {
    req.responseFormat = responseFormat;
    req.paths = { responseFormat: 'text.format' };
  }
  const effort = present(body.reasoning) ? decodeReasoningEffort(optString((body.reasoning as Json).effort, 'reasoning.effort'), 'reasoning.effort') : undefined;
  if (effort !== undefined) {
    req.reasoningEffort = effort;
    req.paths = { ...req.paths, reasoningEffort: 'reasoning.effort' };
  }

  // `store` defaults to true in the API and the SDK sends it as the user set it. This gateway
  // keeps no responses, so there is nothing to store; accepting the flag keeps every default
  // client working, and a later GET /v1/responses/{id} answers 404 rather than stale state.
  optBoolean(body.store, 'store');
  return req;
}

function unsupported(param: string, why: string): never {
  throw invalidRequest(`'${param}' is not supported yet: ${why}`, param, 'unsupported_parameter');
}

function required(v: unknown, param: string): unknown {
  if (!present(v)) throw invalidRequest(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
  return v;
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** Features that need conversation state kept on the server. */
function rejectStateful(body: Json): void {
  if (present(body.previous_response_id)) {
    unsupported('previous_response_id', 'this gateway keeps no server-side conversation state. Send the full conversation in \'input\' instead.');
  }
  if (present(body.conversation)) {
    unsupported('conversation', 'this gateway keeps no server-side conversation state. Send the full conversation in \'input\' instead.');
  }
  if (present(body.prompt)) unsupported('prompt', 'stored prompt templates live on OpenAI\'s servers. Send the prompt in \'instructions\' and \'input\'.');
  if (optBoolean(body.background, 'background') === true) {
    unsupported('background', 'background responses must be stored and polled. Use stream: true for long answers.');
  }
}

/** Options that would change what kind of answer comes back, which no canonical field carries. */
function rejectSemanticOptions(body: Json): void {
  if (present(body.reasoning)) {
    const r = requireObject(body.reasoning, 'reasoning');
    // `effort` is carried (decodeReasoning); a summary is reasoning output no canonical answer carries.
    for (const [k, v] of Object.entries(r)) {
      if (k !== 'effort' && present(v)) unsupported(`reasoning.${k}`, 'reasoning summaries are not produced by this gateway. Remove it; \'reasoning.effort\' is supported.');
    }
  }
  const include = optArray(body.include, 'include');
  if (include && include.length > 0) {
    unsupported('include', `extra output data (${include.map((v) => JSON.stringify(v)).join(', ')}) is not produced by this gateway. Remove 'include'.`);
  }
  const topLogprobs = optInteger(body.top_logprobs, 'top_logprobs', 0);
  if (topLogprobs !== undefined && topLogprobs > 0) unsupported('top_logprobs', 'log probabilities are not carried through this gateway.');
}

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

function decodeTools(raw: unknown): ToolDef[] | undefined {
  const arr = optArray(raw, 'tools');
  if (!arr) return undefined;
  return arr.map((t, i) => {
    const at = `tools[${i}]`;
    const tool = requireObject(t, at);
    const type = requireString(tool.type, `${at}.type`);
    if (type === 'custom') throw invalidRequest(`Invalid '${at}.type': custom (free-form) tools are not supported yet; use function tools.`, `${at}.type`, 'unsupported_parameter');
    // Built-in (hosted) tools are run by OpenAI itself; no other upstream can run them.
    if (type !== 'function') throw invalidRequest(`Invalid '${at}.type': built-in tool '${type}' is not supported yet; only function tools are.`, `${at}.type`, 'unsupported_parameter');
    // Responses function tools are flat: {type, name, description, parameters, strict} (no nested `function`).
    const name = requireString(tool.name, `${at}.name`);
    if (!TOOL_NAME.test(name)) throw invalidRequest(`Invalid '${at}.name': '${name}' must be 1-64 letters, digits, underscores or dashes.`, `${at}.name`);
    const parameters = present(tool.parameters) ? requireObject(tool.parameters, `${at}.parameters`) : { type: 'object', properties: {} };
    // `strict` is validated but has no canonical field; upstreams apply their own schema handling.
    optBoolean(tool.strict, `${at}.strict`);
    const def: ToolDef = { name, parameters };
    const description = optString(tool.description, `${at}.description`);
    if (description !== undefined) def.description = description;
    return def;
  });
}

function decodeToolChoice(raw: unknown): ToolChoice | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string') {
    if (raw === 'auto' || raw === 'none' || raw === 'required') return raw;
    throw invalidRequest(`Invalid value for 'tool_choice': '${raw}'. Supported values are: 'none', 'auto', 'required' or {"type": "function", "name": ...}.`, 'tool_choice');
  }
  const tc = requireObject(raw, 'tool_choice');
  const type = requireString(tc.type, 'tool_choice.type');
  if (type === 'function') return { name: requireString(tc.name, 'tool_choice.name') };
  throw invalidRequest(`Invalid 'tool_choice.type': '${type}' is not supported yet; use 'auto', 'none', 'required' or {"type": "function", "name": ...}.`, 'tool_choice.type', 'unsupported_parameter');
}

/** `text.format` (ResponseFormatTextConfig): flat json_schema {type, name, schema, strict}, unlike Chat Completions. */
function decodeTextFormat(raw: unknown): ResponseFormat | undefined {
  if (!present(raw)) return undefined;
  const text = requireObject(raw, 'text');
  if (!present(text.format)) return undefined;
  const f = requireObject(text.format, 'text.format');
  const type = requireString(f.type, 'text.format.type');
  if (type === 'text' || type === 'json_object') return { type };
  if (type !== 'json_schema') {
    throw invalidRequest(`Invalid value for 'text.format.type': '${type}'. Supported values are: 'text', 'json_object' and 'json_schema'.`, 'text.format.type');
  }
  const out: ResponseFormat = {
    type: 'json_schema',
    name: requireString(f.name, 'text.format.name'),
    schema: requireObject(required(f.schema, 'text.format.schema'), 'text.format.schema'),
  };
  const strict = optBoolean(f.strict, 'text.format.strict');
  if (strict !== undefined) out.strict = strict;
  return out;
}
