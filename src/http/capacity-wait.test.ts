/**
 * Issue #24 item 3, through the openai SDK with the default configuration: when the primary is
 * down and every alternative is at the concurrency it has proven, a request waits in line for a
 * slot instead of getting an immediate 503 — and the alternatives are not pushed past what they
 * carry (2024-06-04: the crowd that fled one provider knocked over the others).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startStack, type Stack } from '../test-support/stack.js';

let st: Stack;
before(async () => {
  // Each simulated provider takes 8 requests at once (beyond: 429, or Anthropic's 529) and thinks 200 ms.
  st = await startStack({ sim: { capacity: 8, ttftMs: 200 } });
});
after(() => st.close());

test('primary down, alternatives at 8 each, 40 concurrent clients: all but at most one answered, the alternatives barely refuse', async () => {
  st.sims.openai.faults.set([{ fault: { kind: 'status', status: 503 } }]);
  const client = new OpenAI({ baseURL: `${st.url}/v1`, apiKey: 'x', maxRetries: 0 });
  const ask = () => client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'Hello' }] });
  // The primary has been down a while: its breaker is open, traffic goes to the alternatives first.
  const route = st.gateway.context.routes.resolve('chat');
  const primary = st.gateway.context.router.target(route.targets[0]!, route.policy);
  for (let i = 0; i < 20 && primary.breaker.state !== 'open'; i++) await ask().catch(() => undefined);
  assert.equal(primary.breaker.state, 'open');
  const refusedBefore = (st.sims.anthropic.stats.byStatus['529'] ?? 0) + (st.sims.gemini.stats.byStatus['429'] ?? 0);

  const results = await Promise.allSettled(Array.from({ length: 40 }, ask));
  const ok = results.filter((r) => r.status === 'fulfilled').length;
  assert.ok(ok >= 39, `${ok} of 40 answered: ${results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason)).join('; ')}`);
  const refused = (st.sims.anthropic.stats.byStatus['529'] ?? 0) + (st.sims.gemini.stats.byStatus['429'] ?? 0) - refusedBefore;
  assert.ok(refused <= 4, `the alternatives refused ${refused} requests`);
  assert.ok(st.sims.anthropic.stats.peakActive <= 9 && st.sims.gemini.stats.peakActive <= 9, 'never far past their capacity');
});
