/** Responses request decoding: what a client sends -> the canonical request, and every 400 with its param. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../core/errors.js';
import type { ChatRequest } from '../../core/request.js';
import { openaiResponses } from './index.js';

const decode = (body: unknown): ChatRequest => openaiResponses.decodeRequest(body);

/** Decoding must fail with a 400 naming `param`; returns the message for further checks. */
function rejects(body: unknown, param: string | undefined, message?: RegExp): string {
  try {
    decode(body);
  } catch (e) {
    assert.ok(e instanceof GatewayError, `expected GatewayError, got ${String(e)}`);
    assert.equal(e.status, 400);
    assert.equal(e.kind, 'client_error');
    assert.equal(e.param, param);
    if (message) assert.match(e.message, message);
    return e.message;
  }
  assert.fail(`expected a 400 for ${JSON.stringify(body)}`);
}

test('string input is one user message; streams always ask the upstream for usage', () => {
  assert.deepEqual(decode({ model: 'fast', input: 'Hello' }), {
    model: 'fast',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
    stream: false,
    includeUsage: true,
  });
  const s = decode({ model: 'fast', input: 'Hello', stream: true });
  assert.equal(s.stream, true);
  assert.equal(s.includeUsage, true);
});

test('instructions become a leading system message', () => {
  const r = decode({ model: 'm', instructions: 'Be brief.', input: [{ role: 'user', content: 'hi' }] });
  assert.deepEqual(r.messages, [
    { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
    { role: 'user', content: [{ type: 'text', text: 'hi' }] },
  ]);
});

test('message items with and without type, every role, input_text / input_image / output_text parts', () => {
  const r = decode({
    model: 'm',
    input: [
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'rules' }] },
      { role: 'system', content: 'more rules' },
      {
        role: 'user',
        content: [
          { type: 'input_text', text: 'what is this?' },
          { type: 'input_image', image_url: 'https://example.com/cat.png', detail: 'low' },
          { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'auto' },
        ],
      },
      // A replayed response.output message, as clients keep history.
      { type: 'message', id: 'msg_abc', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'A cat.', annotations: [] }] },
      { role: 'assistant', content: 'Plain string.' },
    ],
  });
  assert.deepEqual(r.messages, [
    { role: 'system', content: [{ type: 'text', text: 'rules' }] },
    { role: 'system', content: [{ type: 'text', text: 'more rules' }] },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'what is this?' },
        { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' }, detail: 'low', path: 'input[2].content[1].image_url' },
        { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' }, detail: 'auto' },
      ],
    },
    { role: 'assistant', content: [{ type: 'text', text: 'A cat.' }] },
    { role: 'assistant', content: [{ type: 'text', text: 'Plain string.' }] },
  ]);
});

