import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../core/errors.js';
import { openaiChat } from './index.js';

const ok = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] };

/** Assert a 400 naming `param`, with a message matching `msg`. */
function rejects(body: unknown, param: string | undefined, msg: RegExp): void {
  assert.throws(
    () => openaiChat.decodeRequest(body),
    (e: unknown) => {
      assert.ok(e instanceof GatewayError);
      assert.equal(e.status, 400);
      assert.equal(e.kind, 'client_error');
      assert.equal(e.param, param);
      assert.match(e.message, msg);
      return true;
    },
  );
}

test('decodes a full request', () => {
  const req = openaiChat.decodeRequest({
    model: 'gpt-4o',
    messages: [
      { role: 'developer', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0K', detail: 'low' } }] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'look', arguments: '{"x":1}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: 'a cat' },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] },
    ],
    tools: [{ type: 'function', function: { name: 'look', description: 'Look', parameters: { type: 'object', properties: {} }, strict: true } }],
    tool_choice: { type: 'function', function: { name: 'look' } },
    parallel_tool_calls: false,
    max_completion_tokens: 100,
    max_tokens: 5,
    temperature: 0.5,
    top_p: 1,
    stop: 'END',
    seed: 7,
    response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' }, strict: true } },
    stream: true,
    stream_options: { include_usage: true },
    user: 'u-1',
    n: 1,
    logit_bias: { '50256': -100 }, // no canonical form: only an OpenAI-format target may take it
    reasoning_effort: 'low',
    prediction: { type: 'content', content: 'x' }, // a latency hint: ignored
  });
  assert.deepEqual(req, {
    model: 'gpt-4o',
    messages: [
      { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0K' }, detail: 'low' }] },
      { role: 'assistant', content: [], toolCalls: [{ id: 'call_1', name: 'look', arguments: '{"x":1}' }] },
      { role: 'tool', toolCallId: 'call_1', content: [{ type: 'text', text: 'a cat' }] },
      { role: 'user', content: [{ type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' }, path: 'messages[4].content[0].image_url.url' }] },
    ],
    stream: true,
    includeUsage: true,
    tools: [{ name: 'look', description: 'Look', parameters: { type: 'object', properties: {} } }],
    toolChoice: { name: 'look' },
    parallelToolCalls: false,
    maxTokens: 100, // max_completion_tokens wins over the deprecated max_tokens
    temperature: 0.5,
    topP: 1,
    stop: ['END'],
    seed: 7,
    responseFormat: { type: 'json_schema', name: 'x', schema: { type: 'object' }, strict: true },
    user: 'u-1',
    reasoningEffort: 'low',
    sameFormatOnly: ['logit_bias'],
  });
});

test('null optional fields count as absent; include_usage without stream is ignored', () => {
  const req = openaiChat.decodeRequest({ ...ok, temperature: null, stop: null, tools: null, stream_options: { include_usage: true } });
  assert.deepEqual(req, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], stream: false, includeUsage: false });
});

test('rejects bad requests with a 400 naming the field', () => {
  rejects([], undefined, /JSON object/);
  rejects({ messages: ok.messages }, 'model', /Missing required parameter: 'model'/);
  rejects({ ...ok, model: 3 }, 'model', /expected a string/);
  rejects({ model: 'm' }, 'messages', /Missing required parameter: 'messages'/);
  rejects({ model: 'm', messages: [] }, 'messages', /empty array/);
  rejects({ model: 'm', messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role', /'robot'/);
  rejects({ model: 'm', messages: [ok.messages[0], ok.messages[0], { role: 'user', content: 5 }] }, 'messages[2].content', /string or an array/);
  rejects(
    { model: 'm', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: '', format: 'wav' } }] }] },
    'messages[0].content[0].type',
    /input_audio parts are not supported/,
  );
  rejects({ model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://x/y.png' } }] }] }, 'messages[0].content[0].image_url.url', /http\(s\) URL or a base64 data: URL/);
  rejects({ model: 'm', messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id', /Missing required parameter/);
  rejects(
    { model: 'm', messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'custom', custom: {} }] }] },
    'messages[0].tool_calls[0].type',
    /'custom'/,
  );
  rejects({ model: 'm', messages: [{ role: 'system', content: [{ type: 'image_url', image_url: { url: 'https://x' } }] }] }, 'messages[0].content[0].type', /only text parts/);
  rejects({ ...ok, tools: [{ type: 'function', function: { description: 'no name' } }] }, 'tools[0].function.name', /Missing required/);
  rejects({ ...ok, tool_choice: 'always' }, 'tool_choice', /'always'/);
  rejects({ ...ok, max_tokens: 0 }, 'max_tokens', />= 1/);
  rejects({ ...ok, max_completion_tokens: 1.5 }, 'max_completion_tokens', /integer/);
  rejects({ ...ok, temperature: 3 }, 'temperature', /out of range/);
  rejects({ ...ok, top_p: '1' }, 'top_p', /expected a number/);
  rejects({ ...ok, stop: ['a', 2] }, 'stop[1]', /expected a string/);
  rejects({ ...ok, response_format: { type: 'xml' } }, 'response_format.type', /'xml'/);
  rejects({ ...ok, response_format: { type: 'json_schema', json_schema: {} } }, 'response_format.json_schema.name', /Missing/);
  rejects({ ...ok, stream: 'yes' }, 'stream', /boolean/);
  rejects({ ...ok, n: 2 }, 'n', /only n=1 is supported/);
  rejects({ ...ok, functions: [{ name: 'f' }] }, 'functions', /use 'tools'/);
  rejects({ ...ok, reasoning_effort: 'extreme' }, 'reasoning_effort', /'extreme'.*'minimal', 'low', 'medium', 'high'/);
});

test('fields asking for output the canonical answer cannot carry are kept by name, for the targets to judge', () => {
  const only = (extra: Record<string, unknown>) => openaiChat.decodeRequest({ ...ok, ...extra }).sameFormatOnly;
  assert.deepEqual(only({ logprobs: true, top_logprobs: 3 }), ['logprobs']);
  assert.deepEqual(only({ modalities: ['text', 'audio'], audio: { voice: 'alloy', format: 'wav' } }), ['modalities']);
  assert.deepEqual(only({ web_search_options: {}, logit_bias: { '1': 5 } }), ['web_search_options', 'logit_bias']);
  // What asks for nothing (LangChain and the SDKs send some of these by default) changes nothing.
  assert.equal(only({ logprobs: false, top_logprobs: 0, modalities: ['text'], logit_bias: {}, frequency_penalty: 0, presence_penalty: 0 }), undefined);
});

test('reasoning_effort: every documented value is carried', () => {
  for (const effort of ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max']) {
    assert.equal(openaiChat.decodeRequest({ ...ok, reasoning_effort: effort }).reasoningEffort, effort);
  }
});
