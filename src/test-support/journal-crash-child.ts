/**
 * Child process of the journal's crash test (journal-crash.test.ts): writes exchanges in a
 * loop until it is killed, printing each exchange id once its write has resolved. The ids go
 * to stdout with a synchronous write, so what the parent reads is exactly what was confirmed
 * before the kill.
 *
 *   node --import tsx journal-crash-child.ts <dir> store     appendBatch on this thread
 *   node --import tsx journal-crash-child.ts <dir> journal   Journal.commit, SQLite in the worker, 16 at a time
 */
import { writeSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Journal } from '../journal/journal.js';
import { defaultJournalConfig } from '../journal/journal-config.js';
import { sampleExchange } from '../storage/journal-store-contract.js';
import { openSqliteJournalStore } from '../storage/sqlite/sqlite-journal-store.js';

const [dir, mode] = process.argv.slice(2);
const text = 'The provider went down mid-answer; the gateway resumed the stream elsewhere. '.repeat(20);
const say = (line: string) => writeSync(1, `${line}\n`);

if (mode === 'store') {
  const store = await openSqliteJournalStore(dir!);
  say('ready');
  for (let round = 0; ; round++) {
    const batch = Array.from({ length: 25 }, (_, i) => {
      const x = sampleExchange({ id: `${randomUUID()}`, conversationId: `c${round % 7}-${i % 3}`, createdAt: Date.now() });
      x.answer.text = text;
      return { exchange: x, conversation: { title: 'crash' }, searchText: text };
    });
    await store.appendBatch(batch);
    say(batch.map((e) => e.exchange.id).join('\n'));
  }
} else {
  const journal = await Journal.open(defaultJournalConfig({ maxWaitMs: 60_000 }), { dataDir: dir! });
  say('ready');
  const one = async (): Promise<void> => {
    for (;;) {
      const id = `req_${randomUUID()}`;
      const c = journal.capture({ requestId: id, alias: 'chat', ingress: 'openai-chat', request: { model: 'chat', messages: [{ role: 'user', content: [{ type: 'text', text }] }], stream: false, includeUsage: false }, startedAt: Date.now(), requestBytes: text.length });
      c.attempt('openai', 'gpt-4o', Date.now());
      c.response({ id: 'x', model: 'gpt-4o', created: 0, text, toolCalls: [], finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1 } });
      c.end('complete', Date.now());
      if ((await journal.commit(c)) === 'committed') say(id);
    }
  };
  await Promise.all(Array.from({ length: 16 }, one));
}
