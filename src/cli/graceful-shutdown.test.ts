/**
 * Graceful shutdown and rolling restarts (issue #27 item 6): SIGTERM with 50 streams in flight.
 * /readyz turns 503 while the listener still accepts (a load balancer reading it moves away),
 * then the listener closes (connection refused), and every stream finishes with its whole text.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { simAnswerText } from '../test-support/sim-answer.js';
import { policyWith } from '../routing/policy.js';
import { startStack, withPolicy, type Stack } from '../test-support/stack.js';
import { runUntilStopped } from './lifecycle.js';
import { testIo } from './test-io.js';

const PROMPT = 'Explain failover in one paragraph.';
const expected = simAnswerText(PROMPT);
const STREAMS = 50;

describe('SIGTERM with 50 streams in flight', () => {
  let st: Stack;
  before(async () => {
    // Slow streams (a frame every 40 ms), and room for all 50 on the first target.
    st = await startStack({
      sim: { chunkDelayMs: 40 },
      configure: (c) => ({ ...withPolicy(c, policyWith({ limiter: { initial: 100 } })), server: { ...c.server, drain: { readyzGraceMs: 400, deadlineMs: 20_000 } } }),
    });
  });
  after(() => st.close());

  test('/readyz answers 503 before the listener closes, and all 50 streams end with their full text', async () => {
    const io = testIo();
    const stopped = runUntilStopped(io, st.gateway);
    const c = new OpenAI({ baseURL: `${st.url}/v1`, apiKey: 'x', maxRetries: 0 });
    let started = 0;
    let finished = 0;
    let finishedWhenRefused = -1;
    let allStarted!: () => void;
    const running = new Promise<void>((r) => (allStarted = r));
    const streams = Array.from({ length: STREAMS }, async () => {
      const stream = await c.chat.completions.create({ model: 'chat', stream: true, messages: [{ role: 'user', content: PROMPT }] });
      let text = '';
      let first = true;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        if (first && text.length > 0) {
          first = false;
          if (++started === STREAMS) allStarted();
        }
      }
      finished++;
      return text;
    });
    await running;

    // What /readyz said, in order, from a poller on fresh connections, until the listener refuses.
    const seen: string[] = [];
    const polled = (async () => {
      const until = Date.now() + 15_000;
      while (Date.now() < until) {
        try {
          const r = await fetch(`${st.url}/readyz`, { headers: { connection: 'close' } });
          await r.arrayBuffer();
          if (seen.at(-1) !== String(r.status)) seen.push(String(r.status));
        } catch (e) {
          const code = ((e as Error).cause as NodeJS.ErrnoException | undefined)?.code;
          // A connection accepted in the instant the listener closes is reset, not answered: the moment of closing, not a state.
          if (code === 'ECONNRESET') continue;
          seen.push(code ?? String(e));
          if (code === 'ECONNREFUSED') {
            finishedWhenRefused = finished;
            return;
          }
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await new Promise((r) => setTimeout(r, 100));
    io.stop('SIGTERM');

    const texts = await Promise.all(streams);
    await polled;
    assert.equal(await stopped, 0, io.err());
    assert.deepEqual(seen, ['200', '503', 'ECONNREFUSED'], '/readyz: ready, then draining (503) while still listening, then the listener closed');
    assert.ok(finishedWhenRefused >= 0 && finishedWhenRefused < STREAMS, `streams were still in flight when the listener closed (${finishedWhenRefused} had finished)`);
    assert.equal(texts.length, STREAMS);
    for (const t of texts) assert.equal(t, expected);
    assert.match(io.err(), /SIGTERM: finishing open requests; \/readyz answers 503/);
  });
});
