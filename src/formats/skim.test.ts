import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SkimKind } from '../sse/parser.js';
import { readFileSync } from 'node:fs';
import { skimDataFrame, skimDataFrameHead, skimEventFrame, skimParsedFrame } from './skim.js';
import { OpenAIStreamDecoder } from './openai-chat/stream-decoder.js';
import { AnthropicStreamDecoder } from './anthropic-messages/stream-decoder.js';

const openai = (frame: string): SkimKind => skimParsedFrame(skimDataFrame, Buffer.from(frame));
const anthropic = (frame: string): SkimKind => skimParsedFrame(skimEventFrame('message_stop', ['error']), Buffer.from(frame));

test('skimming OpenAI frames: whole JSON objects pass; truncated, non-object and error frames are suspect', () => {
  assert.equal(openai('data: {"id":"x","choices":[]}\n\n'), 'data');
  assert.equal(openai('data: {"id":"x","choices":[{"delta":{"content":"oops"\n\n'), 'suspect', 'truncated frame');
  assert.equal(openai('data: [1,2]\n\n'), 'suspect');
  assert.equal(openai('data: \n\n'), 'suspect');
  assert.equal(openai('data: {"error":{"message":"boom"}}\n\n'), 'suspect', 'an in-stream error is decoded for real');
  assert.equal(openai('data: { "error" : {}}\n\n'), 'suspect');
  assert.equal(openai('data: {"id":"x","choices":[{"delta":{"content":"an error: none"}}]}\n\n'), 'data');
  assert.equal(openai('data: [DONE]\n\n'), 'end');
  assert.equal(openai('data: {"a":1}\ndata: {"b":2}\n\n'), 'suspect', 'multi-line data is decoded for real');
  assert.equal(openai('data: {"a":1}\r\n\r\n'), 'suspect', 'CRLF frames are decoded for real');
  assert.equal(openai(': keep-alive\n\n'), 'suspect');
});

test('skimming Anthropic frames: message_stop ends, error events and odd layouts are suspect', () => {
  assert.equal(anthropic('event: content_block_delta\ndata: {"type":"content_block_delta"}\n\n'), 'data');
  assert.equal(anthropic('event: message_stop\ndata: {"type":"message_stop"}\n\n'), 'end');
  assert.equal(anthropic('event: error\ndata: {"type":"error","error":{"type":"overloaded_error"}}\n\n'), 'suspect');
  assert.equal(anthropic('event: content_block_delta\ndata: {"type":"content_bl\n\n'), 'suspect', 'truncated');
  assert.equal(anthropic('data: {"type":"ping"}\n\n'), 'suspect', 'no event line');
  assert.equal(anthropic('event: message_stop\ndata: [DONE]\n\n'), 'suspect');
});

test('the stream decoders skim their own formats', () => {
  const done = Buffer.from('data: [DONE]\n\n');
  assert.equal(new OpenAIStreamDecoder().skim(done, 0, done.length - 2, 1, done.length), 'end');
  const stop = Buffer.from('event: message_stop\ndata: {"type":"message_stop"}\n\n');
  assert.equal(new AnthropicStreamDecoder().skim(stop, 0, stop.indexOf(0x0a), 2, stop.length), 'end');
});

const head = (data: string): SkimKind => skimParsedFrame(skimDataFrameHead, Buffer.from(`data: ${data}\n\n`));

test('before the first token, OpenAI frames that show part of the answer are tokens, others plain data', () => {
  assert.equal(head('{"choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"finish_reason":null}]}'), 'data');
  assert.equal(head('{"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}'), 'token');
  assert.equal(head('{"choices":[{"index":0,"delta":{"content" : "Hi"}}]}'), 'token', 'spaces around the colon');
  assert.equal(head('{"choices":[{"delta":{"refusal":"No."}}]}'), 'token');
  assert.equal(head('{"choices":[{"delta":{"tool_calls":[{"index":0,"id":"c","function":{"name":"f","arguments":""}}]}}]}'), 'token');
  assert.equal(head('{"choices":[{"delta":{"tool_calls":[]}}]}'), 'data');
  assert.equal(head('{"choices":[{"delta":{},"finish_reason":"stop"}]}'), 'token');
  assert.equal(head('{"choices":[],"usage":{"prompt_tokens":3}}'), 'data');
  // A matching string value is not a key: no colon follows it.
  assert.equal(head('{"choices":[{"delta":{"role":"content","content":null}}]}'), 'data');
  // Quotes inside values are escaped, so a key pattern inside text never matches.
  assert.equal(head('{"choices":[{"delta":{"content":""},"x":"say \\"content\\":\\"a\\""}]}'), 'data');
  // Shapes the bytes can't judge are decoded for real.
  assert.equal(head('{"choices":[{"delta":{"content":[{"type":"text","text":"Hi"}]}}]}'), 'suspect');
  assert.equal(head('{"choices":[{"delta":{"tool_calls":{"index":0}}}]}'), 'suspect');
  assert.equal(head('{"error":{"message":"boom"}}'), 'suspect');
  assert.equal(skimParsedFrame(skimDataFrameHead, Buffer.from('data: [DONE]\n\n')), 'suspect', 'the end before any token is decoded');
});

test('on every recorded OpenAI stream, the head classifier finds the frame where the decoder sees the first token', () => {
  const dir = new URL('./openai-chat/__fixtures__/', import.meta.url);
  for (const file of ['openai-text.chunks.txt', 'openai-tool-calls.chunks.txt', 'azure-content-filter.chunks.txt', 'encoded-text-usage.chunks.txt', 'encoded-tool-calls.chunks.txt']) {
    const decoder = new OpenAIStreamDecoder();
    let seen = false;
    for (const line of readFileSync(new URL(file, dir), 'utf8').split('\n').filter((l) => l.trim() !== '')) {
      const data = line.startsWith('data: ') ? line.slice(6) : line;
      const kind = head(data);
      const events = decoder.push({ data, raw: Buffer.from(`data: ${data}\n\n`) });
      // Any part of the answer: what the classifier may call a token anywhere in a stream.
      const answer = events.some((e) => e.type !== 'start') || /"finish_reason":"/.test(data);
      if (kind === 'token') assert.ok(answer, `${file}: classified a token but carries no answer: ${data}`);
      if (seen) continue;
      // Before the first token: the frame that first carries one is classified 'token', the others plain data.
      const first = events.some((e) => e.type === 'text' || e.type === 'tool-call-start' || e.type === 'finish');
      assert.equal(kind, first ? 'token' : 'data', `${file}: ${data}`);
      seen = first;
    }
    assert.ok(seen, `${file} has a token`);
  }
});
