/**
 * Issue #22: a mid-stream failure whose frame arrives in the same read as the frames before it
 * (and after it) must not lose them. The simulated upstream writes the frames before the failure,
 * the failing frame and (for a malformed frame it goes on after) the rest in ONE write; the
 * client — judged by the official SDKs — must get the whole answer with no gap and no
 * duplicate, marked resumed, for every failure kind and every ingress format, pass-through
 * (client and upstream speak the same format) and translated alike.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { simAnswerText } from '../test-support/sim-answer.js';
import { policyWith } from '../routing/policy.js';
import { startStack, withPolicy, type Stack } from '../test-support/stack.js';
import type { SimFault } from '../sim/faults.js';

const PROMPT = 'Tell me a long story about trains, reply with 40 words';
const expected = simAnswerText(PROMPT);

const KINDS: Array<[string, SimFault]> = [
  ['malformed frame, then the rest of the answer', { kind: 'malformed-after', after: 10, continue: true, writes: 'together' }],
  ['malformed frame, then close', { kind: 'malformed-after', after: 10, writes: 'together' }],
  ['cut', { kind: 'cut-after', after: 10, writes: 'together' }],
  ['stall', { kind: 'stall-after', after: 10, writes: 'together' }],
  ['upstream error event', { kind: 'error-after', after: 10, writes: 'together' }],
  ['oversized event', { kind: 'oversized-after', after: 10, writes: 'together' }],
];

let st: Stack;
before(async () => {
  st = await startStack({ configure: (c) => withPolicy(c, policyWith({ ttftTimeoutMs: 2000, idleTimeoutMs: 300, budgetFloorPerSecond: 1000, breaker: { consecutiveFailures: 1000, minVolume: 1000 } })) });
});
after(() => st.close());

type Sims = Stack['sims'];
/** The failing target's sim, and the alias whose first target it is. */
const UPSTREAMS: Array<{ name: string; sim: keyof Sims; chat: string }> = [
  { name: 'openai upstream', sim: 'openai', chat: 'chat' },
  { name: 'anthropic upstream', sim: 'anthropic', chat: 'claude' },
];

function marker(o: unknown): { resumed?: boolean } | undefined {
  return (o as { switchyard?: { resumed?: boolean } }).switchyard;
}

for (const up of UPSTREAMS) {
  describe(`${up.name}: the failing frame arrives together with the frames around it`, () => {
    for (const [name, fault] of KINDS) {
      test(`Chat Completions (openai SDK), ${name}: the whole answer once, marked resumed`, async () => {
        st.sims[up.sim].faults.set([{ fault, times: 1 }]);
        const c = new OpenAI({ baseURL: `${st.url}/v1`, apiKey: 'x', maxRetries: 0 });
        const stream = await c.chat.completions.create({ model: up.chat, stream: true, messages: [{ role: 'user', content: PROMPT }] });
        let text = '';
        let finish: string | null = null;
        let resumed = false;
        for await (const chunk of stream) {
          text += chunk.choices[0]?.delta.content ?? '';
          finish = chunk.choices[0]?.finish_reason ?? finish;
          resumed ||= marker(chunk)?.resumed === true;
        }
        assert.equal(text, expected);
        assert.equal(finish, 'stop');
        assert.ok(resumed, 'the switch is marked');
      });

      test(`Messages (Anthropic SDK), ${name}: the whole answer once, marked resumed`, async () => {
        st.sims[up.sim].faults.set([{ fault, times: 1 }]);
        const c = new Anthropic({ baseURL: st.url, apiKey: 'x', maxRetries: 0 });
        const stream = c.messages.stream({ model: up.chat, max_tokens: 1024, messages: [{ role: 'user', content: PROMPT }] });
        let deltas = '';
        let resumed = false;
        stream.on('text', (t) => (deltas += t));
        stream.on('streamEvent', (ev) => (resumed ||= marker(ev)?.resumed === true));
        const msg = await stream.finalMessage();
        const block = msg.content[0];
        assert.ok(block && block.type === 'text');
        assert.equal(block.text, expected);
        assert.equal(deltas, expected);
        assert.equal(msg.stop_reason, 'end_turn');
        assert.ok(resumed, 'the switch is marked');
      });

      test(`Responses (openai SDK), ${name}: the whole answer once, marked resumed`, async () => {
        st.sims[up.sim].faults.set([{ fault, times: 1 }]);
        const c = new OpenAI({ baseURL: `${st.url}/v1`, apiKey: 'x', maxRetries: 0 });
        const stream = await c.responses.create({ model: up.chat, stream: true, input: PROMPT });
        let deltas = '';
        let resumed = false;
        let final: OpenAI.Responses.Response | undefined;
        for await (const ev of stream) {
          if (ev.type === 'response.output_text.delta') deltas += ev.delta;
          if (ev.type === 'response.completed') final = ev.response;
          resumed ||= marker(ev)?.resumed === true;
        }
        assert.equal(deltas, expected);
        assert.equal(final?.status, 'completed');
        const item = final.output[0];
        assert.ok(item?.type === 'message' && item.content[0]?.type === 'output_text');
        assert.equal(item.content[0].text, expected);
        assert.ok(resumed, 'the switch is marked');
      });
    }
  });
}
