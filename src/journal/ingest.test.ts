import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from '../core/request.js';
import { MemoryJournalStore } from '../storage/memory/memory-journal-store.js';
import { JournalCapture } from './capture.js';
import { JournalIngest } from './ingest.js';
import { defaultRedaction } from './journal-config.js';
import { leaves, lineage } from './lineage.js';
import { ContentRedactor } from './redact.js';
import { anthropicStream, assistant, chatRequest, feed, jsonExchange, openaiStream, T0, user } from '../test-support/journal-captures.js';
import { conversationIdFor } from './threading.js';
import type { CapturedExchange } from './types.js';

function setup() {
  const store = new MemoryJournalStore();
  const ingest = new JournalIngest(store, new ContentRedactor(defaultRedaction()));
  const write = async (...recs: CapturedExchange[]) => assert.deepEqual(await ingest.ingest(recs), { written: recs.length, failed: 0 });
  const conversations = async () => (await store.listConversations({ limit: 100 })).conversations;
  return { store, write, conversations };
}

const texts = (ms: Message[]) => ms.map((m) => `${m.role}: ${m.content.map((p) => (p.type === 'text' ? p.text : '[image]')).join('')}`);

describe('journal threading through the writer', () => {
  it('an ordinary chat client that resends the history gets one thread, each turn storing only its new messages', async () => {
    const { store, write, conversations } = setup();
    const e1 = jsonExchange([user('What is WAL?')], 'Write-ahead logging.');
    // Clients echo answers back with their own whitespace and parts.
    const echoed: Message = { role: 'assistant', content: [{ type: 'text', text: 'Write-ahead ' }, { type: 'text', text: 'logging.\r\n' }] };
    const e2 = jsonExchange([user('What is WAL?'), echoed, user('And NORMAL sync?')], 'Durable across crashes.', {}, T0 + 60_000);
    await write(e1);
    await write(e2);
    const [c] = await conversations();
    assert.equal(c!.exchanges, 2);
    assert.equal(c!.title, 'What is WAL?');
    const conv = (await store.getConversation(c!.id))!;
    const [x1, x2] = conv.exchanges;
    assert.equal(x2!.parentId, x1!.id);
    assert.equal(x2!.inherited, 2);
    assert.deepEqual(texts(x2!.request.messages), ['user: And NORMAL sync?']);
    assert.deepEqual(texts(lineage(conv.exchanges, x2!.id, true).items.map((i) => i.message)), ['user: What is WAL?', 'assistant: Write-ahead logging.', 'user: And NORMAL sync?', 'assistant: Durable across crashes.']);
  });

  it('the header joins exchanges whatever their messages, scoped to the key', async () => {
    const { store, write, conversations } = setup();
    await write(jsonExchange([user('one')], 'a', { conversation: 'thread-7', keyId: 'k1' }));
    await write(jsonExchange([user('two')], 'b', { conversation: 'thread-7', keyId: 'k1' }));
    await write(jsonExchange([user('three')], 'c', { conversation: 'thread-7', keyId: 'k2' }));
    const all = await conversations();
    assert.equal(all.length, 2);
    const mine = all.find((c) => c.keyId === 'k1')!;
    assert.equal(mine.id, conversationIdFor('k1', 'thread-7'));
    assert.equal(mine.externalId, 'thread-7');
    assert.equal(mine.exchanges, 2);
    assert.deepEqual((await store.listConversations({ limit: 10, externalId: 'thread-7', keyId: 'k2' })).conversations.length, 1);
  });

  it('two keys (or two end users) that open with the same words never share a thread', async () => {
    const { write, conversations } = setup();
    await write(jsonExchange([user('hi')], 'Hello!', { keyId: 'k1' }));
    await write(jsonExchange([user('hi'), assistant('Hello!'), user('more')], 'x', { keyId: 'k2' }));
    await write(jsonExchange([user('hi'), assistant('Hello!'), user('more')], 'y', { keyId: 'k1', request: chatRequest([user('hi'), assistant('Hello!'), user('more')], { user: 'someone-else' }) }));
    assert.equal((await conversations()).length, 3);
  });

  it('a regenerated answer (same messages again) is a second end of the same thread', async () => {
    const { store, write, conversations } = setup();
    const h = [user('Tell me a joke')];
    await write(jsonExchange(h, 'Joke one.'));
    const turn2 = [...h, assistant('Joke one.'), user('Another')];
    await write(jsonExchange(turn2, 'Joke two.'));
    await write(jsonExchange(turn2, 'Joke two, again.'));
    const [c] = await conversations();
    const conv = (await store.getConversation(c!.id))!;
    const [x1, x2, x3] = conv.exchanges;
    assert.deepEqual([x3!.parentId, x3!.inherited], [x1!.id, 2]);
    assert.deepEqual(leaves(conv.exchanges).map((x) => x.id), [x2!.id, x3!.id]);
  });

  it('exchanges of one batch thread onto each other', async () => {
    const { write, conversations } = setup();
    await write(jsonExchange([user('a')], 'b'), jsonExchange([user('a'), assistant('b'), user('c')], 'd'));
    assert.deepEqual((await conversations()).map((c) => c.exchanges), [2]);
  });

  it('redacts before storing, yet threads on the original text; the address is nowhere in the store', async () => {
    const { store, write, conversations } = setup();
    await write(jsonExchange([user('Mail ada@example.com the card 4111 1111 1111 1111')], 'Sent to ada@example.com.'));
    await write(jsonExchange([user('Mail ada@example.com the card 4111 1111 1111 1111'), assistant('Sent to ada@example.com.'), user('thanks')], 'ok'));
    const [c] = await conversations();
    assert.equal(c!.exchanges, 2);
    assert.equal(c!.title, 'Mail [REDACTED:email] the card [REDACTED:card]');
    const conv = (await store.getConversation(c!.id))!;
    const dump = JSON.stringify(conv);
    assert.ok(!dump.includes('ada@example.com') && !dump.includes('4111'), dump);
    assert.deepEqual(conv.exchanges[0]!.redactions, { email: 2, card: 1 });
    assert.equal(conv.exchanges[0]!.answer.text, 'Sent to [REDACTED:email].');
  });

  it('tool arguments stay valid JSON after redaction; images are not kept', async () => {
    const { store, write, conversations } = setup();
    const rec = jsonExchange([{ role: 'user', content: [{ type: 'text', text: 'see' }, { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'A'.repeat(4096) } }, { type: 'image', source: { kind: 'url', url: 'https://img.example.com/a.png?X-Amz-Signature=abc' } }] }], '');
    const att = rec.attempts[0]!;
    att.answer = { kind: 'response', response: { id: 'x', model: 'gpt-4o', created: 0, text: '', toolCalls: [{ id: 'call_1', name: 'pay', arguments: '{"card": 4111111111111111, "to": "ada@example.com"}' }], finishReason: 'tool_calls', usage: { inputTokens: 1, outputTokens: 1 } } };
    await write(rec);
    const x = (await store.getConversation((await conversations())[0]!.id))!.exchanges[0]!;
    assert.deepEqual(JSON.parse(x.answer.toolCalls[0]!.arguments), { card: '[REDACTED:card]', to: '[REDACTED:email]' });
    assert.deepEqual(x.request.messages[0]!.content, [
      { type: 'text', text: 'see' },
      { type: 'text', text: '[image omitted: image/png, 3 KB]' },
      { type: 'image', source: { kind: 'url', url: 'https://img.example.com/a.png' } },
    ]);
  });
});

