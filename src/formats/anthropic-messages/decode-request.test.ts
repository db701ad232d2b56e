import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../core/errors.js';
import { anthropicMessages } from './index.js';

const base = { model: 'claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user', content: 'Hello' }] };

function rejects(body: unknown, param: string, message?: RegExp): void {
  assert.throws(
    () => anthropicMessages.decodeRequest(body),
    (e: unknown) => {
      assert.ok(e instanceof GatewayError);
      assert.equal(e.status, 400);
      assert.equal(e.kind, 'client_error');
      assert.equal(e.param, param);
      if (message) assert.match(e.message, message);
      return true;
    },
  );
}

test('a minimal request decodes; Anthropic always reports usage', () => {
  const r = anthropicMessages.decodeRequest(base);
  assert.deepEqual(r, { model: 'claude-sonnet-4-5', maxTokens: 256, stream: false, includeUsage: true, messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }] });
});

test('max_tokens is required, as Anthropic requires', () => {
  rejects({ model: 'm', messages: base.messages }, 'max_tokens', /^max_tokens: Field required$/);
  rejects({ ...base, max_tokens: 0 }, 'max_tokens');
  rejects({ ...base, max_tokens: 1.5 }, 'max_tokens');
});

test('model and messages are required and checked', () => {
  rejects({ max_tokens: 5, messages: base.messages }, 'model', /Field required/);
  rejects({ model: 'm', max_tokens: 5 }, 'messages', /Field required/);
  rejects({ ...base, messages: [] }, 'messages');
  rejects({ ...base, messages: [{ role: 'system', content: 'x' }] }, 'messages[0].role', /top-level system/);
  rejects({ ...base, messages: [{ role: 'user', content: 42 }] }, 'messages[0].content');
  rejects({ ...base, messages: [{ role: 'user', content: [{ type: 'text' }] }] }, 'messages[0].content[0].text');
});

test('system as string or text blocks becomes one leading system message', () => {
  const a = anthropicMessages.decodeRequest({ ...base, system: 'Be brief.' });
  assert.deepEqual(a.messages[0], { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] });
  const b = anthropicMessages.decodeRequest({ ...base, system: [{ type: 'text', text: 'A', cache_control: { type: 'ephemeral' } }, { type: 'text', text: 'B' }] });
  assert.deepEqual(b.messages[0], { role: 'system', content: [{ type: 'text', text: 'A' }, { type: 'text', text: 'B' }] });
  rejects({ ...base, system: [{ type: 'image' }] }, 'system[0].type');
});

test('images: base64 and url sources', () => {
  const r = anthropicMessages.decodeRequest({
    ...base,
    messages: [{ role: 'user', content: [
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
      { type: 'text', text: 'What is this?' },
    ] }],
  });
  assert.deepEqual(r.messages[0], { role: 'user', content: [
    { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBOR' } },
    { type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' }, path: 'messages[0].content[1].source.url' },
    { type: 'text', text: 'What is this?' },
  ] });
  rejects({ ...base, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'f' } }] }] }, 'messages[0].content[0].source.type');
});

test('tool use and tool results: results become tool messages, followed by the turn\'s text', () => {
  const r = anthropicMessages.decodeRequest({
    ...base,
    messages: [
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: [{ type: 'text', text: 'Checking.' }, { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] },
      { role: 'user', content: [
        { type: 'tool_result', tool_use_id: 'toolu_1', content: '18C' },
        { type: 'tool_result', tool_use_id: 'toolu_2', content: [{ type: 'text', text: 'boom' }], is_error: true },
        { type: 'text', text: 'Thanks' },
      ] },
    ],
  });
  assert.deepEqual(r.messages.slice(1), [
    { role: 'assistant', content: [{ type: 'text', text: 'Checking.' }], toolCalls: [{ id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' }] },
    { role: 'tool', toolCallId: 'toolu_1', content: [{ type: 'text', text: '18C' }] },
    { role: 'tool', toolCallId: 'toolu_2', content: [{ type: 'text', text: 'boom' }], isError: true },
    { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
  ]);
  rejects({ ...base, messages: [{ role: 'user', content: [{ type: 'tool_use', id: 'a', name: 'b', input: {} }] }] }, 'messages[0].content[0].type', /assistant/);
  rejects({ ...base, messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 'b', input: 'x' }] }] }, 'messages[0].content[0].input');
});

