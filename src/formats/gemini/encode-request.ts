/**
 * Canonical ChatRequest -> Gemini `GenerateContentRequest` body
 * (POST /v1beta/models/{model}:generateContent). The model travels in the URL,
 * so the body has no `model` field. Field names follow the REST reference and
 * js-genai's recorded requests (test/system/recordings).
 */
import { invalidRequest } from '../../core/errors.js';
import { toolNameForCall, type ChatRequest, type ContentPart, type Message, type ToolChoice } from '../../core/request.js';
import { toGeminiParameters, toGeminiSchema } from './schema.js';
import { refuseSameFormatOnly } from '../unsupported.js';
import { thinkingConfig } from './thinking-config.js';

type Part = Record<string, unknown>;
interface Content {
  role: 'user' | 'model';
  parts: Part[];
}

/**
 * Gemini 3+ rejects replayed functionCall parts without their `thoughtSignature`
 * (400 "Function call is missing a thought_signature"). The canonical model
 * cannot carry signatures across providers, so we send Google's documented
 * sentinel (ai.google.dev/gemini-api/docs/thought-signatures), as the AI SDK does
 * for Gemini 3. Older models never required it, so they get nothing extra.
 */
const SKIP_SIGNATURE = 'skip_thought_signature_validator';

function needsSignature(model: string): boolean {
  const m = /gemini-(\d+)/.exec(model);
  return m !== null && Number(m[1]) >= 3;
}

function parseDataUrl(url: string): { mimeType: string; data: string } | undefined {
  const m = /^data:([^;,]+)((?:;[^;,]*)*);base64,(.*)$/s.exec(url);
  return m ? { mimeType: m[1]!, data: m[3]! } : undefined;
}

function contentParts(parts: ContentPart[], param: string): Part[] {
  const out: Part[] = [];
  parts.forEach((p, j) => {
    if (p.type === 'text') {
      // Empty text parts are rejected ("empty text parameter"), so they are skipped.
      if (p.text !== '') out.push({ text: p.text });
      return;
    }
    if (p.source.kind === 'base64') {
      out.push({ inlineData: { mimeType: p.source.mediaType, data: p.source.data } });
      return;
    }
    const inline = parseDataUrl(p.source.url);
    if (inline) {
      out.push({ inlineData: inline });
      return;
    }
    // Gemini's fileData only takes Files API / gs:// URIs; fetching arbitrary URLs is not ours to do.
    // The message names the field too: Anthropic's error shape has no `param`.
    const field = p.path ?? `${param}[${j}]`;
    throw invalidRequest(
      `${field}: this model is served by Google Gemini, which cannot fetch images by http(s) URL. Send the image inline instead, as base64 or a data: URL (data:image/png;base64,...).`,
      field,
      'image_url_unsupported',
    );
  });
  return out;
}

function functionArgs(text: string, param: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidRequest('Tool call arguments must be valid JSON to be sent to Google Gemini.', param, 'invalid_tool_arguments');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidRequest('Tool call arguments must be a JSON object to be sent to Google Gemini.', param, 'invalid_tool_arguments');
  }
  return parsed as Record<string, unknown>;
}

function toolText(parts: ContentPart[]): string {
  return parts.filter((p) => p.type === 'text').map((p) => p.text).join('');
}

function encodeMessage(m: Message, i: number, messages: Message[], model: string): Content | undefined {
  const param = `messages[${i}].content`;
  switch (m.role) {
    case 'system':
      return undefined;
    case 'user':
      return { role: 'user', parts: contentParts(m.content, param) };
    case 'assistant': {
      const parts = contentParts(m.content, param);
      (m.toolCalls ?? []).forEach((c, j) => {
        const part: Part = { functionCall: { name: c.name, args: functionArgs(c.arguments, `messages[${i}].tool_calls[${j}].function.arguments`) } };
        if (needsSignature(model)) part.thoughtSignature = SKIP_SIGNATURE;
        parts.push(part);
      });
      return { role: 'model', parts };
    }
    case 'tool': {
      // Gemini matches results to calls by function name, which it requires; look the
      // call up among the messages before this one so a reused id resolves to its own turn.
      const name = m.toolName ?? toolNameForCall(messages.slice(0, i), m.toolCallId);
      if (name === undefined) {
        throw invalidRequest(
          `Tool result for call "${m.toolCallId}" has no matching tool call earlier in the conversation; Google Gemini needs the function name.`,
          `messages[${i}].tool_call_id`,
          'unknown_tool_call',
        );
      }
      // FunctionResponse.response: "Use "output" key to specify function output and "error" key to specify error details".
      const text = toolText(m.content);
      const parts: Part[] = [{ functionResponse: { name, response: m.isError ? { error: text } : { output: text } } }];
      // Images returned by a tool ride along as ordinary inline parts of the same user turn.
      parts.push(...contentParts(m.content.filter((p) => p.type === 'image'), param));
      return { role: 'user', parts };
    }
  }
}

function toolConfig(choice: ToolChoice): Record<string, unknown> {
  if (choice === 'auto') return { functionCallingConfig: { mode: 'AUTO' } };
  if (choice === 'none') return { functionCallingConfig: { mode: 'NONE' } };
  if (choice === 'required') return { functionCallingConfig: { mode: 'ANY' } };
  return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.name] } };
}

export function encodeRequest(req: ChatRequest, model: string): Record<string, unknown> {
  refuseSameFormatOnly(req, 'Google Gemini');
  const contents: Content[] = [];
  req.messages.forEach((m, i) => {
    const c = encodeMessage(m, i, req.messages, model);
    if (!c || c.parts.length === 0) return;
    // Gemini expects alternating turns; consecutive same-role messages (e.g. several
    // tool results, or a tool result followed by user text) become one turn.
    const last = contents[contents.length - 1];
    if (last && last.role === c.role) last.parts.push(...c.parts);
    else contents.push(c);
  });
  if (contents.length === 0) throw invalidRequest('The conversation has no user or assistant content to send.', 'messages', 'empty_messages');

  const body: Record<string, unknown> = { contents };
  const system = req.messages.flatMap((m) => (m.role === 'system' ? m.content.filter((p) => p.text !== '').map((p) => ({ text: p.text })) : []));
  if (system.length > 0) body.systemInstruction = { parts: system };

  if (req.tools && req.tools.length > 0) {
    body.tools = [
      {
        functionDeclarations: req.tools.map((t) => {
          const decl: Record<string, unknown> = { name: t.name };
          if (t.description !== undefined) decl.description = t.description;
          const params = toGeminiParameters(t.parameters);
          if (params) decl.parameters = params;
          return decl;
        }),
      },
    ];
    if (req.toolChoice !== undefined) body.toolConfig = toolConfig(req.toolChoice);
  }

  const gen: Record<string, unknown> = {};
  if (req.maxTokens !== undefined) gen.maxOutputTokens = req.maxTokens;
  if (req.temperature !== undefined) gen.temperature = req.temperature;
  if (req.topP !== undefined) gen.topP = req.topP;
  if (req.stop && req.stop.length > 0) gen.stopSequences = req.stop;
  if (req.seed !== undefined) gen.seed = req.seed;
  const rf = req.responseFormat;
  if (rf?.type === 'json_object') gen.responseMimeType = 'application/json';
  else if (rf?.type === 'json_schema') {
    gen.responseMimeType = 'application/json';
    gen.responseSchema = toGeminiSchema(rf.schema);
  }
  const thinking = thinkingConfig(req, model);
  if (thinking) gen.thinkingConfig = thinking;
  if (Object.keys(gen).length > 0) body.generationConfig = gen;
  return body;
}