test('function_call / function_call_output round trip: calls join the assistant turn, outputs become tool messages', () => {
  const r = decode({
    model: 'm',
    input: [
      { role: 'user', content: 'Weather in Paris and Oslo?' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.', annotations: [] }] },
      { type: 'function_call', id: 'fc_1', call_id: 'call_A', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' },
      { type: 'function_call', call_id: 'call_B', name: 'get_weather', arguments: '{"city":"Oslo"}' },
      { type: 'function_call_output', call_id: 'call_A', output: '18C' },
      { type: 'function_call_output', call_id: 'call_B', output: [{ type: 'input_text', text: '9C' }] },
    ],
  });
  assert.deepEqual(r.messages, [
    { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Oslo?' }] },
    {
      role: 'assistant',
      content: [{ type: 'text', text: 'Checking.' }],
      toolCalls: [
        { id: 'call_A', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { id: 'call_B', name: 'get_weather', arguments: '{"city":"Oslo"}' },
      ],
    },
    { role: 'tool', toolCallId: 'call_A', toolName: 'get_weather', content: [{ type: 'text', text: '18C' }] },
    { role: 'tool', toolCallId: 'call_B', toolName: 'get_weather', content: [{ type: 'text', text: '9C' }] },
  ]);
});

test('function_call items without preceding text form their own assistant turn', () => {
  const r = decode({
    model: 'm',
    input: [
      { role: 'user', content: 'go' },
      { type: 'function_call', call_id: 'c1', name: 'a', arguments: '{}' },
      { type: 'function_call', call_id: 'c2', name: 'b', arguments: '{}' },
      { type: 'function_call_output', call_id: 'c1', output: 'x' },
      { type: 'function_call_output', call_id: 'c2', output: 'y' },
      { type: 'function_call', call_id: 'c3', name: 'a', arguments: '{}' },
    ],
  });
  assert.deepEqual(
    r.messages.map((m) => [m.role, m.role === 'assistant' ? m.toolCalls?.map((c) => c.id) : undefined]),
    [['user', undefined], ['assistant', ['c1', 'c2']], ['tool', undefined], ['tool', undefined], ['assistant', ['c3']]],
  );
});

test('function tools, tool_choice, sampling, max_output_tokens, text.format, user', () => {
  const r = decode({
    model: 'm',
    input: 'hi',
    tools: [
      { type: 'function', name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: true },
      { type: 'function', name: 'now', parameters: null, strict: false },
    ],
    tool_choice: { type: 'function', name: 'get_weather' },
    parallel_tool_calls: false,
    max_output_tokens: 256,
    temperature: 0.2,
    top_p: 0.9,
    text: { format: { type: 'json_schema', name: 'weather', schema: { type: 'object' }, strict: true } },
    user: 'u-1',
    store: true,
  });
  assert.deepEqual(r.tools, [
    { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
    { name: 'now', parameters: { type: 'object', properties: {} } },
  ]);
  assert.deepEqual(r.toolChoice, { name: 'get_weather' });
  assert.equal(r.parallelToolCalls, false);
  assert.equal(r.maxTokens, 256);
  assert.equal(r.temperature, 0.2);
  assert.equal(r.topP, 0.9);
  assert.deepEqual(r.responseFormat, { type: 'json_schema', name: 'weather', schema: { type: 'object' }, strict: true });
  assert.equal(r.user, 'u-1');
  for (const c of ['auto', 'none', 'required'] as const) assert.equal(decode({ model: 'm', input: 'x', tool_choice: c }).toolChoice, c);
  assert.deepEqual(decode({ model: 'm', input: 'x', text: { format: { type: 'json_object' } } }).responseFormat, { type: 'json_object' });
});

test('SDK defaults and empty settings are accepted: store true/false, reasoning {}, include [], background false, nulls', () => {
  for (const extra of [{ store: true }, { store: false }, { reasoning: {} }, { reasoning: { effort: null } }, { include: [] }, { background: false }, { previous_response_id: null }, { temperature: null }]) {
    decode({ model: 'm', input: 'hi', ...extra });
  }
});

test('400: model and input', () => {
  rejects({ input: 'hi' }, 'model', /Missing required parameter: 'model'/);
  rejects({ model: '', input: 'hi' }, 'model');
  rejects({ model: 'm' }, 'input', /Missing required parameter: 'input'/);
  rejects({ model: 'm', input: [] }, 'input', /empty array/);
  rejects({ model: 'm', input: 42 }, 'input');
  rejects('not an object', undefined, /JSON object/);
});

test('400: server-side state is named, with what to do instead', () => {
  rejects({ model: 'm', input: 'hi', previous_response_id: 'resp_123' }, 'previous_response_id', /previous_response_id.*not supported yet.*server-side conversation state.*full conversation in 'input'/);
  rejects({ model: 'm', input: 'hi', conversation: 'conv_1' }, 'conversation', /server-side conversation state/);
  rejects({ model: 'm', input: 'hi', prompt: { id: 'pmpt_1' } }, 'prompt');
  rejects({ model: 'm', input: 'hi', background: true }, 'background', /not supported yet/);
  rejects({ model: 'm', input: [{ type: 'item_reference', id: 'msg_1' }] }, 'input[0].type', /server-side conversation state/);
});

test('reasoning.effort is carried, named as the client wrote it; text.format likewise', () => {
  const req = decode({ model: 'm', input: 'hi', reasoning: { effort: 'high' }, text: { format: { type: 'json_object' } } });
  assert.equal(req.reasoningEffort, 'high');
  assert.deepEqual(req.responseFormat, { type: 'json_object' });
  assert.deepEqual(req.paths, { responseFormat: 'text.format', reasoningEffort: 'reasoning.effort' });
});

test('400: options that would change the kind of answer', () => {
  rejects({ model: 'm', input: 'hi', reasoning: { effort: 'high', summary: 'auto' } }, 'reasoning.summary', /reasoning summaries.*'reasoning\.effort' is supported/);
  rejects({ model: 'm', input: 'hi', reasoning: { generate_summary: 'concise' } }, 'reasoning.generate_summary');
  rejects({ model: 'm', input: 'hi', reasoning: { effort: 'extreme' } }, 'reasoning.effort', /'extreme'/);
  rejects({ model: 'm', input: 'hi', include: ['reasoning.encrypted_content'] }, 'include', /reasoning\.encrypted_content/);
  rejects({ model: 'm', input: 'hi', top_logprobs: 3 }, 'top_logprobs');
});

test('400: built-in and custom tools, tool_choice of a hosted tool', () => {
  for (const type of ['web_search', 'web_search_preview', 'file_search', 'computer_use_preview', 'code_interpreter', 'image_generation', 'mcp']) {
    rejects({ model: 'm', input: 'hi', tools: [{ type }] }, 'tools[0].type', new RegExp(`built-in tool '${type}' is not supported yet`));
  }
  rejects({ model: 'm', input: 'hi', tools: [{ type: 'function', name: 'ok', parameters: {} }, { type: 'custom', name: 'x' }] }, 'tools[1].type', /custom/);
  rejects({ model: 'm', input: 'hi', tools: [{ type: 'function', parameters: {} }] }, 'tools[0].name', /Missing required/);
  rejects({ model: 'm', input: 'hi', tools: [{ type: 'function', name: 'has space' }] }, 'tools[0].name');
  rejects({ model: 'm', input: 'hi', tools: [{ type: 'function', name: 'f', parameters: 'x' }] }, 'tools[0].parameters');
  rejects({ model: 'm', input: 'hi', tool_choice: 'sometimes' }, 'tool_choice');
  rejects({ model: 'm', input: 'hi', tool_choice: { type: 'web_search_preview' } }, 'tool_choice.type', /not supported yet/);
  rejects({ model: 'm', input: 'hi', tool_choice: { type: 'function' } }, 'tool_choice.name');
});

test('400: sampling and format parameters', () => {
  rejects({ model: 'm', input: 'hi', max_output_tokens: 8 }, 'max_output_tokens', />= 16/);
  rejects({ model: 'm', input: 'hi', max_output_tokens: 1.5 }, 'max_output_tokens');
  rejects({ model: 'm', input: 'hi', temperature: 3 }, 'temperature');
  rejects({ model: 'm', input: 'hi', top_p: -1 }, 'top_p');
  rejects({ model: 'm', input: 'hi', stream: 'yes' }, 'stream');
  rejects({ model: 'm', input: 'hi', store: 'yes' }, 'store');
  rejects({ model: 'm', input: 'hi', user: 7 }, 'user');
  rejects({ model: 'm', input: 'hi', text: { format: { type: 'yaml' } } }, 'text.format.type');
  rejects({ model: 'm', input: 'hi', text: { format: { type: 'json_schema', schema: {} } } }, 'text.format.name');
  rejects({ model: 'm', input: 'hi', text: { format: { type: 'json_schema', name: 'x' } } }, 'text.format.schema', /Missing required/);
});

test('400: input items name the exact field', () => {
  rejects({ model: 'm', input: ['hi'] }, 'input[0]');
  rejects({ model: 'm', input: [{ role: 'tool', content: 'x' }] }, 'input[0].role');
  rejects({ model: 'm', input: [{ role: 'user' }] }, 'input[0].content', /Missing required/);
  rejects({ model: 'm', input: [{ role: 'user', content: [{ type: 'output_text', text: 'x' }] }] }, 'input[0].content[0].type');
  rejects({ model: 'm', input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'f' }] }] }, 'input[0].content[0].type', /not supported/);
  rejects({ model: 'm', input: [{ role: 'user', content: [{ type: 'input_image', image_url: 'ftp://x/y.png' }] }] }, 'input[0].content[0].image_url');
  rejects({ model: 'm', input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file-1' }] }] }, 'input[0].content[0].file_id');
  rejects({ model: 'm', input: [{ role: 'user', content: [{ type: 'input_image', image_url: 'https://x/y.png', detail: 'max' }] }] }, 'input[0].content[0].detail');
  rejects({ model: 'm', input: [{ role: 'system', content: [{ type: 'input_image', image_url: 'https://x/y.png' }] }] }, 'input[0].content[0].type');
  rejects({ model: 'm', input: [{ role: 'assistant', content: [{ type: 'output_text' }] }] }, 'input[0].content[0].text');
  rejects({ model: 'm', input: [{ type: 'function_call', name: 'f', arguments: '{}' }] }, 'input[0].call_id');
  rejects({ model: 'm', input: [{ type: 'function_call', call_id: 'c', name: 'f', arguments: { a: 1 } }] }, 'input[0].arguments');
  rejects({ model: 'm', input: [{ type: 'function_call_output', call_id: 'nope', output: 'x' }] }, 'input[0].call_id', /No tool call found.*nope/);
  rejects({ model: 'm', input: [{ type: 'function_call', call_id: 'c', name: 'f', arguments: '{}' }, { type: 'function_call_output', call_id: 'c' }] }, 'input[1].output');
  rejects({ model: 'm', input: [{ type: 'reasoning', summary: [] }] }, 'input[0].type', /reasoning items are not supported yet/);
  rejects({ model: 'm', input: [{ type: 'web_search_call', id: 'ws_1' }] }, 'input[0].type', /'web_search_call' is not supported yet/);
});
