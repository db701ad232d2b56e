/**
 * Content a target can't represent is a clear 400 in the client's own format,
 * naming the field the client wrote — never a silent drop (issue 3). Each case
 * goes through the real gateway with the official SDKs; the same request to a
 * target that can represent it succeeds, so the 400 is about the target.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { startStack, type Stack } from '../test-support/stack.js';

const IMAGE_URL = 'https://example.com/cat.png';
const PROMPT = 'What is in this picture?';

let stack: Stack;
let openai: OpenAI;
let anthropic: Anthropic;

before(async () => {
  stack = await startStack();
  openai = new OpenAI({ baseURL: `${stack.url}/v1`, apiKey: 'sk-test-FAKE', maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: stack.url, apiKey: 'sk-ant-test-FAKE', maxRetries: 0 });
});
after(() => stack.close());

describe('an image by http(s) URL to a Gemini target (Gemini cannot fetch URLs)', () => {
  const chat = (model: string, stream: boolean) =>
    openai.chat.completions.create({
      model,
      stream,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: PROMPT }, { type: 'image_url', image_url: { url: IMAGE_URL } }] },
      ],
    } as OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming);

  test('Chat Completions: 400 invalid_request_error with param messages[1].content[1].image_url.url (JSON and stream)', async () => {
    for (const stream of [false, true]) {
      await assert.rejects(chat('via-gemini', stream), (e: unknown) => {
        assert.ok(e instanceof OpenAI.BadRequestError, String(e));
        assert.equal(e.param, 'messages[1].content[1].image_url.url');
        assert.equal(e.type, 'invalid_request_error');
        assert.match(e.message, /Google Gemini, which cannot fetch images by http\(s\) URL/);
        assert.match(e.message, /data: URL/);
        return true;
      });
    }
  });

  test('a route with Gemini first and other targets after it serves the request from the next target', async () => {
    for (const stream of [false, true]) {
      const { data, response } = await chat('gemini', stream).withResponse();
      assert.equal(response.headers.get('x-switchyard-provider'), 'sim-openai', `stream=${stream}`);
      if (!stream) assert.ok((data as OpenAI.Chat.Completions.ChatCompletion).choices[0]!.message.content);
      else for await (const _ of data as unknown as AsyncIterable<unknown>) void _;
    }
  });

  test('Chat Completions: the same request to OpenAI and Anthropic targets is answered', async () => {
    for (const alias of ['via-openai', 'via-anthropic']) {
      const res = (await chat(alias, false)) as OpenAI.Chat.Completions.ChatCompletion;
      assert.ok(res.choices[0]!.message.content, alias);
    }
  });

  test("Messages: 400 in Anthropic's shape, the message naming the client's own block (not the canonical index)", async () => {
    const params: Anthropic.MessageCreateParamsNonStreaming = {
      model: 'via-gemini',
      max_tokens: 100,
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: PROMPT }, { type: 'image', source: { type: 'url', url: IMAGE_URL } }] }],
    };
    await assert.rejects(anthropic.messages.create(params), (e: unknown) => {
      assert.ok(e instanceof Anthropic.BadRequestError, String(e));
      const body = e.error as { type: string; error: { type: string; message: string } };
      assert.equal(body.type, 'error');
      assert.equal(body.error.type, 'invalid_request_error');
      assert.match(body.error.message, /^messages\[0\]\.content\[1\]\.source\.url: this model is served by Google Gemini/);
      return true;
    });
    await assert.rejects(anthropic.messages.stream(params).finalMessage(), (e: unknown) => e instanceof Anthropic.BadRequestError);
    const ok = await anthropic.messages.create({ ...params, model: 'via-openai' });
    assert.equal(ok.stop_reason, 'end_turn');
  });

  test('Responses: 400 with param input[0].content[1].image_url', async () => {
    const input: OpenAI.Responses.ResponseInput = [{ role: 'user', content: [{ type: 'input_text', text: PROMPT }, { type: 'input_image', image_url: IMAGE_URL, detail: 'auto' }] }];
    await assert.rejects(openai.responses.create({ model: 'via-gemini', instructions: 'Be brief.', input }), (e: unknown) => {
      assert.ok(e instanceof OpenAI.BadRequestError, String(e));
      assert.equal(e.param, 'input[0].content[1].image_url');
      return true;
    });
    const ok = await openai.responses.create({ model: 'via-anthropic', input });
    assert.equal(ok.status, 'completed');
  });
});

describe('structured output an Anthropic target cannot enforce (JSON mode; a model without structured outputs)', () => {
  const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false };

  test('Chat Completions: 400 with param response_format, not a free-text answer', async () => {
    for (const [response_format, message] of [
      // via-anthropic serves claude-3-5-haiku-latest, which has no structured outputs (src/http/structured-output.test.ts has a model that does).
      [{ type: 'json_schema', json_schema: { name: 'answer', schema, strict: true } }, /claude-3-5-haiku-latest has no structured outputs/],
      [{ type: 'json_object' }, /'json_object' can't be enforced by the Anthropic target/],
    ] as const) {
      await assert.rejects(openai.chat.completions.create({ model: 'via-anthropic', messages: [{ role: 'user', content: 'Reply in JSON.' }], response_format }), (e: unknown) => {
        assert.ok(e instanceof OpenAI.BadRequestError, String(e));
        assert.equal(e.param, 'response_format');
        assert.equal(e.code, 'unsupported_by_target');
        assert.match(e.message, message);
        return true;
      });
    }
    // OpenAI and Gemini targets take it.
    for (const alias of ['via-openai', 'via-gemini']) {
      const res = await openai.chat.completions.create({ model: alias, messages: [{ role: 'user', content: 'Reply in JSON.' }], response_format: { type: 'json_schema', json_schema: { name: 'answer', schema } } });
      assert.equal(res.choices[0]!.finish_reason, 'stop', alias);
    }
  });

  test('Responses text.format: the same 400, naming text.format', async () => {
    await assert.rejects(openai.responses.create({ model: 'via-anthropic', input: 'Reply in JSON.', text: { format: { type: 'json_schema', name: 'answer', schema, strict: true } } }), (e: unknown) => {
      assert.ok(e instanceof OpenAI.BadRequestError, String(e));
      assert.equal(e.param, 'text.format');
      assert.match(e.message, /^400 text\.format: /);
      return true;
    });
  });
});
