/**
 * The Responses API `input` -> canonical messages, strictly. Shapes per the
 * API reference (openai-node `ResponseInputItem`): EasyInputMessage /
 * Message (with or without `type:'message'`), ResponseOutputMessage replayed as
 * input, `function_call` and `function_call_output`. Every rejection names the
 * field (`input[2].content[0].image_url`).
 */
import { invalidRequest } from '../../core/errors.js';
import type { AssistantMessage, ContentPart, ImagePart, Message, TextPart } from '../../core/request.js';
import { toolNameForCall } from '../../core/request.js';
import { describe, optString, requireObject, requireString, type Json } from '../openai-chat/validate.js';

/** Item types that only make sense with server-side state or built-in tools. */
const UNSUPPORTED_ITEM: Record<string, string> = {
  item_reference: "item references need server-side conversation state, which this gateway does not keep; send the full items instead",
  reasoning: 'reasoning items are not supported yet; send only message, function_call and function_call_output items',
};

export function decodeInput(raw: unknown): Message[] {
  if (raw === undefined || raw === null) throw invalidRequest("Missing required parameter: 'input'.", 'input', 'missing_required_parameter');
  if (typeof raw === 'string') return [{ role: 'user', content: [{ type: 'text', text: raw }] }];
  if (!Array.isArray(raw)) throw invalidRequest(`Invalid type for 'input': expected a string or an array of input items, but got ${describe(raw)}.`, 'input');
  if (raw.length === 0) throw invalidRequest("Invalid 'input': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'input');
  const out: Message[] = [];
  raw.forEach((item, i) => decodeItem(item, `input[${i}]`, out));
  return out;
}

function decodeItem(raw: unknown, at: string, out: Message[]): void {
  const item = requireObject(raw, at);
  const type = optString(item.type, `${at}.type`) ?? 'message';
  switch (type) {
    case 'message':
      out.push(decodeMessage(item, at));
      return;
    case 'function_call':
      return pushFunctionCall(item, at, out);
    case 'function_call_output':
      out.push(decodeCallOutput(item, at, out));
      return;
    default: {
      const why = UNSUPPORTED_ITEM[type] ?? `input item type '${type}' is not supported yet; supported types are 'message', 'function_call' and 'function_call_output'`;
      throw invalidRequest(`Invalid '${at}.type': ${why}.`, `${at}.type`, 'unsupported_parameter');
    }
  }
}

function decodeMessage(item: Json, at: string): Message {
  const role = requireString(item.role, `${at}.role`);
  switch (role) {
    case 'system':
    case 'developer': // The Responses API's name for system instructions on newer models; the same thing for every upstream.
      return { role: 'system', content: textContent(item.content, `${at}.content`, ['input_text']) };
    case 'user':
      return { role: 'user', content: userContent(item.content, `${at}.content`) };
    case 'assistant':
      // Replayed `response.output` messages carry output_text (and maybe refusal) parts; EasyInputMessage allows input_text too.
      return { role: 'assistant', content: textContent(item.content, `${at}.content`, ['output_text', 'input_text', 'refusal']) };
    default:
      throw invalidRequest(`Invalid value for '${at}.role': '${role}'. Supported values are: 'user', 'assistant', 'system' and 'developer'.`, `${at}.role`);
  }
}

/**
 * A function_call item is the assistant asking for a tool. It joins the
 * assistant turn right before it (text and earlier calls of the same answer),
 * so a replayed `response.output` [message, function_call, function_call]
 * becomes one assistant turn, as Chat Completions and Anthropic need it.
 */
function pushFunctionCall(item: Json, at: string, out: Message[]): void {
  const call = {
    id: requireString(item.call_id, `${at}.call_id`),
    name: requireString(item.name, `${at}.name`),
    arguments: requireString(item.arguments, `${at}.arguments`),
  };
  const prev = out[out.length - 1];
  if (prev && prev.role === 'assistant') {
    (prev.toolCalls ??= []).push(call);
    return;
  }
  const turn: AssistantMessage = { role: 'assistant', content: [], toolCalls: [call] };
  out.push(turn);
}

function decodeCallOutput(item: Json, at: string, sofar: Message[]): Message {
  const callId = requireString(item.call_id, `${at}.call_id`);
  // Stateless: the matching call must be in this same input (OpenAI answers the same 400 when it is missing).
  const toolName = toolNameForCall(sofar, callId);
  if (toolName === undefined) {
    throw invalidRequest(`No tool call found for function call output with call_id ${callId}. Include the matching 'function_call' item earlier in 'input'.`, `${at}.call_id`);
  }
  const raw = item.output;
  if (raw === undefined || raw === null) throw invalidRequest(`Missing required parameter: '${at}.output'.`, `${at}.output`, 'missing_required_parameter');
  const content: ContentPart[] = typeof raw === 'string' ? (raw === '' ? [] : [{ type: 'text', text: raw }]) : userContent(raw, `${at}.output`);
  return { role: 'tool', toolCallId: callId, toolName, content };
}

function contentArray(raw: unknown, at: string): unknown[] {
  if (raw === undefined || raw === null) throw invalidRequest(`Missing required parameter: '${at}'.`, at, 'missing_required_parameter');
  if (!Array.isArray(raw)) throw invalidRequest(`Invalid type for '${at}': expected a string or an array of content parts, but got ${describe(raw)}.`, at);
  return raw;
}

/** Content that may only hold text parts of the given types. */
function textContent(raw: unknown, at: string, allowed: string[]): TextPart[] {
  if (typeof raw === 'string') return raw === '' ? [] : [{ type: 'text', text: raw }];
  return contentArray(raw, at).map((p, j): TextPart => {
    const pat = `${at}[${j}]`;
    const part = requireObject(p, pat);
    const type = requireString(part.type, `${pat}.type`);
    if (!allowed.includes(type)) {
      throw invalidRequest(`Invalid value for '${pat}.type': '${type}' parts are not allowed here. Supported values are: ${list(allowed)}.`, `${pat}.type`);
    }
    // A refusal the model gave is still what it said: keep it as text.
    const key = type === 'refusal' ? 'refusal' : 'text';
    return { type: 'text', text: requireString(part[key], `${pat}.${key}`) };
  });
}

function userContent(raw: unknown, at: string): ContentPart[] {
  if (typeof raw === 'string') return [{ type: 'text', text: raw }];
  return contentArray(raw, at).map((p, j): ContentPart => {
    const pat = `${at}[${j}]`;
    const part = requireObject(p, pat);
    const type = requireString(part.type, `${pat}.type`);
    if (type === 'input_text') return { type: 'text', text: requireString(part.text, `${pat}.text`) };
    if (type === 'input_image') return imagePart(part, pat);
    if (type === 'input_file' || type === 'input_audio') {
      throw invalidRequest(`Invalid '${pat}.type': ${type} parts are not supported by this gateway yet.`, `${pat}.type`, 'unsupported_content');
    }
    throw invalidRequest(`Invalid value for '${pat}.type': '${type}'. Supported values are: 'input_text' and 'input_image'.`, `${pat}.type`);
  });
}

const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+)(?:;[^,;]*)*;base64,(.*)$/s;

