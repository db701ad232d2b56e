/** Canonical request -> Gemini generateContent body (field names per the v1beta REST reference / js-genai recordings). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../core/errors.js';
import type { ChatRequest, Message } from '../../core/request.js';
import { encodeRequest } from './encode-request.js';

function req(messages: Message[], extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'alias', messages, stream: false, includeUsage: false, ...extra };
}
const text = (t: string) => ({ type: 'text' as const, text: t });

test('system messages become systemInstruction; the model is not in the body', () => {
  const body = encodeRequest(req([{ role: 'system', content: [text('Be brief.')] }, { role: 'user', content: [text('Hi')] }]), 'gemini-2.0-flash');
  assert.deepEqual(body, {
    contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
    systemInstruction: { parts: [{ text: 'Be brief.' }] },
  });
  assert.equal('model' in body, false);
});

test('multi-turn: assistant -> model role; consecutive same-role turns merge', () => {
  const body = encodeRequest(
    req([
      { role: 'user', content: [text('one')] },
      { role: 'user', content: [text('two')] },
      { role: 'assistant', content: [text('ok')] },
      { role: 'user', content: [text('three')] },
    ]),
    'gemini-2.0-flash',
  );
  assert.deepEqual(body.contents, [
    { role: 'user', parts: [{ text: 'one' }, { text: 'two' }] },
    { role: 'model', parts: [{ text: 'ok' }] },
    { role: 'user', parts: [{ text: 'three' }] },
  ]);
});

test('tools: declarations with a cleaned schema, toolChoice -> functionCallingConfig', () => {
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    additionalProperties: false,
    properties: {
      city: { type: 'string', description: 'City name', format: 'uri' },
      unit: { type: ['string', 'null'], enum: ['c', 'f'] },
      when: { type: 'string', format: 'date-time', default: 'now' },
      tags: { type: 'array', items: { $ref: '#/$defs/tag' } },
    },
    required: ['city', 'ghost'],
    $defs: { tag: { type: 'string', const: 'x' } },
  };
  const body = encodeRequest(
    req([{ role: 'user', content: [text('weather?')] }], {
      tools: [{ name: 'get_weather', description: 'Weather', parameters: schema }, { name: 'ping', parameters: { type: 'object', properties: {} } }],
      toolChoice: { name: 'get_weather' },
    }),
    'gemini-2.0-flash',
  );
  assert.deepEqual(body.tools, [
    {
      functionDeclarations: [
        {
          name: 'get_weather',
          description: 'Weather',
          parameters: {
            type: 'OBJECT',
            properties: {
              city: { type: 'STRING', description: 'City name' },
              unit: { type: 'STRING', nullable: true, enum: ['c', 'f'], format: 'enum' },
              when: { type: 'STRING', format: 'date-time' },
              tags: { type: 'ARRAY', items: { type: 'STRING', enum: ['x'] } },
            },
            required: ['city'],
          },
        },
        // A function without arguments has no `parameters` (an empty OBJECT is a 400).
        { name: 'ping' },
      ],
    },
  ]);
  assert.deepEqual(body.toolConfig, { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } });
  for (const [choice, mode] of [['auto', 'AUTO'], ['none', 'NONE'], ['required', 'ANY']] as const) {
    const b = encodeRequest(req([{ role: 'user', content: [text('x')] }], { tools: [{ name: 'f', parameters: {} }], toolChoice: choice }), 'm');
    assert.deepEqual(b.toolConfig, { functionCallingConfig: { mode } });
  }
});

test('tool calls and tool results: functionCall with parsed args, functionResponse named from the call', () => {
  const body = encodeRequest(
    req([
      { role: 'user', content: [text('divide 100 by 2')] },
      { role: 'assistant', content: [], toolCalls: [{ id: 'call_a', name: 'customDivide', arguments: '{"numerator":100,"denominator":2}' }] },
      { role: 'tool', toolCallId: 'call_a', content: [text('50')] },
      { role: 'tool', toolCallId: 'call_a', content: [text('boom')], isError: true },
    ]),
    'gemini-2.0-flash',
  );
  assert.deepEqual(body.contents, [
    { role: 'user', parts: [{ text: 'divide 100 by 2' }] },
    { role: 'model', parts: [{ functionCall: { name: 'customDivide', args: { numerator: 100, denominator: 2 } } }] },
    {
      role: 'user',
      parts: [
        { functionResponse: { name: 'customDivide', response: { output: '50' } } },
        { functionResponse: { name: 'customDivide', response: { error: 'boom' } } },
      ],
    },
  ]);
});

test('a reused call id resolves to the call in its own turn', () => {
  const body = encodeRequest(
    req([
      { role: 'user', content: [text('a')] },
      { role: 'assistant', content: [], toolCalls: [{ id: 'call_0', name: 'first', arguments: '{}' }] },
      { role: 'tool', toolCallId: 'call_0', content: [text('1')] },
      { role: 'assistant', content: [], toolCalls: [{ id: 'call_0', name: 'second', arguments: '{}' }] },
      { role: 'tool', toolCallId: 'call_0', content: [text('2')] },
    ]),
    'gemini-2.0-flash',
  );
  const names = (body.contents as { parts: { functionResponse?: { name: string } }[] }[]).flatMap((c) => c.parts.map((p) => p.functionResponse?.name).filter(Boolean));
  assert.deepEqual(names, ['first', 'second']);
});

test('Gemini 3 models get the documented thought-signature sentinel on replayed calls', () => {
  const messages: Message[] = [
    { role: 'user', content: [text('a')] },
    { role: 'assistant', content: [], toolCalls: [{ id: 'c', name: 'f', arguments: '{}' }] },
    { role: 'tool', toolCallId: 'c', content: [text('1')] },
  ];
  const g3 = encodeRequest(req(messages), 'gemini-3-pro-preview').contents as { parts: Record<string, unknown>[] }[];
  assert.equal(g3[1]!.parts[0]!.thoughtSignature, 'skip_thought_signature_validator');
  const g2 = encodeRequest(req(messages), 'gemini-2.5-flash').contents as { parts: Record<string, unknown>[] }[];
  assert.equal('thoughtSignature' in g2[1]!.parts[0]!, false);
});

test('invalid tool-call JSON is a 400 naming the message', () => {
  assert.throws(
    () => encodeRequest(req([{ role: 'user', content: [text('a')] }, { role: 'assistant', content: [], toolCalls: [{ id: 'c', name: 'f', arguments: '{oops' }] }]), 'm'),
    (e: unknown) => e instanceof GatewayError && e.status === 400 && e.kind === 'client_error' && e.param === 'messages[1].tool_calls[0].function.arguments',
  );
});

test('images: base64 and data: URLs go inline; an http(s) URL is a 400 asking for a data: URL', () => {
  const body = encodeRequest(
    req([
      {
        role: 'user',
        content: [
          text('what is this?'),
          { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
          { type: 'image', source: { kind: 'url', url: 'data:image/jpeg;base64,/9j/4AAQ' } },
        ],
      },
    ]),
    'm',
  );
  assert.deepEqual(body.contents, [
    {
      role: 'user',
      parts: [{ text: 'what is this?' }, { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } }, { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQ' } }],
    },
  ]);
  assert.throws(
    () => encodeRequest(req([{ role: 'user', content: [text('x'), { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' } }] }]), 'm'),
    (e: unknown) => e instanceof GatewayError && e.status === 400 && e.kind === 'client_error' && e.param === 'messages[0].content[1]' && /data: URL/.test(e.message),
  );
});

test('generationConfig: limits, sampling, stop, seed, JSON output with a cleaned responseSchema', () => {
  const body = encodeRequest(
    req([{ role: 'user', content: [text('x')] }], {
      maxTokens: 100,
      temperature: 0.2,
      topP: 0.9,
      stop: ['END'],
      seed: 7,
      responseFormat: { type: 'json_schema', name: 'r', schema: { type: 'object', additionalProperties: false, properties: { a: { type: 'integer' } }, required: ['a'] } },
    }),
    'm',
  );
  assert.deepEqual(body.generationConfig, {
    maxOutputTokens: 100,
    temperature: 0.2,
    topP: 0.9,
    stopSequences: ['END'],
    seed: 7,
    responseMimeType: 'application/json',
    responseSchema: { type: 'OBJECT', properties: { a: { type: 'INTEGER' } }, required: ['a'] },
  });
  const jsonMode = encodeRequest(req([{ role: 'user', content: [text('x')] }], { responseFormat: { type: 'json_object' } }), 'm');
  assert.deepEqual(jsonMode.generationConfig, { responseMimeType: 'application/json' });
});

test('a conversation with only a system message is a 400', () => {
  assert.throws(() => encodeRequest(req([{ role: 'system', content: [text('hi')] }]), 'm'), (e: unknown) => e instanceof GatewayError && e.status === 400);
});

test('a reasoning effort: thinkingLevel for Gemini 3, a clamped thinkingBudget for 2.5, refused where the model does not think', () => {
  const gen = (reasoningEffort: ChatRequest['reasoningEffort'], model: string) => encodeRequest(req([{ role: 'user', content: [text('Hi')] }], reasoningEffort ? { reasoningEffort } : {}), model).generationConfig as Record<string, unknown> | undefined;
  assert.deepEqual(gen('low', 'gemini-3-pro-preview'), { thinkingConfig: { thinkingLevel: 'LOW' } });
  assert.deepEqual(gen('xhigh', 'gemini-3-flash'), { thinkingConfig: { thinkingLevel: 'HIGH' } });
  assert.deepEqual(gen('medium', 'gemini-2.5-flash'), { thinkingConfig: { thinkingBudget: 8192 } });
  assert.deepEqual(gen('max', 'gemini-2.5-flash-lite'), { thinkingConfig: { thinkingBudget: 24576 } });
  assert.deepEqual(gen('max', 'gemini-2.5-pro'), { thinkingConfig: { thinkingBudget: 32768 } });
  assert.deepEqual(gen('none', 'gemini-2.5-flash'), { thinkingConfig: { thinkingBudget: 0 } });
  assert.equal(gen('none', 'gemini-2.0-flash'), undefined, 'a model that never thinks already honours none');
  assert.throws(() => gen('low', 'gemini-2.0-flash'), (e: unknown) => e instanceof GatewayError && e.code === 'unsupported_by_target' && e.param === 'reasoning_effort' && /does not think/.test(e.message));
});

test('output only the client format carries back (logprobs, audio) makes the target ineligible', () => {
  assert.throws(() => encodeRequest(req([{ role: 'user', content: [text('Hi')] }], { sameFormatOnly: ['modalities'] }), 'gemini-2.5-flash'), (e: unknown) => e instanceof GatewayError && e.code === 'unsupported_by_target' && e.param === 'modalities');
});
