/**
 * One gateway, one object: two gateways in one process, each with its own simulated providers,
 * share nothing. Closing one leaves the other serving on the upstream connections it already had.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startStack } from '../test-support/stack.js';

test('closing one gateway leaves another in the same process serving, with its upstream connections intact', async () => {
  const a = await startStack();
  const b = await startStack();
  try {
    const ask = async (url: string) => {
      const c = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'x', maxRetries: 0 });
      const r = await c.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'Hello' }] });
      return r.choices[0]!.message.content;
    };
    await ask(a.url);
    await ask(b.url);
    const bPools = b.gateway.pools;
    const open = bPools.size;
    assert.ok(open >= 1, 'b holds a connection to its upstream');
    assert.notEqual(a.gateway.pools, bPools, 'each gateway has pools of its own');

    await a.close();
    assert.equal(a.gateway.pools.size, 0, "a's connections are closed");
    assert.equal(bPools.isClosed, false);
    assert.equal(bPools.size, open, "b's connections were not touched");
    assert.ok(await ask(b.url), 'b still answers');
    assert.equal(bPools.size, open, 'on the connection it already had');
    assert.equal(b.sims.openai.stats.requests, 2);
  } finally {
    await b.close();
  }
});
