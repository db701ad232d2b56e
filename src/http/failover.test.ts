/**
 * The failover engine end to end (issue #4): simulated providers with faults,
 * the gateway in front, the official openai SDK as the client.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { ManualClock } from '../core/clock.js';
import { simAnswerText } from '../test-support/sim-answer.js';
import { policyWith } from '../routing/policy.js';
import { startStack, withPolicy, type Stack } from '../test-support/stack.js';
import type { FaultRule } from '../sim/faults.js';

const PROMPT = 'Explain failover in one paragraph.';
const expected = simAnswerText(PROMPT);
const FAST = policyWith({ ttftTimeoutMs: 300, jsonTimeoutMs: 500, idleTimeoutMs: 300 });

function client(st: Stack): OpenAI {
  return new OpenAI({ baseURL: `${st.url}/v1`, apiKey: 'x', maxRetries: 0 });
}

async function streamText(c: OpenAI, model: string) {
  const { data: stream, response } = await c.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: PROMPT }] }).withResponse();
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  return { text, provider: response.headers.get('x-switchyard-provider') };
}

describe('a failing primary before the first byte: the next target answers', () => {
  let st: Stack;
  before(async () => {
    st = await startStack({
      configure: (c) =>
        withPolicy(
          {
            ...c,
            providers: [...c.providers, { name: 'dead', type: 'openai', baseUrl: 'http://127.0.0.1:1/v1', apiKey: 'sk-FAKE', headers: {}, query: {} }],
            models: [...c.models, { name: 'dead-first', targets: [{ provider: 'dead', model: 'm' }, { provider: 'sim-anthropic', model: 'claude-3-5-haiku-latest' }] }],
          },
          FAST,
        ),
    });
  });
  after(() => st.close());

  const faults: Array<[string, FaultRule['fault']]> = [
    ['503', { kind: 'status', status: 503 }],
    ['stall before the first byte', { kind: 'stall-before-first-byte' }],
    ['HTML 502 from an edge', { kind: 'edge-html', status: 502 }],
    ['connection reset', { kind: 'reset' }],
  ];
  for (const [name, fault] of faults) {
    test(`${name}: JSON and stream succeed on the next target`, async () => {
      st.sims.openai.faults.set([{ fault }]);
      try {
        const c = client(st);
        const { data, response } = await c.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: PROMPT }] }).withResponse();
        assert.equal(data.choices[0]!.message.content, expected);
        // Served by the next target (after the primary's breaker opens, without even trying the primary).
        assert.equal(response.headers.get('x-switchyard-provider'), 'sim-anthropic');
        const s = await streamText(c, 'chat');
        assert.equal(s.text, expected);
        assert.equal(s.provider, 'sim-anthropic');
      } finally {
        st.sims.openai.faults.set([]);
      }
    });
  }

  test('connection refused: JSON and stream succeed on the next target', async () => {
    const c = client(st);
    const r = await c.chat.completions.create({ model: 'dead-first', messages: [{ role: 'user', content: PROMPT }] });
    assert.equal(r.choices[0]!.message.content, expected);
    assert.equal((await streamText(c, 'dead-first')).text, expected);
  });

  test('a 400 from the provider: exactly one upstream attempt, and the client sees the provider\'s error', async () => {
    st.sims.anthropic.faults.set([{ fault: { kind: 'status', status: 400 } }]);
    const before = st.sims.anthropic.stats.requests + st.sims.openai.stats.requests + st.sims.gemini.stats.requests;
    try {
      await assert.rejects(client(st).chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: PROMPT }] }), (e: unknown) => e instanceof OpenAI.BadRequestError);
      assert.equal(st.sims.anthropic.stats.requests + st.sims.openai.stats.requests + st.sims.gemini.stats.requests - before, 1);
    } finally {
      st.sims.anthropic.faults.set([]);
    }
  });
});

test('all targets down: fast, informative refusals that tell SDKs not to retry', async () => {
  const st = await startStack({ configure: (c) => withPolicy(c, FAST) });
  try {
    for (const s of Object.values(st.sims)) s.faults.set([{ fault: { kind: 'status', status: 503 } }]);
    let last: Response | undefined;
    for (let i = 0; i < 12; i++) {
      last = await fetch(`${st.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }) });
    }
    const body = (await last!.json()) as { error: { message: string } };
    assert.equal(last!.status, 503);
    assert.equal(last!.headers.get('x-should-retry'), 'false');
    assert.ok(Number(last!.headers.get('retry-after')) >= 1);
    for (const t of ['sim-openai', 'sim-anthropic', 'sim-gemini']) assert.match(body.error.message, new RegExp(t));
    assert.match(body.error.message, /circuit open/, 'says why targets were skipped');
    const upstream = st.sims.openai.stats.requests + st.sims.anthropic.stats.requests + st.sims.gemini.stats.requests;
    assert.ok(upstream <= 3 * 6, `breakers stopped the traffic: ${upstream} upstream attempts for 12 requests`);
  } finally {
    await st.close();
  }
});

test('domino: the primary is down and the secondary holds 8 at a time; our failover stays within its capacity', async () => {
  const st = await startStack({
    configure: (c) => withPolicy({ ...c, models: [...c.models, { name: 'domino', targets: [{ provider: 'sim-openai', model: 'gpt-4o-mini' }, { provider: 'sim-gemini', model: 'gemini-2.0-flash' }] }] }, FAST, ['domino']),
  });
  try {
    st.sims.openai.faults.set([{ fault: { kind: 'status', status: 503 } }]);
    st.sims.gemini.capacity = 8;
    st.sims.gemini.ttftMs = 20;
    // 40 concurrent clients, each sending again as soon as it has its answer (after a short pause on a 503), for 3 s.
    const statuses: number[] = [];
    const until = Date.now() + 3000;
    const worker = async () => {
      while (Date.now() < until) {
        const r = await fetch(`${st.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'domino', messages: [{ role: 'user', content: 'hi' }] }) });
        statuses.push(r.status);
        await r.arrayBuffer();
        if (r.status !== 200) {
          assert.equal(r.status, 503);
          assert.ok(r.headers.get('retry-after'), '503 carries Retry-After');
          await new Promise((res) => setTimeout(res, 50));
        }
      }
    };
    await Promise.all(Array.from({ length: 40 }, worker));
    const g = st.sims.gemini.stats;
    const rejected = g.byStatus[429] ?? 0;
    assert.ok(g.requests > 0);
    assert.ok(rejected / g.requests < 0.05, `secondary rejected ${rejected} of ${g.requests}`);
    console.log(`domino: ${statuses.filter((s) => s === 200).length} ok of ${statuses.length}; secondary saw ${g.requests}, rejected ${rejected}, peak ${g.peakActive}`);
    assert.ok(statuses.filter((s) => s === 200).length >= 40, 'the secondary kept serving (paused only for the Retry-After of its rare 429s)');
  } finally {
    await st.close();
  }
});

test('recovery: traffic returns to the primary through half-open probes and slow start', async () => {
  const clock = new ManualClock(Date.now());
  const st = await startStack({ clock, configure: (c) => withPolicy(c, FAST) });
  const ask = async () => {
    const r = await fetch(`${st.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }) });
    await r.arrayBuffer();
    assert.equal(r.status, 200);
    return r.headers.get('x-switchyard-provider');
  };
  try {
    st.sims.openai.faults.set([{ fault: { kind: 'status', status: 503 } }]);
    for (let i = 0; i < 10; i++) assert.equal(await ask(), 'sim-anthropic');
    st.sims.openai.faults.set([]);
    const opensSeen = new Set<number>();
    let back = -1;
    for (let s = 0; s < 30 && back === -1; s++) {
      clock.advance(1000);
      for (let i = 0; i < 3; i++) if ((await ask()) === 'sim-openai' && back === -1) back = s;
      opensSeen.add(st.gateway.context.router.target(st.gateway.context.routes.resolve('chat').targets[0]!).breaker.opens);
    }
    assert.ok(back >= 0 && back < 30, `traffic back on the primary after ${back + 1} s`);
    for (let i = 0; i < 5; i++) assert.equal(await ask(), 'sim-openai');
    assert.ok(Math.max(...opensSeen) <= 1, 'at most one re-open during recovery');
  } finally {
    await st.close();
  }
});

test('hedging: slow first tokens get one hedge, the winner answers, the loser is cancelled upstream', async () => {
  const st = await startStack({ configure: (c) => withPolicy(c, policyWith({ ...FAST, hedge: true, hedgeAfterMs: 100, ttftTimeoutMs: 2000 }), ['chat']) });
  try {
    // 3% of first tokens from the primary are slow (a stall of 1.5 s before the first byte).
    st.sims.openai.faults.set([{ fault: { kind: 'stall-before-first-byte', ms: 1500 }, fraction: 0.03 }]);
    const c = client(st);
    let hedged = 0;
    for (let i = 0; i < 100; i++) {
      const r = await streamText(c, 'chat');
      assert.equal(r.text, expected);
      if (r.provider !== 'sim-openai') hedged++;
    }
    assert.ok(hedged <= 5, `hedge rate ${hedged}%`);
    assert.ok(hedged >= 1, 'the slow requests were hedged');
    // Each hedge's loser saw its request aborted.
    await new Promise((r) => setImmediate(r));
    assert.equal(st.sims.openai.stats.aborted, hedged);
  } finally {
    await st.close();
  }
});

test('Gemini answering 200 with no candidate and no block reason: the next target answers, not an empty reply', async () => {
  const { createServer } = await import('node:http');
  // What Gemini sends at times instead of an answer: a 200 with usage and nothing else.
  const empty = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ usageMetadata: { promptTokenCount: 171, totalTokenCount: 171 }, modelVersion: 'gemini-2.5-flash' }));
    });
  });
  await new Promise<void>((r) => empty.listen(0, '127.0.0.1', r));
  const port = (empty.address() as { port: number }).port;
  const st = await startStack({
    configure: (c) => ({
      ...c,
      providers: [...c.providers, { name: 'empty-gemini', type: 'gemini', baseUrl: `http://127.0.0.1:${port}/v1beta`, apiKey: 'FAKE-gemini-key', headers: {}, query: {} }],
      models: [...c.models, { name: 'empty-first', targets: [{ provider: 'empty-gemini', model: 'gemini-2.5-flash' }, { provider: 'sim-anthropic', model: 'claude-3-5-haiku-latest' }] }],
    }),
  });
  try {
    const { data, response } = await client(st).chat.completions.create({ model: 'empty-first', messages: [{ role: 'user', content: PROMPT }] }).withResponse();
    assert.equal(data.choices[0]!.message.content, expected);
    assert.equal(response.headers.get('x-switchyard-provider'), 'sim-anthropic');
    assert.equal(response.headers.get('x-switchyard-attempts'), '2');
  } finally {
    await st.close();
    await new Promise<void>((r) => empty.close(() => r()));
  }
});
