/**
 * Pass-through answers decoded after the fact, from the recorded upstream
 * streams the formats' own tests use (one wire chunk per fixture line).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { decodeCapturedBody, decodeCapturedStream } from './decode-captured.js';
import { canonical, chainHashes, seedHash } from './threading.js';
import { assistant, user } from '../test-support/journal-captures.js';

const fixture = (path: string) => readFileSync(new URL(`../formats/${path}`, import.meta.url), 'utf8').split('\n').filter((l) => l.trim() !== '');
/** Fixtures that hold `data:` payloads, one per line. */
const dataStream = (path: string) => Buffer.from(fixture(path).map((l) => `data: ${l}\n\n`).join(''));
/** Fixtures that hold whole SSE frames as JSON strings. */
const frameStream = (path: string) => Buffer.from(fixture(path).map((l) => JSON.parse(l) as string).join(''));

describe('decoding kept answer bytes', () => {
  it('OpenAI chat streams: text with usage, and tool calls', () => {
    const text = decodeCapturedStream('openai-chat', dataStream('openai-chat/__fixtures__/openai-text.chunks.txt'));
    assert.equal(text.text, 'Hello, world!');
    assert.equal(text.finishReason, 'stop');
    const tools = decodeCapturedStream('openai-chat', dataStream('openai-chat/__fixtures__/openai-tool-calls.chunks.txt'));
    assert.ok(tools.toolCalls.length > 0);
    assert.ok(tools.toolCalls.every((c) => JSON.parse(c.arguments) !== undefined));
    assert.equal(tools.finishReason, 'tool_calls');
  });

  it('Anthropic streams with tool use; Gemini streams with a function call', () => {
    const a = decodeCapturedStream('anthropic-messages', frameStream('anthropic-messages/__fixtures__/tool-use.chunks.txt'));
    assert.equal(a.finishReason, 'tool_calls');
    assert.equal(a.model, 'claude-sonnet-4-5-20250929');
    assert.ok(a.toolCalls.length > 0 && a.usage!.inputTokens > 0);
    const g = decodeCapturedStream('gemini', dataStream('gemini/__fixtures__/function-call.chunks.txt'));
    assert.deepEqual(g.toolCalls.map((c) => [c.name, JSON.parse(c.arguments)]), [['customDivide', { denominator: 2, numerator: 100 }]]);
  });

  it('a stream cut short gives what arrived and no finish reason; a frame cut in half is dropped', () => {
    const whole = dataStream('openai-chat/__fixtures__/openai-text.chunks.txt');
    const frameEnd = whole.indexOf('\n\n', whole.indexOf('world')) + 2;
    const cut = decodeCapturedStream('openai-chat', whole.subarray(0, frameEnd));
    assert.equal(cut.text, 'Hello, world');
    assert.equal(cut.finishReason, undefined);
    assert.equal(decodeCapturedStream('openai-chat', whole.subarray(0, frameEnd - 10)).text, 'Hello');
    const g = decodeCapturedStream('gemini', dataStream('gemini/__fixtures__/cut.chunks.txt'));
    assert.equal(g.finishReason, undefined);
  });

  it('a pass-through JSON body; a format without an upstream decoder is refused', () => {
    const body = Buffer.from(JSON.stringify({ id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-3-5-haiku-latest', content: [{ type: 'text', text: 'Hi.' }], stop_reason: 'end_turn', usage: { input_tokens: 3, output_tokens: 2 } }));
    assert.deepEqual(decodeCapturedBody('anthropic-messages', body), { text: 'Hi.', toolCalls: [], finishReason: 'stop', usage: { inputTokens: 3, outputTokens: 2 }, model: 'claude-3-5-haiku-latest' });
    assert.throws(() => decodeCapturedStream('openai-responses', Buffer.from('')), /no upstream decoder/);
  });
});

describe('threading hashes', () => {
  it('forgive what clients change when they echo an answer: parts, CRLF, outer spaces, re-serialised arguments', () => {
    const call = { role: 'assistant' as const, content: [], toolCalls: [{ id: 'c1', name: 'f', arguments: '{"a":1,"b":[2]}' }] };
    const echoed = { role: 'assistant' as const, content: [{ type: 'text' as const, text: '' }], toolCalls: [{ id: 'c1', name: 'f', arguments: '{ "a": 1, "b": [ 2 ] }' }] };
    assert.equal(canonical(call), canonical(echoed));
    assert.equal(canonical(assistant('one\r\ntwo ')), canonical({ role: 'assistant', content: [{ type: 'text', text: ' one\n' }, { type: 'text', text: 'two' }] }));
    assert.notEqual(canonical(user('x')), canonical(assistant('x')));
  });

  it('chain: the same messages under another key or end user hash apart', () => {
    const ms = [user('hi'), assistant('Hello!')];
    const a = chainHashes(seedHash('k1', undefined), ms);
    assert.deepEqual(a, chainHashes(seedHash('k1', undefined), ms));
    assert.notDeepEqual(a, chainHashes(seedHash('k2', undefined), ms));
    assert.notDeepEqual(a, chainHashes(seedHash('k1', 'user-7'), ms));
    assert.equal(a[0], chainHashes(seedHash('k1', undefined), [user('hi')])[0], 'a prefix hashes as the prefix of the chain');
  });
});
