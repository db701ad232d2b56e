/** Anthropic frames before the first token: judged on bytes exactly where the decoder would see (or not see) part of the answer. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { SkimKind } from '../../sse/parser.js';
import { SseParser } from '../../sse/parser.js';
import { skimParsedFrame } from '../skim.js';
import { AnthropicStreamDecoder } from './stream-decoder.js';

const skimHead = new AnthropicStreamDecoder().skimHead;
const head = (event: string, data: string): SkimKind => skimParsedFrame(skimHead, Buffer.from(`event: ${event}\ndata: ${data}\n\n`));

test('frames that carry no answer are plain data: message_start, ping, empty text, thinking, block stops, message_delta', () => {
  assert.equal(head('message_start', '{"type":"message_start","message":{"id":"msg_1","content":[],"usage":{"input_tokens":5}}}'), 'data');
  assert.equal(head('ping', '{"type": "ping"}'), 'data');
  assert.equal(head('content_block_start', '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}'), 'data');
  assert.equal(head('content_block_start', '{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}'), 'data');
  assert.equal(head('content_block_delta', '{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me see."}}'), 'data');
  assert.equal(head('content_block_delta', '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":""}}'), 'data');
  assert.equal(head('content_block_stop', '{"type":"content_block_stop","index":0}'), 'data');
  assert.equal(head('message_delta', '{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":3}}'), 'data');
});

test('frames that carry part of the answer are tokens: text, a text block that starts with text, a tool call', () => {
  assert.equal(head('content_block_delta', '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}'), 'token');
  assert.equal(head('content_block_start', '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":"Hi"}}'), 'token');
  assert.equal(head('content_block_start', '{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"f","input":{}}}'), 'token');
});

test('what the bytes cannot judge is decoded for real', () => {
  // The end before any token: the decoder decides what an empty answer is.
  assert.equal(head('message_stop', '{"type":"message_stop"}'), 'suspect');
  assert.equal(head('error', '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}'), 'suspect');
  assert.equal(head('brand_new_event', '{"type":"brand_new_event"}'), 'suspect');
  assert.equal(head('content_block_start', '{"type":"content_block_start","index":0,"content_block":{"type":"server_tool_use","id":"s","name":"web_search"}}'), 'suspect');
  assert.equal(head('content_block_delta', '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text" : "Hi"}}'), 'suspect', 'spaces around the colon');
  assert.equal(head('content_block_delta', '{"type":"content_block_delta","index":0,"delta":{"type":"text_de'), 'suspect', 'truncated');
  // A key pattern inside a string value is escaped, so it never matches.
  assert.equal(head('content_block_delta', '{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"a \\"type\\":\\"text_delta\\",\\"text\\":\\"x\\""}}'), 'data');
});

test('on every recorded Anthropic stream, the head classifier finds the frame where the decoder sees the first token', () => {
  const dir = new URL('./__fixtures__/', import.meta.url);
  for (const file of ['text.chunks.txt', 'tool-use.chunks.txt', 'encode-tool-use.chunks.txt', 'error.chunks.txt']) {
    const decoder = new AnthropicStreamDecoder();
    const parser = new SseParser();
    let seen = false;
    for (const line of readFileSync(new URL(file, dir), 'utf8').split('\n').filter((l) => l.trim() !== '')) {
      const raw = Buffer.from(JSON.parse(line) as string);
      const kind = skimParsedFrame(skimHead, raw);
      let events;
      try {
        events = parser.push(raw).flatMap((f) => decoder.push(f));
      } catch {
        assert.equal(kind, 'suspect', `${file}: a frame the decoder rejects must be decoded: ${line}`);
        continue;
      }
      if (kind === 'token') assert.ok(events.some((e) => e.type === 'text' || e.type === 'tool-call-start'), `${file}: classified a token but carries no answer: ${line}`);
      if (seen) continue;
      const first = events.some((e) => e.type === 'text' || e.type === 'tool-call-start' || e.type === 'finish');
      assert.equal(kind, first ? 'token' : 'data', `${file}: ${line}`);
      seen = first;
    }
    if (file !== 'error.chunks.txt') assert.ok(seen, `${file} has a token`);
  }
});
