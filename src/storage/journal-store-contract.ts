/**
 * The one contract every JournalStore adapter must pass (DESIGN.md principle 8; model:
 * undici's cache-store-test-utils). Adapter test files call journalStoreContract(name,
 * factory); the factory returns a fresh, empty store.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JournalExchange } from './journal-records.js';
import type { JournalEntry, JournalStore } from './journal-store.js';

const T0 = Date.UTC(2024, 11, 11, 23, 0); // 2024-12-11 23:00 UTC, OpenAI's long outage
const MIN = 60_000;
const DAY = 86_400_000;

/** A small, valid exchange; tests override what they look at. */
export function sampleExchange(over: Partial<JournalExchange> & { id: string; conversationId: string }): JournalExchange {
  const createdAt = over.createdAt ?? T0;
  return {
    inherited: 0,
    alias: 'chat',
    ingress: 'openai-chat',
    stream: false,
    createdAt,
    finishedAt: createdAt + 1_000,
    expiresAt: createdAt + 30 * DAY,
    request: { messages: [{ role: 'user', content: [{ type: 'text', text: `question of ${over.id}` }] }] },
    answer: { text: `answer of ${over.id}`, toolCalls: [], finishReason: 'stop' },
    attempts: [{ provider: 'openai', model: 'gpt-4o', startedAt: createdAt, outcome: 'ok' }],
    status: 'complete',
    hashes: { prompt: `p-${over.id}`, thread: `t-${over.id}` },
    ...over,
  };
}

function entry(x: JournalExchange, searchText = `${x.id} text`, externalId?: string): JournalEntry {
  return { exchange: x, conversation: { title: `title of ${x.conversationId}`, ...(externalId === undefined ? {} : { externalId }) }, searchText };
}