test('tools, tool_choice and disable_parallel_tool_use', () => {
  const r = anthropicMessages.decodeRequest({
    ...base,
    tools: [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
    tool_choice: { type: 'any', disable_parallel_tool_use: true },
  });
  assert.deepEqual(r.tools, [{ name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }]);
  assert.equal(r.toolChoice, 'required');
  assert.equal(r.parallelToolCalls, false);
  assert.deepEqual(anthropicMessages.decodeRequest({ ...base, tool_choice: { type: 'tool', name: 'f' } }).toolChoice, { name: 'f' });
  assert.equal(anthropicMessages.decodeRequest({ ...base, tool_choice: { type: 'none' } }).toolChoice, 'none');
  assert.equal(anthropicMessages.decodeRequest({ ...base, tool_choice: { type: 'auto' } }).toolChoice, 'auto');
  rejects({ ...base, tool_choice: { type: 'tool' } }, 'tool_choice.name');
  rejects({ ...base, tool_choice: { type: 'sometimes' } }, 'tool_choice.type');
  rejects({ ...base, tools: [{ name: 'f' }] }, 'tools[0].input_schema');
});

test('server tools are refused with a clear 400, not dropped', () => {
  rejects({ ...base, tools: [{ type: 'web_search_20250305', name: 'web_search' }] }, 'tools[0].type', /server tool 'web_search_20250305'/);
});

test('thinking (param or blocks) is refused as not supported yet', () => {
  rejects({ ...base, thinking: { type: 'enabled', budget_tokens: 1024 } }, 'thinking', /not supported yet/);
  assert.doesNotThrow(() => anthropicMessages.decodeRequest({ ...base, thinking: { type: 'disabled' } }));
  rejects({ ...base, messages: [{ role: 'assistant', content: [{ type: 'thinking', thinking: 'x', signature: 's' }] }] }, 'messages[0].content[0].type', /thinking blocks are not supported yet/);
});

test('sampling, stop sequences, stream and metadata.user_id', () => {
  const r = anthropicMessages.decodeRequest({ ...base, temperature: 0.2, top_p: 0.9, stop_sequences: ['END'], stream: true, metadata: { user_id: 'u-1' }, top_k: 5, service_tier: 'auto' });
  assert.equal(r.temperature, 0.2);
  assert.equal(r.topP, 0.9);
  assert.deepEqual(r.stop, ['END']);
  assert.equal(r.stream, true);
  assert.equal(r.user, 'u-1');
  rejects({ ...base, temperature: 1.5 }, 'temperature');
  rejects({ ...base, stop_sequences: 'END' }, 'stop_sequences');
  rejects({ ...base, stream: 'yes' }, 'stream');
  rejects({ ...base, metadata: { user_id: 7 } }, 'metadata.user_id');
});

test('a body that is not an object is a 400', () => {
  assert.throws(() => anthropicMessages.decodeRequest([]), (e: unknown) => e instanceof GatewayError && e.status === 400);
});

test('output_config: a JSON schema and an effort go canonical, named as the client wrote them', () => {
  const schema = { type: 'object', properties: { answer: { type: 'number' } }, required: ['answer'], additionalProperties: false };
  const req = anthropicMessages.decodeRequest({ ...base, output_config: { format: { type: 'json_schema', schema }, effort: 'high' } });
  assert.deepEqual(req.responseFormat, { type: 'json_schema', name: 'output', schema, strict: true });
  assert.equal(req.reasoningEffort, 'high');
  assert.deepEqual(req.paths, { responseFormat: 'output_config.format', reasoningEffort: 'output_config.effort' });
  // The beta API's older spelling is the same constraint.
  assert.deepEqual(anthropicMessages.decodeRequest({ ...base, output_format: { type: 'json_schema', schema } }).paths, { responseFormat: 'output_format' });
  assert.equal(anthropicMessages.decodeRequest({ ...base, output_config: { format: null, effort: null } }).responseFormat, undefined);
  rejects({ ...base, output_config: { format: { type: 'json_object' } } }, 'output_config.format.type', /'json_schema'/);
  rejects({ ...base, output_config: { format: { type: 'json_schema' } } }, 'output_config.format.schema', /Field required/);
  rejects({ ...base, output_config: { effort: 'extreme' } }, 'output_config.effort', /'low', 'medium', 'high', 'xhigh', 'max'/);
  rejects({ ...base, output_config: 'json' }, 'output_config', /dictionary/);
});
