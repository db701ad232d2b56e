import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatRequest } from '../../core/request.js';
import { openaiChat } from './index.js';

const completion = {
  id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
  object: 'chat.completion',
  created: 1741569952,
  model: 'gpt-4.1-2025-04-14',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        refusal: null,
        annotations: [],
        tool_calls: [{ id: 'call_a1', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Paris"}' } }],
      },
      logprobs: null,
      finish_reason: 'tool_calls',
    },
  ],
  usage: { prompt_tokens: 19, completion_tokens: 10, total_tokens: 29, prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 } },
  service_tier: 'default',
  system_fingerprint: 'fp_ef015fa747',
};

test('decodes an upstream chat.completion and re-encodes it in the same shape', () => {
  const res = openaiChat.decodeResponse(completion);
  assert.deepEqual(res, {
    id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
    model: 'gpt-4.1-2025-04-14',
    created: 1741569952,
    text: '',
    toolCalls: [{ id: 'call_a1', name: 'get_weather', arguments: '{"location":"Paris"}' }],
    finishReason: 'tool_calls',
    usage: { inputTokens: 19, outputTokens: 10, cachedInputTokens: 0 },
  });
  const req: ChatRequest = { model: 'smart', messages: [], stream: false, includeUsage: false };
  assert.deepEqual(openaiChat.encodeResponse(res, req), {
    id: completion.id,
    object: 'chat.completion',
    created: completion.created,
    model: 'gpt-4.1-2025-04-14', // the upstream model, not the alias
    choices: [{ index: 0, message: { role: 'assistant', content: null, refusal: null, tool_calls: completion.choices[0]!.message.tool_calls }, logprobs: null, finish_reason: 'tool_calls' }],
    usage: { prompt_tokens: 19, completion_tokens: 10, total_tokens: 29, prompt_tokens_details: { cached_tokens: 0 } },
  });
});

test('stop_sequence is stop to OpenAI clients', () => {
  const body = openaiChat.encodeResponse(
    { id: 'x', model: 'claude', created: 1, text: 'hi', toolCalls: [], finishReason: 'stop_sequence', stopSequence: 'END', usage: { inputTokens: 1, outputTokens: 1 } },
    { model: 'a', messages: [], stream: false, includeUsage: false },
  ) as { choices: Array<{ finish_reason: string; message: { content: string } }> };
  assert.equal(body.choices[0]!.finish_reason, 'stop');
  assert.equal(body.choices[0]!.message.content, 'hi');
});

test('a malformed upstream body is a typed 502', () => {
  assert.throws(() => openaiChat.decodeResponse({ object: 'chat.completion' }), { code: 'upstream_malformed', status: 502 });
});

test('encodeRequest: canonical -> OpenAI body', () => {
  const req: ChatRequest = {
    model: 'alias',
    messages: [
      { role: 'system', content: [{ type: 'text', text: 'sys' }] },
      { role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAAA' }, detail: 'high' }] },
      { role: 'assistant', content: [], toolCalls: [{ id: 'c1', name: 'f', arguments: '{}' }] },
      { role: 'tool', toolCallId: 'c1', content: [{ type: 'text', text: 'done' }] },
    ],
    tools: [{ name: 'f', parameters: { type: 'object' } }],
    toolChoice: 'required',
    maxTokens: 50,
    stop: ['x'],
    responseFormat: { type: 'json_object' },
    stream: true,
    includeUsage: true,
  };
  assert.deepEqual(openaiChat.encodeRequest(req, 'gpt-4o'), {
    model: 'gpt-4o',
    messages: [
      { role: 'system', content: 'sys' },
      { role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'high' } }] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'done' },
    ],
    tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
    tool_choice: 'required',
    max_completion_tokens: 50,
    stop: ['x'],
    response_format: { type: 'json_object' },
    stream: true,
    stream_options: { include_usage: true },
  });
  const plain = openaiChat.encodeRequest({ ...req, stream: true, includeUsage: false, tools: [], parallelToolCalls: true }, 'm');
  assert.equal('stream_options' in plain, false);
  // OpenAI 400s on tool_choice / parallel_tool_calls without tools.
  assert.equal('tool_choice' in plain, false);
  assert.equal('parallel_tool_calls' in plain, false);
  assert.throws(
    () => openaiChat.encodeRequest({ ...req, messages: [{ role: 'tool', toolCallId: 'c', content: [{ type: 'image', source: { kind: 'url', url: 'https://x' } }] }] }, 'm'),
    { status: 400, param: 'messages[0].content' },
  );
});
