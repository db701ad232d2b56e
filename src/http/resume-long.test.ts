/**
 * Issue #24 item 5: a same-format stream keeps what it sent as transcript events past 64 KiB, not
 * as bytes. An answer of about 1 MB of frames (5,000 words, one frame each) that dies near its end
 * must still continue on another target from exactly what the client received: the compacted
 * events and the bytes kept after them are the whole of it, with no gap and no repetition.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { simAnswerText } from '../test-support/sim-answer.js';
import { policyWith } from '../routing/policy.js';
import { startStack, withPolicy, type Stack } from '../test-support/stack.js';
import type { SimFault } from '../sim/faults.js';

const PROMPT = 'Tell me a long story about trains, reply with 5000 words';
const expected = simAnswerText(PROMPT);

let st: Stack;
before(async () => {
  st = await startStack({ configure: (c) => withPolicy(c, policyWith({ ttftTimeoutMs: 2000, idleTimeoutMs: 500 })) });
});
after(() => st.close());

const marked = (o: unknown) => (o as { switchyard?: { resumed?: boolean } }).switchyard?.resumed === true;

const FAULTS: Array<[string, SimFault]> = [
  ['cut', { kind: 'cut-after', after: 4700 }],
  ['malformed frame in the same write as the frames before it', { kind: 'malformed-after', after: 4700, writes: 'together' }],
];

describe('a pass-through answer of about 1 MB dies near its end', () => {
  for (const [name, fault] of FAULTS) {
    test(`Chat Completions from an OpenAI upstream, ${name}: the whole answer once, marked resumed`, async () => {
      st.sims.openai.faults.set([{ fault, times: 1 }]);
      const c = new OpenAI({ baseURL: `${st.url}/v1`, apiKey: 'x', maxRetries: 0 });
      const stream = await c.chat.completions.create({ model: 'chat', stream: true, messages: [{ role: 'user', content: PROMPT }] });
      let text = '';
      let finish: string | null = null;
      let resumed = false;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        finish = chunk.choices[0]?.finish_reason ?? finish;
        resumed ||= marked(chunk);
      }
      assert.ok(resumed, 'the answer switched targets');
      assert.equal(text.length, expected.length, 'no gap and no repetition');
      assert.equal(text, expected);
      assert.equal(finish, 'stop');
    });

    test(`Messages from an Anthropic upstream, ${name}: the whole answer once, marked resumed`, async () => {
      st.sims.anthropic.faults.set([{ fault, times: 1 }]);
      const c = new Anthropic({ baseURL: st.url, apiKey: 'x', maxRetries: 0 });
      const stream = c.messages.stream({ model: 'claude', max_tokens: 8192, messages: [{ role: 'user', content: PROMPT }] });
      let deltas = '';
      let resumed = false;
      stream.on('text', (t) => (deltas += t));
      stream.on('streamEvent', (ev) => (resumed ||= marked(ev)));
      const msg = await stream.finalMessage();
      assert.ok(resumed, 'the answer switched targets');
      assert.equal(deltas.length, expected.length, 'no gap and no repetition');
      assert.equal(deltas, expected);
      const block = msg.content[0];
      assert.ok(block && block.type === 'text' && msg.content.length === 1, 'one text block, continued in place');
      assert.equal(block.text, expected);
      assert.equal(msg.stop_reason, 'end_turn');
    });
  }
});
