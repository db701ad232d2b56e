import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SkimKind } from '../sse/parser.js';
import { skimDataFrame, skimEventFrame, skimParsedFrame } from './skim.js';
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