describe('journal capture of answers', () => {
  const capture = (ingress: 'openai-chat' | 'anthropic-messages' = 'openai-chat') =>
    new JournalCapture({ requestId: 'req_s', alias: 'chat', ingress, request: chatRequest([user('Say hello')], { stream: true }), startedAt: T0, requestBytes: 50, retentionDays: 30 });

  it('a pass-through stream is kept as bytes and decoded by the writer (OpenAI and Anthropic)', async () => {
    for (const [format, bytes] of [['openai-chat', openaiStream(['Hello', ', world', '!'])], ['anthropic-messages', anthropicStream(['Hello', ', world', '!'])]] as const) {
      const { store, write, conversations } = setup();
      const c = capture(format);
      c.attempt('p', 'm', T0);
      feed(c, format, bytes);
      c.end('complete', T0 + 500);
      await write(c.toRecord());
      const x = (await store.getConversation((await conversations())[0]!.id))!.exchanges[0]!;
      assert.equal(x.answer.text, 'Hello, world!', format);
      assert.equal(x.answer.finishReason, 'stop', format);
      assert.equal(x.stream, true);
    }
  });

  it('a resumed stream is journaled once: both parts, the failed attempt with its partial text, and where it resumed', async () => {
    const { store, write, conversations } = setup();
    const c = capture();
    c.attempt('openai', 'gpt-4o', T0);
    feed(c, 'openai-chat', openaiStream(['Hello', ', wor'], false));
    c.failed('upstream_stalled', true, T0 + 300);
    c.attempt('anthropic', 'claude-3-5-sonnet', T0 + 310, true);
    c.events([{ type: 'start', id: 'msg_2', model: 'claude-3-5-sonnet-20241022', created: 0 }, { type: 'text', text: 'ld!' }]);
    c.events([{ type: 'finish', finishReason: 'stop', usage: { inputTokens: 20, outputTokens: 2 } }]);
    c.end('complete', T0 + 900);
    await write(c.toRecord());
    const all = await conversations();
    assert.equal(all.length, 1);
    const x = (await store.getConversation(all[0]!.id))!.exchanges[0]!;
    assert.equal(x.answer.text, 'Hello, world!');
    assert.equal(x.answer.finishReason, 'stop');
    assert.equal(x.answer.model, 'claude-3-5-sonnet-20241022');
    assert.deepEqual(x.resumed, [{ at: 'Hello, wor'.length, from: 'openai/gpt-4o', to: 'anthropic/claude-3-5-sonnet' }]);
    assert.deepEqual(x.attempts.map((a) => [a.provider, a.outcome, a.errorCode, a.partialText]), [
      ['openai', 'cut', 'upstream_stalled', 'Hello, wor'],
      ['anthropic', 'ok', undefined, undefined],
    ]);
    assert.equal(x.status, 'complete');
  });

  it('an attempt that failed before any byte is listed without text; a cut stream has no finish reason', async () => {
    const { store, write, conversations } = setup();
    const c = capture();
    c.attempt('openai', 'gpt-4o', T0);
    c.failed('upstream_overloaded', false, T0 + 50);
    c.attempt('gemini', 'gemini-2.0-flash', T0 + 60);
    feed(c, 'openai-chat', openaiStream(['partial'], false));
    c.failed('upstream_cut', true, T0 + 400);
    c.end('cut', T0 + 400);
    await write(c.toRecord());
    const x = (await store.getConversation((await conversations())[0]!.id))!.exchanges[0]!;
    assert.equal(x.status, 'cut');
    assert.equal(x.answer.text, 'partial');
    assert.equal(x.answer.finishReason, undefined);
    assert.deepEqual(x.attempts.map((a) => [a.outcome, a.errorCode]), [['failed', 'upstream_overloaded'], ['cut', 'upstream_cut']]);
  });
});

