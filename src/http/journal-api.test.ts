/**
 * Issue #26 end to end, through the official SDKs: conversations are threaded by header and by
 * their growing history, redacted, exported as request bodies the SDK sends as they are, a resumed
 * stream is kept once with both parts marked, and the Responses API's stored mode continues a
 * conversation begun on OpenAI on an Anthropic target.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { defaultJournalConfig } from '../journal/journal-config.js';
import { startStack, withPolicy, type Stack } from '../test-support/stack.js';
import { policyWith } from '../routing/policy.js';

let st: Stack;
before(async () => {
  st = await startStack({ configure: (c) => ({ ...withPolicy(c, policyWith({ ttftTimeoutMs: 2000, idleTimeoutMs: 300 })), journal: defaultJournalConfig() }) });
});
after(() => st.close());

const client = (headers: Record<string, string> = {}) => new OpenAI({ baseURL: `${st.url}/v1`, apiKey: 'x', maxRetries: 0, defaultHeaders: headers });

interface Summary {
  id: string;
  exchange_count: number;
  title: string;
}

async function conversations(search?: string): Promise<Summary[]> {
  const r = await fetch(`${st.url}/v1/conversations${search ? `?q=${encodeURIComponent(search)}` : ''}`);
  assert.equal(r.status, 200);
  return ((await r.json()) as { data: Summary[] }).data;
}

async function conversation(id: string, format = 'json'): Promise<string> {
  const r = await fetch(`${st.url}/v1/conversations/${id}?format=${format}`);
  assert.equal(r.status, 200);
  return r.text();
}

test('a chat client that resends its history gets one thread; the exchange is readable as soon as the answer is', async () => {
  const c = client();
  const first = [{ role: 'user' as const, content: 'Plan a trip to Lisbon, reply with 12 words' }];
  const a1 = await c.chat.completions.create({ model: 'chat', messages: first });
  // Durable before the client had its answer: listed at once, no waiting.
  const found = await conversations('Lisbon');
  assert.equal(found.length, 1);
  const second = [...first, { role: 'assistant' as const, content: a1.choices[0]!.message.content! }, { role: 'user' as const, content: 'And in winter?' }];
  await c.chat.completions.create({ model: 'chat', messages: second });
  const after = await conversations('Lisbon');
  assert.equal(after.length, 1, 'the second turn joined the first');
  assert.equal(after[0]!.exchange_count, 2);
});

test('an explicit conversation header joins unrelated requests', async () => {
  const c = client({ 'x-switchyard-conversation': 'ticket-4242' });
  await c.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'first question about invoices' }] });
  await c.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'unrelated second question about invoices' }] });
  const found = await conversations('invoices');
  assert.equal(found.length, 1);
  assert.equal(found[0]!.exchange_count, 2);
});

test('what is stored is redacted: an e-mail address and a key never reach the journal', async () => {
  await client().chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'Mail jane.doe@example.com the key sk-proj-FAKEabcdefghijklmnopqrstuvwx about redaction' }] });
  const [conv] = await conversations('redaction');
  const json = await conversation(conv!.id);
  assert.ok(!json.includes('jane.doe@example.com'));
  assert.ok(!json.includes('sk-proj-FAKEabcdefghijklmnopqrstuvwx'));
  assert.match(json, /\[REDACTED:email\]/);
});

test('an OpenAI JSONL export line is a request body the SDK sends as it is, and the gateway answers it', async () => {
  await client().chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'export me please, about kites' }] });
  const [conv] = await conversations('kites');
  const lines = (await conversation(conv!.id, 'openai')).trim().split('\n');
  assert.ok(lines.length >= 1);
  const body = JSON.parse(lines[0]!) as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
  assert.equal(body.messages.at(-1)?.role, 'assistant', 'the line carries the answer as it was given');
  const again = await client().chat.completions.create(body);
  assert.equal(again.object, 'chat.completion');
  assert.equal(again.choices[0]!.finish_reason, 'stop');
});

test('a stream cut mid-answer and resumed elsewhere is kept once, both parts marked', async () => {
  st.sims.openai.faults.set([{ fault: { kind: 'cut-after', after: 8 }, times: 1 }]);
  const stream = await client().chat.completions.create({ model: 'chat', stream: true, messages: [{ role: 'user', content: 'A story about lighthouses, reply with 30 words' }] });
  let text = '';
  for await (const ch of stream) text += ch.choices[0]?.delta.content ?? '';
  const [conv] = await conversations('lighthouses');
  assert.equal(conv!.exchange_count, 1);
  const stored = JSON.parse(await conversation(conv!.id)) as { exchanges: Array<{ answer: { text: string }; resumed?: unknown[]; attempts: Array<{ provider: string; outcome: string }> }> };
  const x = stored.exchanges[0]!;
  assert.equal(x.answer.text, text, 'the answer as the client received it');
  assert.equal(x.resumed?.length, 1);
  assert.deepEqual(x.attempts.map((a) => [a.provider, a.outcome]), [['sim-openai', 'cut'], ['sim-anthropic', 'ok']]);
});

test('previous_response_id: a conversation stored on OpenAI continues on Anthropic; GET and DELETE the stored response', async () => {
  const c = client();
  const first = await c.responses.create({ model: 'via-openai', input: 'Remember the word pelican, reply with 5 words', store: true });
  assert.match(first.id, /^resp_/);
  const seen: string[] = [];
  st.sims.anthropic.onRequest = (r) => seen.push(r.body.toString());
  const second = await c.responses.create({ model: 'via-anthropic', input: 'Which bird did I mention?', previous_response_id: first.id });
  st.sims.anthropic.onRequest = undefined;
  assert.equal(second.status, 'completed');
  assert.ok(seen.some((b) => b.includes('pelican')), 'the Anthropic target received the stored conversation');

  const got = await fetch(`${st.url}/v1/responses/${first.id}`);
  assert.equal(got.status, 200);
  assert.equal(((await got.json()) as { id: string }).id, first.id);
  const del = await fetch(`${st.url}/v1/responses/${first.id}`, { method: 'DELETE' });
  assert.deepEqual(await del.json(), { id: first.id, object: 'response.deleted', deleted: true });
  const gone = await c.responses.create({ model: 'via-anthropic', input: 'again', previous_response_id: first.id }).catch((e: unknown) => e);
  assert.ok(gone instanceof OpenAI.BadRequestError && /not found/.test(gone.message), String(gone));
});
