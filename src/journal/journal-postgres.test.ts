import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { chatRequest, user } from '../test-support/journal-captures.js';
import { dropPgSchema, serviceUrl, uniqueName } from '../test-support/services.js';
import { defaultJournalConfig } from './journal-config.js';
import { Journal } from './journal.js';

const url = serviceUrl('DATABASE_URL');
if (url) {
  const schema = uniqueName('schema');
  after(() => dropPgSchema(url, schema));

  it('journal.store: postgres — the worker thread writes to PostgreSQL; a second instance reads what the first committed', async () => {
    const a = await Journal.open(defaultJournalConfig(), { postgres: { url, schema } });
    const b = await Journal.open(defaultJournalConfig(), { postgres: { url, schema } });
    const c = a.capture({ requestId: 'req_pg', alias: 'chat', ingress: 'openai-chat', request: chatRequest([user('kept in postgres')]), startedAt: Date.now(), requestBytes: 10 });
    c.attempt('openai', 'gpt-4o', Date.now());
    c.response({ id: 'x', model: 'gpt-4o', created: 0, text: 'ok', toolCalls: [], finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1 } });
    c.end('complete', Date.now());
    assert.equal(await a.commit(c), 'committed');
    const page = await b.reader.listConversations({ limit: 5, search: 'postgres' });
    assert.deepEqual(page.conversations.map((x) => x.title), ['kept in postgres']);
    await a.close();
    await b.close();
  });
}
