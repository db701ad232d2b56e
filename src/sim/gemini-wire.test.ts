/**
 * The simulated Gemini API, checked over real loopback HTTP with plain fetch and
 * the project's SSE parser (@google/genai is not installed). Expected shapes are
 * those of real responses recorded in googleapis/js-genai
 * (test/system/recordings/*_stream.json, test/unit/api_client_test.ts):
 * `data: {...}\r\n\r\n` frames, each a whole GenerateContentResponse with
 * candidates[0].content {parts, role: "model"}, usageMetadata, modelVersion,
 * responseId; finishReason only on the last; function calls whole, args an object.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SseParser } from '../sse/parser.js';
import { SimServer } from './engine.js';
import { geminiWire } from './gemini-wire.js';

let sim: SimServer;
let origin: string;
const KEY = 'AIza-test-FAKE';

before(async () => {
  sim = new SimServer(geminiWire);
  origin = await sim.start();
});
after(() => sim.stop());

async function post(path: string, body: unknown, headers: Record<string, string> = { 'x-goog-api-key': KEY }): Promise<Response> {
  return fetch(`${origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}
const hello = { contents: [{ role: 'user', parts: [{ text: 'Say hello' }] }] };
const tools = [{ functionDeclarations: [{ name: 'customDivide', description: 'Custom divide function', parameters: { type: 'OBJECT', properties: { numerator: { type: 'NUMBER' }, denominator: { type: 'NUMBER' } }, required: ['numerator', 'denominator'] } }] }];

type Chunk = { candidates?: { content: { parts: Record<string, unknown>[]; role: string }; finishReason?: string }[]; usageMetadata: Record<string, number>; modelVersion: string; responseId: string };

async function streamOf(res: Response): Promise<{ raw: string; chunks: Chunk[] }> {
  const raw = await res.text();
  const parser = new SseParser();
  const frames = [...parser.push(Buffer.from(raw)), ...parser.flush()];
  return { raw, chunks: frames.map((f) => JSON.parse(f.data) as Chunk) };
}

test('generateContent: the model comes from the path; response shaped like Google\'s', async () => {
  const res = await post('/v1beta/models/gemini-2.0-flash:generateContent', hello);
  assert.equal(res.status, 200);
  const body = (await res.json()) as Chunk;
  assert.equal(body.modelVersion, 'gemini-2.0-flash');
  assert.equal(typeof body.responseId, 'string');
  const cand = body.candidates![0]!;
  assert.equal(cand.content.role, 'model');
  assert.equal(typeof cand.content.parts[0]!.text, 'string');
  assert.equal(cand.finishReason, 'STOP');
  const u = body.usageMetadata;
  assert.ok(u.promptTokenCount! > 0 && u.candidatesTokenCount! > 0);
  assert.equal(u.totalTokenCount, u.promptTokenCount! + u.candidatesTokenCount!);
});

test('streamGenerateContent?alt=sse: CRLF frames, text in order, finishReason and full usage only on the last', async () => {
  const res = await post('/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse', { ...hello, generationConfig: { maxOutputTokens: 5 } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
  const { raw, chunks } = await streamOf(res);
  assert.ok(raw.startsWith('data: {"candidates": [{"content": {"parts": [{"text": '), raw.slice(0, 80));
  assert.ok(raw.endsWith('}\r\n\r\n'));
  assert.equal(raw.split('\r\n\r\n').length - 1, chunks.length);
  assert.ok(!raw.includes('[DONE]'));
  assert.equal(chunks.length, 5);
  for (const c of chunks.slice(0, -1)) {
    assert.equal(c.candidates![0]!.finishReason, undefined);
    assert.equal(c.usageMetadata.candidatesTokenCount, undefined);
  }
  const last = chunks.at(-1)!;
  assert.equal(last.candidates![0]!.finishReason, 'MAX_TOKENS');
  assert.equal(last.usageMetadata.candidatesTokenCount, 5);
  assert.equal(new Set(chunks.map((c) => c.responseId)).size, 1);
});

test('a function call arrives whole in one chunk with args as an object; the tool result is quoted back', async () => {
  const res = await post('/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse', { contents: [{ role: 'user', parts: [{ text: 'what is 100/2' }] }], tools });
  const { chunks } = await streamOf(res);
  assert.equal(chunks.length, 1);
  const cand = chunks[0]!.candidates![0]!;
  assert.deepEqual(cand.content.parts, [{ functionCall: { name: 'customDivide', args: { numerator: 42, denominator: 42 } } }]);
  assert.equal(cand.finishReason, 'STOP');

  const follow = await post('/v1beta/models/gemini-2.0-flash:generateContent', {
    contents: [
      { role: 'user', parts: [{ text: 'what is 100/2' }] },
      { role: 'model', parts: [{ functionCall: { name: 'customDivide', args: { numerator: 100, denominator: 2 } } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'customDivide', response: { output: '50' } } }] },
    ],
    tools,
  });
  const body = (await follow.json()) as Chunk;
  assert.equal(body.candidates![0]!.content.parts[0]!.text, 'The tool returned: 50');
});

test('auth: x-goog-api-key or ?key=; none -> 403 PERMISSION_DENIED', async () => {
  assert.equal((await post('/v1beta/models/gemini-2.0-flash:generateContent', hello, { 'x-goog-api-key': '' })).status, 403);
  const viaQuery = await post(`/v1beta/models/gemini-2.0-flash:generateContent?key=${KEY}`, hello, {});
  assert.equal(viaQuery.status, 200);
  const denied = await post('/v1beta/models/gemini-2.0-flash:generateContent', hello, {});
  const err = (await denied.json()) as { error: { code: number; status: string } };
  assert.equal(err.error.code, 403);
  assert.equal(err.error.status, 'PERMISSION_DENIED');
});

test('bad bodies are 400 INVALID_ARGUMENT in Google\'s shape', async () => {
  const cases: [unknown, RegExp][] = [
    [{ contents: [] }, /contents is not specified/],
    [{ ...hello, max_tokens: 5 }, /Unknown name "max_tokens"/],
    [{ ...hello, generationConfig: { maxTokens: 5 } }, /Unknown name "maxTokens" at 'generation_config'/],
    [{ ...hello, tools: [{ functionDeclarations: [{ name: 'f', parameters: { type: 'object', additionalProperties: false, properties: { a: { type: 'string' } } } }] }] }, /Unknown name "additionalProperties"/],
    [{ ...hello, tools: [{ functionDeclarations: [{ name: 'f', parameters: { type: 'OBJECT', properties: {} } }] }] }, /should be non-empty for OBJECT type/],
    [{ contents: [{ role: 'assistant', parts: [{ text: 'x' }] }] }, /valid role/],
  ];
  for (const [body, message] of cases) {
    const res = await post('/v1beta/models/gemini-2.0-flash:generateContent', body);
    assert.equal(res.status, 400);
    const text = await res.text();
    assert.ok(text.startsWith('{\n  "error": {\n    "code": 400,'), text.slice(0, 60));
    const err = (JSON.parse(text) as { error: { status: string; message: string } }).error;
    assert.equal(err.status, 'INVALID_ARGUMENT');
    assert.match(err.message, message);
  }
});

test('errors: 429 with RetryInfo honoring retryAfterSeconds, daily quota, 503 overloaded, 504', async () => {
  const e = (status: number, opts = {}) => JSON.parse(geminiWire.error(status, opts).body) as { error: { code: number; status: string; message: string; details?: Record<string, unknown>[] } };
  const rl = e(429, { retryAfterSeconds: 7 }).error;
  assert.equal(rl.status, 'RESOURCE_EXHAUSTED');
  assert.deepEqual(rl.details!.find((d) => String(d['@type']).endsWith('RetryInfo')), { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' });
  const q = e(429, { variant: 'quota' }).error;
  const violations = (q.details!.find((d) => String(d['@type']).endsWith('QuotaFailure'))!.violations as { quotaId: string }[]);
  assert.match(violations[0]!.quotaId, /PerDay/);
  assert.deepEqual([e(503).error.status, e(503).error.message], ['UNAVAILABLE', 'The model is overloaded. Please try again later.']);
  assert.equal(e(500).error.status, 'INTERNAL');
  assert.equal(e(504).error.status, 'DEADLINE_EXCEEDED');
  assert.equal(geminiWire.overCapacityStatus, 429);
});

test('embeddings: batchEmbedContents and embedContent, deterministic, outputDimensionality honored', async () => {
  const batch = await post('/v1beta/models/text-embedding-004:batchEmbedContents', {
    requests: ['a', 'b'].map((text) => ({ model: 'models/text-embedding-004', content: { parts: [{ text }] }, outputDimensionality: 8 })),
  });
  const b = (await batch.json()) as { embeddings: { values: number[] }[] };
  assert.equal(b.embeddings.length, 2);
  assert.equal(b.embeddings[0]!.values.length, 8);
  const single = await post('/v1beta/models/text-embedding-004:embedContent', { content: { parts: [{ text: 'a' }] }, outputDimensionality: 8 });
  assert.deepEqual(((await single.json()) as { embedding: { values: number[] } }).embedding.values, b.embeddings[0]!.values);
  const mismatch = await post('/v1beta/models/text-embedding-004:batchEmbedContents', { requests: [{ model: 'models/other', content: { parts: [{ text: 'a' }] } }] });
  assert.equal(mismatch.status, 400);
});

test('GET /v1beta/models lists models/ names with supportedGenerationMethods', async () => {
  const res = await fetch(`${origin}/v1beta/models`, { headers: { 'x-goog-api-key': KEY } });
  const body = (await res.json()) as { models: { name: string; supportedGenerationMethods: string[] }[] };
  assert.ok(body.models.length > 0);
  assert.ok(body.models.every((m) => m.name.startsWith('models/') && Array.isArray(m.supportedGenerationMethods)));
});

test('the malformed-frame fault is a data frame the JSON parser rejects', async () => {
  sim.faults.set([{ fault: { kind: 'malformed-after', after: 1 }, times: 1 }]);
  const res = await post('/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse', hello);
  const raw = await res.text();
  const frames = new SseParser().push(Buffer.from(raw));
  assert.equal(frames.length, 2);
  JSON.parse(frames[0]!.data);
  assert.throws(() => JSON.parse(frames[1]!.data));
  sim.faults.set([]);
});
