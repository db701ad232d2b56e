/**
 * What a careless client or a broken upstream may send, against every format: valid bodies
 * with values of the wrong type or missing (seeded, so a failure reproduces). The formats must
 * answer with typed errors that keep the blame where it belongs, never a TypeError that would
 * become a 500:
 * - a client's body decodes, or is a 400 naming the field;
 * - a decoded request encodes for each upstream, or is a 400 (content that upstream can't carry);
 * - an upstream's answer, stream or error decodes, or is an upstream failure (never a client
 *   error, so the router fails over instead of blaming the client);
 * - whatever decoded encodes for every client format.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../core/errors.js';
import type { ChatRequest } from '../core/request.js';
import type { ChatResponse } from '../core/response.js';
import type { StreamEvent } from '../core/stream-event.js';
import { mutate, seeded } from '../test-support/mutate.js';
import { framesOf, readChunks } from './anthropic-messages/fixtures.js';
import { anthropicMessages } from './anthropic-messages/index.js';
import { gemini } from './gemini/index.js';
import { openaiChat } from './openai-chat/index.js';
import { openaiResponses } from './openai-responses/index.js';
import type { EgressFormat, IngressFormat } from './types.js';
import { readFileSync } from 'node:fs';
import type { SseFrame } from '../sse/frame.js';

const ROUNDS = 400;
const INGRESS: IngressFormat[] = [openaiChat, anthropicMessages, openaiResponses];
const EGRESS: EgressFormat[] = [openaiChat, anthropicMessages, gemini];

const image = 'data:image/png;base64,iVBORw0KGgo=';
const REQUESTS: Record<string, unknown> = {
  'openai-chat': {
    model: 'chat', max_tokens: 50, temperature: 0.5, stop: ['x'], tool_choice: 'auto', stream_options: { include_usage: true },
    tools: [{ type: 'function', function: { name: 'f', description: 'd', parameters: { type: 'object', properties: { a: { type: 'string' } } } } }],
    messages: [
      { role: 'system', content: 'sys' },
      { role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'image_url', image_url: { url: image, detail: 'low' } }] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":"b"}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'result' },
      { role: 'user', content: 'again' },
    ],
  },
  'anthropic-messages': {
    model: 'claude', max_tokens: 100, system: [{ type: 'text', text: 'sys' }], stop_sequences: ['x'], temperature: 0.1, tool_choice: { type: 'auto' },
    tools: [{ name: 'f', description: 'd', input_schema: { type: 'object', properties: {} } }],
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } }] },
      { role: 'assistant', content: [{ type: 'text', text: 'ok' }, { type: 'tool_use', id: 't1', name: 'f', input: { a: 1 } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'r' }] }] },
    ],
  },
  'openai-responses': {
    model: 'chat', instructions: 'be brief', max_output_tokens: 50, tools: [{ type: 'function', name: 'f', parameters: { type: 'object' } }],
    input: [
      { role: 'user', content: [{ type: 'input_text', text: 'hi' }, { type: 'input_image', image_url: image }] },
      { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' },
      { type: 'function_call_output', call_id: 'c1', output: 'r' },
    ],
  },
};

const ANSWERS: Record<string, unknown> = {
  'openai-chat': {
    id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', content: 'hi', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] }, finish_reason: 'tool_calls' }],
    usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
  },
  'anthropic-messages': {
    id: 'msg_1', type: 'message', role: 'assistant', model: 'm', stop_reason: 'tool_use', stop_sequence: null,
    content: [{ type: 'text', text: 'hi' }, { type: 'tool_use', id: 't', name: 'f', input: {} }],
    usage: { input_tokens: 1, output_tokens: 2 },
  },
  gemini: {
    candidates: [{ content: { parts: [{ text: 'hi' }, { functionCall: { name: 'f', args: {} } }], role: 'model' }, finishReason: 'STOP' }],
    usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 2, totalTokenCount: 3 },
  },
};

const ERROR_BODY = { type: 'error', error: { message: 'm', type: 'overloaded_error', code: 429, status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1s' }] } };

const lines = (url: URL) => readFileSync(url, 'utf8').split('\n').filter((l) => l.trim() !== '');
const dataFrame = (data: string): SseFrame => ({ data, raw: Buffer.from(`data: ${data}\n\n`) });
const STREAMS: Record<string, SseFrame[]> = {
  'openai-chat': lines(new URL('./openai-chat/__fixtures__/openai-tool-calls.chunks.txt', import.meta.url)).map(dataFrame),
  'anthropic-messages': readChunks('tool-use.chunks.txt').flatMap(framesOf),
  gemini: lines(new URL('./gemini/__fixtures__/function-call.chunks.txt', import.meta.url)).map(dataFrame),
};

/** Run `f`; a throw must be a GatewayError that `ok` accepts. */
function expectTyped(what: string, input: unknown, f: () => void, ok: (e: GatewayError) => boolean): boolean {
  try {
    f();
    return true;
  } catch (e) {
    const shown = JSON.stringify(input).slice(0, 400);
    assert.ok(e instanceof GatewayError, `${what} threw ${String(e)} for ${shown}`);
    assert.ok(ok(e), `${what}: ${e.kind} ${e.status} "${e.message}" for ${shown}`);
    return false;
  }
}