describe('journal: previous_response_id', () => {
  it('continues the stored response: only the new input is stored, and a plain client resending the whole history joins the same thread', async () => {
    const { store, write, conversations } = setup();
    const first = jsonExchange([{ role: 'system', content: [{ type: 'text', text: 'Be brief.' }] }, user('Capital of France?')], 'Paris.', { ingress: 'openai-responses', responses: { id: 'resp_1', instructions: true } });
    const second = jsonExchange([user('And Italy?')], 'Rome.', { ingress: 'openai-responses', responses: { id: 'resp_2', previousResponseId: 'resp_1', instructions: false } });
    await write(first);
    await write(second);
    const plain = jsonExchange([user('Capital of France?'), assistant('Paris.'), user('And Italy?'), assistant('Rome.'), user('Spain?')], 'Madrid.');
    await write(plain);
    const all = await conversations();
    assert.equal(all.length, 1);
    const conv = (await store.getConversation(all[0]!.id))!;
    const [x1, x2, x3] = conv.exchanges;
    assert.equal(x1!.request.instructions, 'Be brief.');
    assert.deepEqual(texts(x1!.request.messages), ['user: Capital of France?']);
    assert.deepEqual([x2!.parentId, x2!.inherited, texts(x2!.request.messages)], [x1!.id, 2, ['user: And Italy?']]);
    assert.deepEqual([x3!.parentId, x3!.inherited, texts(x3!.request.messages)], [x2!.id, 4, ['user: Spain?']]);
    assert.equal((await store.getResponse('resp_2'))!.previousResponseId, 'resp_1');
  });

  it('a previous response of another key, or one deleted meanwhile, is not continued', async () => {
    const { store, write, conversations } = setup();
    await write(jsonExchange([user('mine')], 'ok', { keyId: 'k1', responses: { id: 'resp_1', instructions: false } }));
    await write(jsonExchange([user('theirs')], 'ok', { keyId: 'k2', responses: { id: 'resp_2', previousResponseId: 'resp_1', instructions: false } }));
    const all = await conversations();
    assert.equal(all.length, 2);
    const x = (await store.getResponse('resp_2'))!;
    assert.deepEqual([x.parentId, x.inherited, x.contextDeleted], [undefined, 0, true]);
  });
});