export function journalStoreContract(name: string, open: () => Promise<JournalStore>): void {
  const withStore = (fn: (s: JournalStore) => Promise<void>) => async () => {
    const s = await open();
    try {
      await fn(s);
    } finally {
      await s.close();
    }
  };

  describe(`JournalStore contract: ${name}`, () => {
    it('keeps exchanges in order with their conversation, and a retried batch is not counted twice', withStore(async (s) => {
      const a = sampleExchange({ id: 'req_a', conversationId: 'conv_1', keyId: 'key_1', responseId: 'resp_a' });
      const b = sampleExchange({ id: 'req_b', conversationId: 'conv_1', keyId: 'key_1', createdAt: T0 + MIN, parentId: 'req_a', inherited: 2 });
      await s.appendBatch([entry(a, 'a', 'my-thread'), entry(b)]);
      await s.appendBatch([entry(b)]);
      const c = await s.getConversation('conv_1');
      assert.ok(c);
      assert.deepEqual(c.exchanges, [a, b]);
      assert.deepEqual(c.summary, { id: 'conv_1', keyId: 'key_1', externalId: 'my-thread', alias: 'chat', title: 'title of conv_1', createdAt: T0, updatedAt: T0 + MIN + 1_000, exchanges: 2, expiresAt: T0 + MIN + 30 * DAY });
      assert.equal(await s.getConversation('conv_missing'), undefined);
      assert.deepEqual(await s.getResponse('resp_a'), a);
      assert.equal(await s.getResponse('resp_missing'), undefined);
    }));

    it('finds the most recent exchange by thread hash and by prompt hash', withStore(async (s) => {
      const old = sampleExchange({ id: 'req_old', conversationId: 'conv_1', hashes: { prompt: 'P', thread: 'T' } });
      const recent = sampleExchange({ id: 'req_new', conversationId: 'conv_2', createdAt: T0 + MIN, parentId: 'req_x', inherited: 4, hashes: { prompt: 'P', thread: 'T' } });
      const other = sampleExchange({ id: 'req_other', conversationId: 'conv_3', hashes: { prompt: 'Q' } });
      await s.appendBatch([entry(old), entry(recent), entry(other)]);
      const found = await s.findThreads(['T', 'nope'], ['P', 'Q', 'T']);
      const byKey = (kind: string, hash: string) => found.find((m) => m.kind === kind && m.hash === hash);
      assert.equal(found.length, 3);
      assert.deepEqual(byKey('thread', 'T'), { hash: 'T', kind: 'thread', exchangeId: 'req_new', conversationId: 'conv_2', parentId: 'req_x', inherited: 4 });
      assert.deepEqual(byKey('prompt', 'P'), { hash: 'P', kind: 'prompt', exchangeId: 'req_new', conversationId: 'conv_2', parentId: 'req_x', inherited: 4 });
      assert.deepEqual(byKey('prompt', 'Q'), { hash: 'Q', kind: 'prompt', exchangeId: 'req_other', conversationId: 'conv_3', inherited: 0 });
      assert.deepEqual(await s.findThreads([], []), []);
    }));

    it('lists most recent first, filtered by key, alias, time and external id, in pages', withStore(async (s) => {
      const xs = [
        sampleExchange({ id: 'r1', conversationId: 'c1', keyId: 'k1', createdAt: T0 }),
        sampleExchange({ id: 'r2', conversationId: 'c2', keyId: 'k2', createdAt: T0 + 2 * MIN, alias: 'claude' }),
        sampleExchange({ id: 'r3', conversationId: 'c3', createdAt: T0 + 4 * MIN }),
        sampleExchange({ id: 'r4', conversationId: 'c4', keyId: 'k1', createdAt: T0 + 6 * MIN }),
      ];
      await s.appendBatch(xs.map((x) => entry(x, 'x', x.id === 'r3' ? 'ext-3' : undefined)));
      const ids = async (f: Parameters<JournalStore['listConversations']>[0]) => (await s.listConversations(f)).conversations.map((c) => c.id);
      assert.deepEqual(await ids({ limit: 10 }), ['c4', 'c3', 'c2', 'c1']);
      assert.deepEqual(await ids({ limit: 10, keyId: 'k1' }), ['c4', 'c1']);
      assert.deepEqual(await ids({ limit: 10, keyId: null }), ['c3']);
      assert.deepEqual(await ids({ limit: 10, alias: 'claude' }), ['c2']);
      assert.deepEqual(await ids({ limit: 10, externalId: 'ext-3' }), ['c3']);
      assert.deepEqual(await ids({ limit: 10, from: T0 + 2 * MIN, to: T0 + 5 * MIN }), ['c3', 'c2']);

      const first = await s.listConversations({ limit: 3 });
      assert.deepEqual(first.conversations.map((c) => c.id), ['c4', 'c3', 'c2']);
      assert.ok(first.nextCursor);
      const second = await s.listConversations({ limit: 3, cursor: first.nextCursor });
      assert.deepEqual(second.conversations.map((c) => c.id), ['c1']);
      assert.equal(second.nextCursor, undefined);
    }));

    it('searches words within one exchange, ignoring case and accents, with prefix words', withStore(async (s) => {
      await s.appendBatch([
        entry(sampleExchange({ id: 'r1', conversationId: 'c1' }), 'How do I reset the Résumé builder? [REDACTED:email]'),
        entry(sampleExchange({ id: 'r2', conversationId: 'c2' }), 'Kubernetes pods keep restarting'),
        entry(sampleExchange({ id: 'r3', conversationId: 'c2', createdAt: T0 + MIN }), 'about the resume'),
      ]);
      const found = async (search: string) => (await s.listConversations({ limit: 10, search })).conversations.map((c) => c.id);
      assert.deepEqual(await found('resume'), ['c2', 'c1']);
      assert.deepEqual(await found('RESET résumé'), ['c1']);
      assert.deepEqual(await found('reset pods'), [], 'all words must be in one exchange');
      assert.deepEqual(await found('kube*'), ['c2']);
      assert.deepEqual(await found('redacted'), ['c1']);
      assert.deepEqual(await found('"quoted" (stuff) AND -x'), []);
      assert.deepEqual(await found('!!!'), []);
    }));

    it('deletes a conversation with its responses and its search words', withStore(async (s) => {
      await s.appendBatch([entry(sampleExchange({ id: 'r1', conversationId: 'c1', responseId: 'resp_1' }), 'secret plans'), entry(sampleExchange({ id: 'r2', conversationId: 'c2' }), 'other plans')]);
      assert.equal(await s.deleteConversation('c1'), true);
      assert.equal(await s.deleteConversation('c1'), false);
      assert.equal(await s.getConversation('c1'), undefined);
      assert.equal(await s.getResponse('resp_1'), undefined);
      assert.deepEqual((await s.listConversations({ limit: 10, search: 'plans' })).conversations.map((c) => c.id), ['c2']);
      assert.deepEqual(await s.findThreads(['t-r1'], ['p-r1']), []);
    }));

    it('deletes one response: the exchanges that continued it keep their own part, marked', withStore(async (s) => {
      const a = sampleExchange({ id: 'r1', conversationId: 'c1', responseId: 'resp_1' });
      const b = sampleExchange({ id: 'r2', conversationId: 'c1', responseId: 'resp_2', parentId: 'r1', inherited: 2, createdAt: T0 + MIN });
      const c = sampleExchange({ id: 'r3', conversationId: 'c1', responseId: 'resp_3', parentId: 'r2', inherited: 4, createdAt: T0 + 2 * MIN });
      await s.appendBatch([entry(a), entry(b), entry(c)]);
      assert.equal(await s.deleteResponse('resp_2'), true);
      assert.equal(await s.deleteResponse('resp_2'), false);
      const conv = (await s.getConversation('c1'))!;
      assert.equal(conv.summary.exchanges, 2);
      assert.deepEqual(conv.exchanges.map((x) => [x.id, x.parentId, x.inherited, x.contextDeleted]), [
        ['r1', undefined, 0, undefined],
        ['r3', 'r1', 2, true],
      ]);
      assert.equal(await s.deleteResponse('resp_1'), true);
      assert.deepEqual((await s.getConversation('c1'))!.exchanges.map((x) => [x.id, x.parentId, x.inherited, x.contextDeleted]), [['r3', undefined, 0, true]]);
      assert.equal(await s.deleteResponse('resp_3'), true);
      assert.equal(await s.getConversation('c1'), undefined, 'a conversation with no exchange left is gone');
    }));

    it('prunes whole conversations once their last exchange expired, in bounded batches', withStore(async (s) => {
      await s.appendBatch([
        entry(sampleExchange({ id: 'r1', conversationId: 'old', expiresAt: T0 + DAY })),
        entry(sampleExchange({ id: 'r2', conversationId: 'old', expiresAt: T0 + 3 * DAY })),
        entry(sampleExchange({ id: 'r3', conversationId: 'older', expiresAt: T0 + DAY })),
        entry(sampleExchange({ id: 'r4', conversationId: 'oldest', expiresAt: T0 + DAY / 2 })),
        entry(sampleExchange({ id: 'r5', conversationId: 'fresh', expiresAt: T0 + 30 * DAY })),
      ]);
      assert.equal(await s.pruneExpired(T0 + 2 * DAY, 1), 1);
      assert.equal(await s.pruneExpired(T0 + 2 * DAY, 10), 1);
      assert.equal(await s.pruneExpired(T0 + 2 * DAY, 10), 0);
      assert.deepEqual((await s.listConversations({ limit: 10 })).conversations.map((c) => c.id).sort(), ['fresh', 'old']);
      assert.equal(await s.pruneExpired(T0 + 3 * DAY, 10), 1);
      assert.deepEqual((await s.listConversations({ limit: 10 })).conversations.map((c) => c.id), ['fresh']);
    }));
  });
}