const clientError = (e: GatewayError) => e.kind === 'client_error' && e.status === 400;
const upstreamFailure = (e: GatewayError) => e.kind !== 'client_error' && e.status >= 429;
const plain = openaiChat.decodeRequest({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], tools: [{ type: 'function', function: { name: 'f' } }] });

for (const ingress of INGRESS) {
  test(`${ingress.name}: a broken client body is a 400 naming the field, and what decodes encodes for every upstream`, () => {
    const random = seeded(20261203);
    let decoded = 0;
    let refused = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const body = mutate(REQUESTS[ingress.name], random);
      let req: ChatRequest | undefined;
      const ok = expectTyped('decodeRequest', body, () => void (req = ingress.decodeRequest(body)), (e) => clientError(e) && typeof e.param === 'string' && e.param !== '');
      if (!ok) {
        refused++;
        continue;
      }
      decoded++;
      for (const egress of EGRESS) expectTyped(`${egress.name} encodeRequest`, body, () => void egress.encodeRequest(req!, 'm'), clientError);
    }
    // Both paths were exercised: some bodies are still valid, most are not.
    assert.ok(decoded > 10 && refused > ROUNDS / 2, `decoded ${decoded}, refused ${refused}`);
  });
}

for (const egress of EGRESS) {
  test(`${egress.name}: a broken upstream answer, stream or error is an upstream failure, and what decodes encodes for every client`, () => {
    const random = seeded(42);
    const encodeAll = (res: ChatResponse) => {
      for (const ingress of INGRESS) JSON.stringify(ingress.encodeResponse(res, plain));
    };
    for (let i = 0; i < ROUNDS; i++) {
      const body = mutate(ANSWERS[egress.name], random);
      let res: ChatResponse | undefined;
      if (expectTyped('decodeResponse', body, () => void (res = egress.decodeResponse(body)), upstreamFailure)) encodeAll(res!);
    }

    const frames = STREAMS[egress.name]!;
    const json = frames.flatMap((f, j) => (f.data.startsWith('{') ? [j] : []));
    for (let i = 0; i < ROUNDS; i++) {
      const broken = json[Math.floor(random() * json.length)]!;
      const sent = frames.map((f, j) => (j === broken ? { ...f, data: JSON.stringify(mutate(JSON.parse(f.data), random)) } : f));
      const events: StreamEvent[] = [];
      const decoder = egress.createStreamDecoder();
      expectTyped('stream', sent[broken]!.data, () => {
        for (const f of sent) events.push(...decoder.push(f));
        events.push(...decoder.end());
      }, upstreamFailure);
      for (const ingress of INGRESS) {
        const encoder = ingress.createStreamEncoder(plain);
        for (const ev of events) encoder.encode(ev);
        encoder.end();
      }
    }

    for (let i = 0; i < ROUNDS / 4; i++) {
      const body = mutate(ERROR_BODY, random);
      const status = [400, 401, 403, 404, 408, 413, 422, 429, 500, 502, 503, 504, 529][i % 13]!;
      const retryAfter = ['1', 'x', '-5', '1e400', 'Wed, 21 Oct 2015 07:28:00 GMT', ''][i % 6]!;
      const text = i % 5 === 0 ? '<html><body>502 Bad Gateway</body>' : JSON.stringify(body);
      const e = egress.decodeError({ status, header: (h) => (h === 'retry-after' ? retryAfter : undefined), body: text, provider: 'p' });
      assert.ok(e instanceof GatewayError, `decodeError(${status}, ${text})`);
      assert.equal(e.upstreamStatus ?? e.status, status, 'the upstream status is kept');
      for (const ingress of INGRESS) JSON.stringify(ingress.encodeError(e).body);
    }
  });
}
