/**
 * Anthropic Messages request (POST /v1/messages) -> canonical ChatRequest.
 * Strict like the real API: a wrong field gets a 400 naming it, in Anthropic's
 * own "field: problem" style (e.g. `max_tokens: Field required`). Fields the
 * gateway can't carry faithfully (thinking, server tools, documents) are refused
 * with a clear 400 instead of being dropped. Unknown top-level fields pass.
 */
import { invalidRequest } from '../../core/errors.js';
import type { ChatRequest, ContentPart, ImagePart, Message, TextPart, ToolChoice, ToolDef } from '../../core/request.js';
import { decodeOutputConfig } from './decode-output-config.js';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(param: string, problem: string): never {
  throw invalidRequest(`${param}: ${problem}`, param);
}

function str(o: Obj, key: string, param: string): string {
  const v = o[key];
  if (v === undefined) fail(param, 'Field required');
  if (typeof v !== 'string') fail(param, 'Input should be a valid string');
  return v;
}

function num(o: Obj, key: string, min: number, max: number): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(key, 'Input should be a valid number');
  if (v < min || v > max) fail(key, `Input should be between ${min} and ${max}`);
  return v;
}

function textBlock(b: Obj, param: string): TextPart {
  return { type: 'text', text: str(b, 'text', `${param}.text`) };
}

function imageBlock(b: Obj, param: string): ImagePart {
  const src = b.source;
  if (!isObj(src)) fail(`${param}.source`, 'Field required');
  if (src.type === 'base64') {
    return { type: 'image', source: { kind: 'base64', mediaType: str(src, 'media_type', `${param}.source.media_type`), data: str(src, 'data', `${param}.source.data`) } };
  }
  if (src.type === 'url') return { type: 'image', source: { kind: 'url', url: str(src, 'url', `${param}.source.url`) }, path: `${param}.source.url` };
  fail(`${param}.source.type`, `image source type '${String(src.type)}' is not supported by this gateway (use 'base64' or 'url')`);
}

/** Blocks the gateway has no canonical form for yet: refuse rather than drop. */
function unsupportedBlock(type: unknown, param: string): never {
  if (type === 'thinking' || type === 'redacted_thinking') fail(`${param}.type`, 'thinking blocks are not supported yet by this gateway');
  fail(`${param}.type`, `content block type '${String(type)}' is not supported by this gateway`);
}

/** Tool result content: a string, or text/image blocks. */
function toolResultContent(v: unknown, param: string): ContentPart[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return v === '' ? [] : [{ type: 'text', text: v }];
  if (!Array.isArray(v)) fail(param, 'Input should be a valid string or list of content blocks');
  return v.map((b, i) => {
    const p = `${param}[${i}]`;
    if (!isObj(b)) fail(p, 'Input should be a valid content block object');
    if (b.type === 'text') return textBlock(b, p);
    if (b.type === 'image') return imageBlock(b, p);
    return unsupportedBlock(b.type, p);
  });
}

function userTurn(content: unknown, param: string): Message[] {
  if (typeof content === 'string') return [{ role: 'user', content: [{ type: 'text', text: content }] }];
  if (!Array.isArray(content)) fail(param, 'Input should be a valid string or list of content blocks');
  // tool_result blocks become canonical tool messages; what else the turn says follows them.
  const tools: Message[] = [];
  const rest: ContentPart[] = [];
  content.forEach((b, i) => {
    const p = `${param}[${i}]`;
    if (!isObj(b)) fail(p, 'Input should be a valid content block object');
    switch (b.type) {
      case 'text': rest.push(textBlock(b, p)); break;
      case 'image': rest.push(imageBlock(b, p)); break;
      case 'tool_result': {
        const isError = b.is_error;
        if (isError !== undefined && typeof isError !== 'boolean') fail(`${p}.is_error`, 'Input should be a valid boolean');
        tools.push({
          role: 'tool',
          toolCallId: str(b, 'tool_use_id', `${p}.tool_use_id`),
          content: toolResultContent(b.content, `${p}.content`),
          ...(isError === true ? { isError: true } : {}),
        });
        break;
      }
      case 'tool_use': return fail(`${p}.type`, 'tool_use blocks are only allowed in assistant messages');
      default: return unsupportedBlock(b.type, p);
    }
  });
  if (rest.length > 0 || tools.length === 0) tools.push({ role: 'user', content: rest });
  return tools;
}

function assistantTurn(content: unknown, param: string): Message {
  if (typeof content === 'string') return { role: 'assistant', content: content === '' ? [] : [{ type: 'text', text: content }] };
  if (!Array.isArray(content)) fail(param, 'Input should be a valid string or list of content blocks');
  const text: TextPart[] = [];
  const calls: { id: string; name: string; arguments: string }[] = [];
  content.forEach((b, i) => {
    const p = `${param}[${i}]`;
    if (!isObj(b)) fail(p, 'Input should be a valid content block object');
    if (b.type === 'text') text.push(textBlock(b, p));
    else if (b.type === 'tool_use') {
      if (!isObj(b.input)) fail(`${p}.input`, 'Input should be a valid dictionary');
      calls.push({ id: str(b, 'id', `${p}.id`), name: str(b, 'name', `${p}.name`), arguments: JSON.stringify(b.input) });
    } else if (b.type === 'tool_result') fail(`${p}.type`, 'tool_result blocks are only allowed in user messages');
    else unsupportedBlock(b.type, p);
  });
  return calls.length > 0 ? { role: 'assistant', content: text, toolCalls: calls } : { role: 'assistant', content: text };
}

