/**
 * `messages` of a Chat Completions request -> canonical messages, strictly:
 * every rejection names the exact field (`messages[2].content[0].type`).
 * Shapes per the API reference's ChatCompletionRequestMessage variants.
 */
import { invalidRequest } from '../../core/errors.js';
import type { ContentPart, ImagePart, Message, TextPart, ToolCall } from '../../core/request.js';
import { describe, optString, requireObject, requireString } from './validate.js';

const UNSUPPORTED_PART: Record<string, string> = {
  input_audio: 'input_audio parts are not supported',
  file: 'file parts are not supported',
  audio: 'audio parts are not supported',
};

export function decodeMessages(raw: unknown): Message[] {
  if (raw === undefined || raw === null) throw invalidRequest("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
  if (!Array.isArray(raw)) throw invalidRequest(`Invalid type for 'messages': expected an array, but got ${describe(raw)}.`, 'messages');
  if (raw.length === 0) throw invalidRequest("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'messages');
  return raw.map((m, i) => decodeMessage(m, `messages[${i}]`));
}

function decodeMessage(raw: unknown, at: string): Message {
  const m = requireObject(raw, at);
  const role = requireString(m.role, `${at}.role`);
  switch (role) {
    case 'system':
    case 'developer': // o-series name for system instructions; the same thing for every other model.
      return { role: 'system', content: textOnly(m.content, `${at}.content`, true) };
    case 'user':
      return { role: 'user', content: userContent(m.content, `${at}.content`) };
    case 'assistant':
      return assistant(m, at);
    case 'tool':
      return {
        role: 'tool',
        toolCallId: requireString(m.tool_call_id, `${at}.tool_call_id`),
        content: textOnly(m.content, `${at}.content`, true),
      };
    case 'function':
      throw invalidRequest(`Invalid '${at}.role': the legacy 'function' role is not supported; use 'tool' messages with tool_call_id.`, `${at}.role`);
    default:
      throw invalidRequest(`Invalid value for '${at}.role': '${role}'. Supported values are: 'system', 'developer', 'user', 'assistant' and 'tool'.`, `${at}.role`);
  }
}

function assistant(m: Record<string, unknown>, at: string): Message {
  if (m.function_call !== undefined && m.function_call !== null) {
    throw invalidRequest(`Invalid '${at}.function_call': the legacy function_call is not supported; use tool_calls.`, `${at}.function_call`);
  }
  const content = m.content === undefined || m.content === null ? [] : textOnly(m.content, `${at}.content`, false);
  const toolCalls = m.tool_calls === undefined || m.tool_calls === null ? undefined : decodeToolCalls(m.tool_calls, `${at}.tool_calls`);
  if (content.length === 0 && (toolCalls === undefined || toolCalls.length === 0) && m.content === undefined) {
    throw invalidRequest(`Missing required parameter: '${at}.content'.`, `${at}.content`, 'missing_required_parameter');
  }
  return toolCalls && toolCalls.length > 0 ? { role: 'assistant', content, toolCalls } : { role: 'assistant', content };
}

function decodeToolCalls(raw: unknown, at: string): ToolCall[] {
  if (!Array.isArray(raw)) throw invalidRequest(`Invalid type for '${at}': expected an array, but got ${describe(raw)}.`, at);
  return raw.map((c, i) => {
    const p = `${at}[${i}]`;
    const call = requireObject(c, p);
    const type = requireString(call.type, `${p}.type`);
    if (type !== 'function') throw invalidRequest(`Invalid value for '${p}.type': '${type}'. Supported values are: 'function'.`, `${p}.type`);
    const fn = requireObject(call.function, `${p}.function`);
    return {
      id: requireString(call.id, `${p}.id`),
      name: requireString(fn.name, `${p}.function.name`),
      arguments: requireString(fn.arguments, `${p}.function.arguments`),
    };
  });
}

/** Content that may only hold text: a string or an array of text parts. */
function textOnly(raw: unknown, at: string, required: boolean): TextPart[] {
  if (raw === undefined || raw === null) {
    if (required) throw invalidRequest(`Missing required parameter: '${at}'.`, at, 'missing_required_parameter');
    return [];
  }
  if (typeof raw === 'string') return raw === '' ? [] : [{ type: 'text', text: raw }];
  if (!Array.isArray(raw)) throw invalidRequest(`Invalid type for '${at}': expected a string or an array of content parts, but got ${describe(raw)}.`, at);
  const out: TextPart[] = [];
  raw.forEach((p, j) => {
    const part = requireObject(p, `${at}[${j}]`);
    const type = requireString(part.type, `${at}[${j}].type`);
    // Assistant history may carry a refusal part; it is what the model said, so keep it as text.
    if (type === 'text' || type === 'refusal') {
      const key = type === 'text' ? 'text' : 'refusal';
      out.push({ type: 'text', text: requireString(part[key], `${at}[${j}].${key}`) });
    } else {
      throw invalidRequest(`Invalid value for '${at}[${j}].type': '${type}' parts are not allowed here; only text parts are.`, `${at}[${j}].type`);
    }
  });
  return out;
}

function userContent(raw: unknown, at: string): ContentPart[] {
  if (raw === undefined || raw === null) throw invalidRequest(`Missing required parameter: '${at}'.`, at, 'missing_required_parameter');
  if (typeof raw === 'string') return [{ type: 'text', text: raw }];
  if (!Array.isArray(raw)) throw invalidRequest(`Invalid type for '${at}': expected a string or an array of content parts, but got ${describe(raw)}.`, at);
  return raw.map((p, j): ContentPart => {
    const pat = `${at}[${j}]`;
    const part = requireObject(p, pat);
    const type = requireString(part.type, `${pat}.type`);
    if (type === 'text') return { type: 'text', text: requireString(part.text, `${pat}.text`) };
    if (type === 'image_url') return imagePart(part.image_url, `${pat}.image_url`);
    const known = UNSUPPORTED_PART[type];
    if (known) throw invalidRequest(`Invalid '${pat}.type': ${known} by this gateway.`, `${pat}.type`, 'unsupported_content');
    throw invalidRequest(`Invalid value for '${pat}.type': '${type}'. Supported values are: 'text' and 'image_url'.`, `${pat}.type`);
  });
}

const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+)(?:;[^,;]*)*;base64,(.*)$/s;

function imagePart(raw: unknown, at: string): ImagePart {
  const img = requireObject(raw, at);
  const url = requireString(img.url, `${at}.url`);
  const detail = optString(img.detail, `${at}.detail`);
  if (detail !== undefined && detail !== 'auto' && detail !== 'low' && detail !== 'high') {
    throw invalidRequest(`Invalid value for '${at}.detail': '${detail}'. Supported values are: 'auto', 'low' and 'high'.`, `${at}.detail`);
  }
  let part: ImagePart;
  const data = DATA_URL.exec(url);
  if (data) part = { type: 'image', source: { kind: 'base64', mediaType: data[1]!, data: data[2]! } };
  else if (/^https?:\/\//i.test(url)) part = { type: 'image', source: { kind: 'url', url }, path: `${at}.url` };
  else throw invalidRequest(`Invalid '${at}.url': expected an http(s) URL or a base64 data: URL.`, `${at}.url`, 'invalid_image_url');
  if (detail !== undefined) part.detail = detail;
  return part;
}
