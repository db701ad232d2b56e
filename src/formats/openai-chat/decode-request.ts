/**
 * A client's Chat Completions body -> canonical ChatRequest, validated strictly
 * (parameters per the API reference's CreateChatCompletionRequest). Unknown
 * fields are allowed: they are ignored here and kept by same-format pass-through.
 */
import { invalidRequest } from '../../core/errors.js';
import type { ChatRequest, ResponseFormat, ToolChoice, ToolDef } from '../../core/request.js';
import { decodeMessages } from './decode-messages.js';
import {
  describe,
  isObject,
  optArray,
  optBoolean,
  optInteger,
  optString,
  requireObject,
  requireString,
} from './validate.js';
import { decodeCommonFields } from './common-fields.js';
import { decodeAnswerOptions } from './decode-answer-options.js';

export function decodeRequest(body: unknown): ChatRequest {
  if (!isObject(body)) throw invalidRequest(`The request body must be a JSON object, but got ${describe(body)}.`);
  const model = requireString(body.model, 'model');
  if (model.trim() === '') throw invalidRequest("Invalid 'model': must not be empty.", 'model');

  if (body.functions !== undefined && body.functions !== null) {
    throw invalidRequest("The legacy 'functions' parameter is not supported; use 'tools'.", 'functions');
  }
  const n = optInteger(body.n, 'n', 1);
  if (n !== undefined && n !== 1) throw invalidRequest(`Invalid 'n': only n=1 is supported by this gateway, but got ${n}.`, 'n', 'unsupported_parameter');

  const stream = optBoolean(body.stream, 'stream') ?? false;
  const req: ChatRequest = { model, messages: decodeMessages(body.messages), stream, includeUsage: false };

  const tools = decodeTools(body.tools);
  if (tools) req.tools = tools;
  const toolChoice = decodeToolChoice(body.tool_choice);
  if (toolChoice !== undefined) req.toolChoice = toolChoice;
  decodeCommonFields(body, req);

  // max_completion_tokens supersedes the deprecated max_tokens (API reference); accept either.
  const maxTokens = optInteger(body.max_completion_tokens, 'max_completion_tokens', 1) ?? optInteger(body.max_tokens, 'max_tokens', 1);
  if (maxTokens !== undefined) req.maxTokens = maxTokens;
  const stop = decodeStop(body.stop);
  if (stop) req.stop = stop;
  const seed = optInteger(body.seed, 'seed', Number.MIN_SAFE_INTEGER);
  if (seed !== undefined) req.seed = seed;
  const responseFormat = decodeResponseFormat(body.response_format);
  if (responseFormat) req.responseFormat = responseFormat;
  decodeAnswerOptions(body, req);

  if (body.stream_options !== undefined && body.stream_options !== null) {
    const so = requireObject(body.stream_options, 'stream_options');
    req.includeUsage = stream && (optBoolean(so.include_usage, 'stream_options.include_usage') ?? false);
  }
  return req;
}

function decodeTools(raw: unknown): ToolDef[] | undefined {
  const arr = optArray(raw, 'tools');
  if (!arr) return undefined;
  return arr.map((t, i) => {
    const at = `tools[${i}]`;
    const tool = requireObject(t, at);
    const type = requireString(tool.type, `${at}.type`);
    if (type !== 'function') throw invalidRequest(`Invalid value for '${at}.type': '${type}'. Supported values are: 'function'.`, `${at}.type`);
    const fn = requireObject(tool.function, `${at}.function`);
    const name = requireString(fn.name, `${at}.function.name`);
    if (!/^[a-zA-Z0-9_-]{1,64}$/.test(name)) {
      throw invalidRequest(`Invalid '${at}.function.name': '${name}' must be 1-64 letters, digits, underscores or dashes.`, `${at}.function.name`);
    }
    // Parameters may be omitted: the API reference defines that as a function taking no arguments.
    const parameters = fn.parameters === undefined || fn.parameters === null ? { type: 'object', properties: {} } : requireObject(fn.parameters, `${at}.function.parameters`);
    const def: ToolDef = { name, parameters };
    const description = optString(fn.description, `${at}.function.description`);
    if (description !== undefined) def.description = description;
    return def;
  });
}

function decodeToolChoice(raw: unknown): ToolChoice | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string') {
    if (raw === 'auto' || raw === 'none' || raw === 'required') return raw;
    throw invalidRequest(`Invalid value for 'tool_choice': '${raw}'. Supported values are: 'none', 'auto', 'required' or an object naming a function.`, 'tool_choice');
  }
  const tc = requireObject(raw, 'tool_choice');
  const type = requireString(tc.type, 'tool_choice.type');
  if (type !== 'function') throw invalidRequest(`Invalid value for 'tool_choice.type': '${type}'. Supported values are: 'function'.`, 'tool_choice.type');
  const fn = requireObject(tc.function, 'tool_choice.function');
  return { name: requireString(fn.name, 'tool_choice.function.name') };
}

function decodeStop(raw: unknown): string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string') return [raw];
  if (!Array.isArray(raw)) throw invalidRequest(`Invalid type for 'stop': expected a string or an array of strings, but got ${describe(raw)}.`, 'stop');
  return raw.map((s, i) => requireString(s, `stop[${i}]`));
}

function decodeResponseFormat(raw: unknown): ResponseFormat | undefined {
  if (raw === undefined || raw === null) return undefined;
  const rf = requireObject(raw, 'response_format');
  const type = requireString(rf.type, 'response_format.type');
  if (type === 'text' || type === 'json_object') return { type };
  if (type !== 'json_schema') {
    throw invalidRequest(`Invalid value for 'response_format.type': '${type}'. Supported values are: 'text', 'json_object' and 'json_schema'.`, 'response_format.type');
  }
  const js = requireObject(rf.json_schema, 'response_format.json_schema');
  const out: ResponseFormat = {
    type: 'json_schema',
    name: requireString(js.name, 'response_format.json_schema.name'),
    schema: js.schema === undefined || js.schema === null ? {} : requireObject(js.schema, 'response_format.json_schema.schema'),
  };
  const strict = optBoolean(js.strict, 'response_format.json_schema.strict');
  if (strict !== undefined) out.strict = strict;
  return out;
}
