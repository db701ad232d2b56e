/**
 * End to end: the official `openai` SDK's Responses API (`client.responses`)
 * against the gateway's POST /v1/responses, in front of each simulated upstream
 * kind. No upstream speaks Responses, so every answer goes through the
 * canonical model and the openai-responses encoders; the simulators answer
 * deterministically, so text is checked word for word.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startStack, type Stack } from '../test-support/stack.js';
import { planAnswer } from '../sim/script.js';
import { SIM_MODELS } from '../sim/gateway-config.js';

const PROMPT = 'Tell me about resilient gateways.';
const UPSTREAMS = [
  { alias: 'via-openai', model: SIM_MODELS.openai },
  { alias: 'via-compat', model: SIM_MODELS.openai },
  { alias: 'via-anthropic', model: SIM_MODELS.anthropic },
  { alias: 'via-gemini', model: SIM_MODELS.gemini },
] as const;

const weatherTool: OpenAI.Responses.FunctionTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
  strict: false,
};

// 1x1 transparent PNG, as the data URL the Responses API takes in input_image.image_url.
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

function expectedText(model: string, prompt = PROMPT): string {
  const a = planAnswer({ model, lastUserText: prompt, tools: [], inputTokens: 0 });
  assert.ok(a.kind === 'text');
  return a.text;
}

let stack: Stack;
let client: OpenAI;

before(async () => {
  stack = await startStack();
  client = new OpenAI({ baseURL: `${stack.url}/v1`, apiKey: 'client-key-not-checked', maxRetries: 0 });
});
after(() => stack.close());

for (const { alias, model } of UPSTREAMS) {
  describe(`openai SDK responses -> ${alias}`, () => {
    test('create: text answer, completed, with usage', async () => {
      const res = await client.responses.create({ model: alias, instructions: 'Be brief.', input: PROMPT });
      assert.equal(res.object, 'response');
      assert.match(res.id, /^resp_/);
      assert.equal(res.status, 'completed');
      assert.equal(res.output_text, expectedText(model));
      assert.equal(res.output.length, 1);
      assert.equal(res.output[0]!.type, 'message');
      assert.equal(res.usage!.output_tokens, 24);
      assert.ok(res.usage!.input_tokens > 0);
      assert.equal(res.usage!.total_tokens, res.usage!.input_tokens + res.usage!.output_tokens);
    });

    test('create: a function tool gives a function_call item; its output gives the answer', async () => {
      const input: OpenAI.Responses.ResponseInputItem[] = [{ role: 'user', content: 'What is the weather in Paris? Use the tool.' }];
      const first = await client.responses.create({ model: alias, input, tools: [weatherTool] });
      assert.equal(first.status, 'completed');
      const call = first.output.find((o): o is OpenAI.Responses.ResponseFunctionToolCall => o.type === 'function_call');
      assert.ok(call, 'a function_call item');
      assert.equal(call.name, 'get_weather');
      assert.deepEqual(JSON.parse(call.arguments), { location: 'Paris' });
      assert.ok(call.call_id.length > 0);

      // The documented stateless loop: replay the output items, then add the result.
      input.push(...(first.output as OpenAI.Responses.ResponseInputItem[]), { type: 'function_call_output', call_id: call.call_id, output: 'sunny, 21C' });
      const second = await client.responses.create({ model: alias, input, tools: [weatherTool] });
      assert.equal(second.status, 'completed');
      assert.equal(second.output_text, 'The tool returned: sunny, 21C');
    });

    test('responses.stream(): deltas add up and finalResponse() is the completed response', async () => {
      const stream = client.responses.stream({ model: alias, input: PROMPT });
      let deltas = '';
      const types: string[] = [];
      stream.on('event', (e) => types.push(e.type));
      stream.on('response.output_text.delta', (e) => (deltas += e.delta));
      const final = await stream.finalResponse();
      assert.equal(final.status, 'completed');
      assert.equal(final.output_text, expectedText(model));
      assert.equal(deltas, expectedText(model));
      assert.equal(final.usage!.output_tokens, 24);
      assert.deepEqual(types.slice(0, 4), ['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added']);
      assert.deepEqual(types.slice(-4), ['response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed']);
    });

    test('create({stream: true}) with a tool: function_call events, then response.completed', async () => {
      const stream = await client.responses.create({ model: alias, stream: true, input: 'Weather in Paris?', tools: [weatherTool] });
      let args = '';
      let last: OpenAI.Responses.ResponseStreamEvent | undefined;
      let seq = -1;
      for await (const ev of stream) {
        assert.equal(ev.sequence_number, seq + 1, 'sequence numbers count up by one');
        seq = ev.sequence_number;
        if (ev.type === 'response.function_call_arguments.delta') args += ev.delta;
        last = ev;
      }
      assert.deepEqual(JSON.parse(args), { location: 'Paris' });
      assert.ok(last && last.type === 'response.completed');
      const call = last.response.output.find((o) => o.type === 'function_call');
      assert.ok(call && call.type === 'function_call' && call.name === 'get_weather');
      assert.ok(last.response.usage!.output_tokens > 0);
    });

    test('input_image with a data URL is accepted (JSON and stream)', async () => {
      const input: OpenAI.Responses.ResponseInput = [
        { role: 'user', content: [{ type: 'input_image', image_url: PNG, detail: 'auto' }, { type: 'input_text', text: PROMPT }] },
      ];
      const res = await client.responses.create({ model: alias, input });
      assert.equal(res.status, 'completed');
      assert.equal(res.output_text, expectedText(model));
      const final = await client.responses.stream({ model: alias, input }).finalResponse();
      assert.equal(final.output_text, expectedText(model));
    });

    test('max_output_tokens: status incomplete with reason max_output_tokens (JSON and stream)', async () => {
      const words = expectedText(model).split(' ').slice(0, 16).join(' ');
      const res = await client.responses.create({ model: alias, input: PROMPT, max_output_tokens: 16 });
      assert.equal(res.status, 'incomplete');
      assert.deepEqual(res.incomplete_details, { reason: 'max_output_tokens' });
      assert.equal(res.output_text, words);
      const final = await client.responses.stream({ model: alias, input: PROMPT, max_output_tokens: 16 }).finalResponse();
      assert.equal(final.status, 'incomplete');
      assert.equal(final.output_text, words);
    });
  });
}

describe('responses: what the gateway does not do yet is a clear 400', () => {
  test('previous_response_id without the journal', async () => {
    await assert.rejects(client.responses.create({ model: 'via-openai', input: 'hi', previous_response_id: 'resp_abc' }), (e: unknown) => {
      assert.ok(e instanceof OpenAI.BadRequestError);
      assert.equal(e.param, 'previous_response_id');
      assert.match(e.message, /needs the conversation journal: enable it \(journal.enabled: true\)/);
      return true;
    });
  });

  test('a built-in tool', async () => {
    await assert.rejects(client.responses.create({ model: 'via-openai', input: 'hi', tools: [{ type: 'web_search' }] }), (e: unknown) => {
      assert.ok(e instanceof OpenAI.BadRequestError);
      assert.equal(e.param, 'tools[0].type');
      assert.match(e.message, /built-in tool 'web_search' is not supported yet/);
      return true;
    });
  });
});

describe('responses: failures reach the SDK as errors, never as a clean end', () => {
  // Paced upstream chunks, so a cut lands after the gateway has sent its headers (a cut
  // within the first burst can beat the response headers and become a plain 502).
  let paced: Stack;
  let pacedClient: OpenAI;
  before(async () => {
    paced = await startStack({ sim: { chunkDelayMs: 2 } });
    pacedClient = new OpenAI({ baseURL: `${paced.url}/v1`, apiKey: 'client-key-not-checked', maxRetries: 0 });
  });
  after(() => paced.close());

  test('an upstream cut mid-stream with nowhere to continue: the SDK raises an APIError', async () => {
    paced.sims.anthropic.faults.set([{ fault: { kind: 'cut-after', after: 8 }, times: 1 }]);
    try {
      const stream = pacedClient.responses.stream({ model: 'via-anthropic', input: PROMPT });
      let deltas = 0;
      stream.on('response.output_text.delta', () => deltas++);
      await assert.rejects(stream.finalResponse(), (e: unknown) => {
        assert.ok(e instanceof OpenAI.APIError, `expected APIError, got ${String(e)}`);
        assert.match(e.message, /closed the stream before the answer was complete/);
        return true;
      });
      assert.ok(deltas > 0, 'part of the answer had arrived before the cut');
    } finally {
      paced.sims.anthropic.faults.set([]);
    }
  });

  test('an upstream 429 before the stream starts is an HTTP 429 the SDK raises as RateLimitError', async () => {
    paced.sims.gemini.faults.set([{ fault: { kind: 'status', status: 429, retryAfterSeconds: 5 }, times: 1 }]);
    try {
      await assert.rejects(pacedClient.responses.stream({ model: 'via-gemini', input: PROMPT }).finalResponse(), (e: unknown) => {
        assert.ok(e instanceof OpenAI.RateLimitError, `expected RateLimitError, got ${String(e)}`);
        return true;
      });
    } finally {
      paced.sims.gemini.faults.set([]);
    }
  });
});