function imagePart(part: Json, at: string): ImagePart {
  if (part.file_id !== undefined && part.file_id !== null) {
    throw invalidRequest(`Invalid '${at}.file_id': images by file_id need OpenAI's file storage, which this gateway does not have; send image_url instead.`, `${at}.file_id`, 'unsupported_content');
  }
  const url = requireString(part.image_url, `${at}.image_url`);
  const detail = optString(part.detail, `${at}.detail`);
  // 'original' exists in the Responses API but no canonical equivalent: the upstream default is closest to 'auto'.
  if (detail !== undefined && !['auto', 'low', 'high', 'original'].includes(detail)) {
    throw invalidRequest(`Invalid value for '${at}.detail': '${detail}'. Supported values are: 'auto', 'low', 'high' and 'original'.`, `${at}.detail`);
  }
  let img: ImagePart;
  const data = DATA_URL.exec(url);
  if (data) img = { type: 'image', source: { kind: 'base64', mediaType: data[1]!, data: data[2]! } };
  else if (/^https?:\/\//i.test(url)) img = { type: 'image', source: { kind: 'url', url }, path: `${at}.image_url` };
  else throw invalidRequest(`Invalid '${at}.image_url': expected an http(s) URL or a base64 data: URL.`, `${at}.image_url`, 'invalid_image_url');
  if (detail === 'auto' || detail === 'low' || detail === 'high') img.detail = detail;
  return img;
}

function list(values: string[]): string {
  const q = values.map((v) => `'${v}'`);
  return q.length === 1 ? q[0]! : `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
}
