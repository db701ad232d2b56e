/**
 * Export: each format from a conversation written through the journal's own
 * writer, and the JSONL lines sent as they are by the official SDKs to a real
 * gateway (in front of the simulated providers), which answers them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { ToolDef } from '../core/request.js';
import { MemoryJournalStore } from '../storage/memory/memory-journal-store.js';
import { startStack, type Stack } from '../test-support/stack.js';
import { JournalCapture } from './capture.js';
import { anthropicLines, conversationJson, exportConversation, openaiLines } from './export.js';
import { JournalIngest } from './ingest.js';
import { defaultRedaction } from './journal-config.js';
import { ContentRedactor } from './redact.js';
import { assistant, chatRequest, feed, jsonExchange, openaiStream, system, T0, user } from '../test-support/journal-captures.js';
import type { Conversation } from './types.js';

const weather: ToolDef = { name: 'get_weather', description: 'Current weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };

/** A conversation: a question, a resumed streamed answer, a tool call and its result, an answer, and a regenerated one. */
async function sampleConversation(): Promise<Conversation> {
  const store = new MemoryJournalStore();
  const ingest = new JournalIngest(store, new ContentRedactor(defaultRedaction()));
  const sys = system('You are terse. Reach me at ada@example.com.');
  const q1 = user('Tell me about resilient gateways.');
  const a1 = 'They fail over between providers.';

  const c = new JournalCapture({ requestId: 'req_streamed', alias: 'chat', ingress: 'openai-chat', request: chatRequest([sys, q1], { stream: true, tools: [weather] }), startedAt: T0, requestBytes: 100, retentionDays: 30 });
  c.attempt('sim-openai', 'gpt-4o-mini', T0);
  feed(c, 'openai-chat', openaiStream(['They fail over ', 'between'], false));
  c.failed('upstream_cut', true, T0 + 100);
  c.attempt('sim-anthropic', 'claude-3-5-haiku-latest', T0 + 110, true);
  c.events([{ type: 'text', text: ' providers.' }, { type: 'finish', finishReason: 'stop' }]);
  c.end('complete', T0 + 500);

  const history2 = [sys, q1, assistant(a1), user('Weather in Paris?')];
  const call = jsonExchange(history2, '', { request: chatRequest(history2, { tools: [weather] }) }, T0 + 60_000);
  call.attempts[0]!.answer = { kind: 'response', response: { id: 'x', model: 'gpt-4o-mini', created: 0, text: '', toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }], finishReason: 'tool_calls', usage: { inputTokens: 5, outputTokens: 5 } } };

  const history3 = [...history2, { role: 'assistant' as const, content: [], toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city": "Paris"}' }] }, { role: 'tool' as const, toolCallId: 'call_1', content: [{ type: 'text' as const, text: '18°C, clear' }] }];
  const final = jsonExchange(history3, 'It is 18°C and clear in Paris.', { request: chatRequest(history3, { tools: [weather], temperature: 0.2 }) }, T0 + 120_000);
  const again = jsonExchange(history3, 'Paris: 18°C, clear skies.', { request: chatRequest(history3, { tools: [weather] }) }, T0 + 180_000);
  await ingest.ingest([c.toRecord()]);
  await ingest.ingest([call]);
  await ingest.ingest([final, again]);
  const [summary] = (await store.listConversations({ limit: 1 })).conversations;
  return (await store.getConversation(summary!.id))!;
}

let conv: Conversation;
let stack: Stack;

before(async () => {
  conv = await sampleConversation();
  stack = await startStack();
});
after(() => stack.close());

describe('journal export', () => {
  it('is one conversation of four exchanges with two thread ends', () => {
    assert.equal(conv.summary.exchanges, 4);
  });

  it('OpenAI JSONL: one request body per thread end, redacted, answer last; the official SDK sends it as is and the gateway answers', async () => {
    const lines = openaiLines(conv);
    assert.equal(lines.length, 2);
    const [first] = lines;
    assert.equal(first!.model, 'chat');
    assert.equal(first!.temperature, 0.2);
    assert.deepEqual(
      (first!.messages as { role: string }[]).map((m) => m.role),
      ['system', 'user', 'assistant', 'user', 'assistant', 'tool', 'assistant'],
    );
    const text = JSON.stringify(lines);
    assert.ok(text.includes('[REDACTED:email]') && !text.includes('ada@example.com'), text);
    assert.equal((first!.messages as { content: string }[])[6]!.content, 'It is 18°C and clear in Paris.');
    const body = exportConversation(conv, 'openai');
    assert.equal(body.contentType, 'application/x-ndjson');
    const line = JSON.parse(body.body.split('\n')[1]!) as OpenAI.ChatCompletionCreateParamsNonStreaming;
    const client = new OpenAI({ baseURL: `${stack.url}/v1`, apiKey: 'sk-test-FAKE', maxRetries: 0 });
    const answer = await client.chat.completions.create(line);
    assert.equal(answer.object, 'chat.completion');
    // The simulator answers a request that offers tools with a call: a proper answer either way.
    assert.equal(answer.choices[0]!.finish_reason, 'tool_calls');
  });

  it('Anthropic JSONL: system on top, tool use and result blocks, max_tokens; the official SDK sends it as is and the gateway answers', async () => {
    const lines = anthropicLines(conv);
    assert.equal(lines.length, 2);
    const first = lines[0]!;
    assert.equal(first.system, 'You are terse. Reach me at [REDACTED:email].');
    assert.equal(first.max_tokens, 4096);
    assert.deepEqual((first.tools as { name: string }[]).map((t) => t.name), ['get_weather']);
    const blocks = (first.messages as { role: string; content: { type: string }[] }[]).map((m) => `${m.role}:${m.content.map((b) => b.type).join('+')}`);
    assert.deepEqual(blocks, ['user:text', 'assistant:text', 'user:text', 'assistant:tool_use', 'user:tool_result', 'assistant:text']);
    const client = new Anthropic({ baseURL: stack.url, apiKey: 'sk-ant-test-FAKE', maxRetries: 0 });
    const line = JSON.parse(exportConversation(conv, 'anthropic').body.split('\n')[0]!) as Anthropic.MessageCreateParamsNonStreaming;
    const answer = await client.messages.create(line);
    assert.equal(answer.type, 'message');
  });

  it('JSON: the summary, the latest thread as chat messages, every exchange as kept (no hashes)', () => {
    const j = conversationJson(conv);
    assert.equal(j.object, 'conversation');
    assert.equal(j.exchange_count, 4);
    assert.equal(j.created_at, new Date(T0).toISOString());
    assert.equal((j.messages as unknown[]).length, 7);
    const exchanges = j.exchanges as Record<string, unknown>[];
    assert.equal(exchanges.length, 4);
    assert.ok(exchanges.every((x) => !('hashes' in x)));
    assert.deepEqual(exchanges[0]!.resumed, [{ at: 'They fail over between'.length, from: 'sim-openai/gpt-4o-mini', to: 'sim-anthropic/claude-3-5-haiku-latest' }]);
    assert.equal(JSON.parse(exportConversation(conv, 'json').body).id, conv.summary.id);
  });

  it('Markdown: roles as headings, who answered, the resume marked where it happened, tool calls as JSON', () => {
    const md = exportConversation(conv, 'markdown');
    assert.equal(md.contentType, 'text/markdown; charset=utf-8');
    const text = md.body;
    assert.match(text, /^# Tell me about resilient gateways\.\n/);
    assert.match(text, /## System\n\nYou are terse\. Reach me at \[REDACTED:email\]\./);
    assert.match(text, /## Assistant · sim-anthropic\/claude-3-5-haiku-latest · 2024-06-04 06:49:00 UTC\n\nThey fail over between\n\n> ↪ \*Resumed here on sim-anthropic\/claude-3-5-haiku-latest after sim-openai\/gpt-4o-mini failed mid-answer\.\*\n\n providers\./);
    assert.match(text, /\*\*Tool call\*\* `get_weather` \(`call_1`\):\n\n```json\n\{\n {2}"city": "Paris"\n\}\n```/);
    assert.match(text, /## Tool result · `call_1`\n\n18°C, clear/);
    assert.match(text, /Paris: 18°C, clear skies\.\n$/);
    assert.match(text, /this conversation has 2 threads/i);
  });
});