function systemPrompt(v: unknown): Message[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return v === '' ? [] : [{ role: 'system', content: [{ type: 'text', text: v }] }];
  if (!Array.isArray(v)) fail('system', 'Input should be a valid string or list of text blocks');
  const parts = v.map((b, i) => {
    const p = `system[${i}]`;
    if (!isObj(b) || b.type !== 'text') fail(`${p}.type`, "system blocks must be of type 'text'");
    return textBlock(b, p);
  });
  return parts.length > 0 ? [{ role: 'system', content: parts }] : [];
}

function tools(v: unknown): ToolDef[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) fail('tools', 'Input should be a valid list');
  return v.map((t, i) => {
    const p = `tools[${i}]`;
    if (!isObj(t)) fail(p, 'Input should be a valid dictionary');
    // Server/built-in tools (web_search_*, bash_*, computer_*, text_editor_*, ...) run on
    // Anthropic's side and have no equivalent on other upstreams.
    if (t.type !== undefined && t.type !== null && t.type !== 'custom') {
      fail(`${p}.type`, `server tool '${String(t.type)}' is not supported by this gateway; only client tools with input_schema are`);
    }
    const name = str(t, 'name', `${p}.name`);
    if (!isObj(t.input_schema)) fail(`${p}.input_schema`, 'Field required');
    const def: ToolDef = { name, parameters: t.input_schema };
    if (t.description !== undefined) def.description = str(t, 'description', `${p}.description`);
    return def;
  });
}

function toolChoice(v: unknown): { choice?: ToolChoice; parallel?: boolean } {
  if (v === undefined || v === null) return {};
  if (!isObj(v)) fail('tool_choice', 'Input should be a valid dictionary');
  let choice: ToolChoice;
  switch (v.type) {
    case 'auto': choice = 'auto'; break;
    case 'any': choice = 'required'; break;
    case 'none': choice = 'none'; break;
    case 'tool': choice = { name: str(v, 'name', 'tool_choice.name') }; break;
    default: fail('tool_choice.type', "Input should be 'auto', 'any', 'tool' or 'none'");
  }
  const d = v.disable_parallel_tool_use;
  if (d !== undefined && typeof d !== 'boolean') fail('tool_choice.disable_parallel_tool_use', 'Input should be a valid boolean');
  return d === true ? { choice, parallel: false } : { choice };
}

export function decodeAnthropicRequest(body: unknown): ChatRequest {
  if (!isObj(body)) throw invalidRequest('The request body must be a JSON object.', undefined, 'invalid_json');
  const model = str(body, 'model', 'model');
  if (model === '') fail('model', 'String should have at least 1 character');

  const mt = body.max_tokens;
  if (mt === undefined || mt === null) fail('max_tokens', 'Field required');
  if (typeof mt !== 'number' || !Number.isInteger(mt)) fail('max_tokens', 'Input should be a valid integer');
  if (mt < 1) fail('max_tokens', 'Input should be greater than or equal to 1');

  // Extended thinking changes the answer's shape (thinking blocks + signatures); refuse rather than ignore.
  const th = body.thinking;
  if (th !== undefined && th !== null && !(isObj(th) && th.type === 'disabled')) fail('thinking', 'extended thinking is not supported yet by this gateway');

  if (body.messages === undefined) fail('messages', 'Field required');
  if (!Array.isArray(body.messages)) fail('messages', 'Input should be a valid list');
  if (body.messages.length === 0) fail('messages', 'at least one message is required');

  const messages: Message[] = systemPrompt(body.system);
  body.messages.forEach((m, i) => {
    const p = `messages[${i}]`;
    if (!isObj(m)) fail(p, 'Input should be a valid dictionary');
    if (m.content === undefined) fail(`${p}.content`, 'Field required');
    if (m.role === 'user') messages.push(...userTurn(m.content, `${p}.content`));
    else if (m.role === 'assistant') messages.push(assistantTurn(m.content, `${p}.content`));
    else if (m.role === 'system') fail(`${p}.role`, "Input should be 'user' or 'assistant' (use the top-level system parameter for system prompts)");
    else fail(`${p}.role`, "Input should be 'user' or 'assistant'");
  });

  const req: ChatRequest = { model, messages, maxTokens: mt, stream: false, includeUsage: true };
  const stream = body.stream;
  if (stream !== undefined && stream !== null) {
    if (typeof stream !== 'boolean') fail('stream', 'Input should be a valid boolean');
    req.stream = stream;
  }
  const t = tools(body.tools);
  if (t) req.tools = t;
  const tc = toolChoice(body.tool_choice);
  if (tc.choice !== undefined) req.toolChoice = tc.choice;
  if (tc.parallel !== undefined) req.parallelToolCalls = tc.parallel;

  const ss = body.stop_sequences;
  if (ss !== undefined && ss !== null) {
    if (!Array.isArray(ss) || !ss.every((s) => typeof s === 'string')) fail('stop_sequences', 'Input should be a valid list of strings');
    if (ss.length > 0) req.stop = ss as string[];
  }
  const temperature = num(body, 'temperature', 0, 1);
  if (temperature !== undefined) req.temperature = temperature;
  const topP = num(body, 'top_p', 0, 1);
  if (topP !== undefined) req.topP = topP;

  decodeOutputConfig(body, req);

  const md = body.metadata;
  if (md !== undefined && md !== null) {
    if (!isObj(md)) fail('metadata', 'Input should be a valid dictionary');
    if (md.user_id !== undefined && md.user_id !== null) req.user = str(md, 'user_id', 'metadata.user_id');
  }
  return req;
}
