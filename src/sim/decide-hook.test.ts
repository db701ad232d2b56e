/**
 * The sim's `decide` hook: a driver (a drill's scenario) chooses each request's fate from what
 * the request is and how loaded the sim is, and the sim's waits run on its clock.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSim, type SimDecision, type SimRequestInfo } from './index.js';
import { scaledClock } from './scaled-clock.js';

const chat = (origin: string, stream: boolean, model = 'gpt-4o-mini') =>
  fetch(`${origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test-FAKE' },
    body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'Hi' }] }),
  });

test('decide sees the model, the stream flag and the load, and its fault, over-capacity and timing apply', async (t) => {
  const seen: SimRequestInfo[] = [];
  let next: SimDecision | undefined;
  // 100x: a 3 s first byte in sim time is 30 ms of wall time.
  const sim = createSim('anthropic', { clock: scaledClock(100), decide: (r) => (seen.push(r), next) });
  const origin = await sim.start();
  t.after(() => sim.stop());
  const post = (stream: boolean) =>
    fetch(`${origin}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'sk-ant-FAKE', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude-x', max_tokens: 64, stream, messages: [{ role: 'user', content: 'Hi' }] }),
    });

  assert.equal((await post(true).then((r) => r.text())).includes('message_stop'), true);
  assert.deepEqual({ model: seen[0]!.model, stream: seen[0]!.stream, active: seen[0]!.active }, { model: 'claude-x', stream: true, active: 1 });

  next = { overCapacity: true, retryAfterSeconds: 7 };
  const over = await post(false);
  assert.equal(over.status, 529);
  assert.equal(over.headers.get('retry-after'), '7');
  assert.match(await over.text(), /"overloaded_error"/);

  next = { fault: { kind: 'body', status: 429, body: '{"status":"come back later"}' } };
  const odd = await post(false);
  assert.equal(odd.status, 429);
  assert.equal(await odd.text(), '{"status":"come back later"}');

  next = { ttftMs: 3_000 };
  const t0 = performance.now();
  assert.equal((await post(false)).status, 200);
  const wall = performance.now() - t0;
  assert.ok(wall >= 25 && wall < 1_000, `3 s of sim time at 100x took ${wall} ms`);
});

test('without a decision the fault schedule still applies', async (t) => {
  const sim = createSim('openai', { decide: () => undefined });
  const origin = await sim.start();
  t.after(() => sim.stop());
  sim.faults.set([{ fault: { kind: 'status', status: 503 }, times: 1 }]);
  assert.equal((await chat(origin, false)).status, 503);
  assert.equal((await chat(origin, false)).status, 200);
});
