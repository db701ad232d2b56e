/**
 * A simulated Azure OpenAI resource, written from the Azure OpenAI REST reference: POST
 * /openai/deployments/{deployment}/chat/completions and /embeddings with a required `api-version`
 * query parameter, the key in the `api-key` header (or an Entra ID token as a bearer). Answers are
 * the OpenAI wire's with Azure's additions: a first stream chunk with `prompt_filter_results` and
 * empty choices, `content_filter_results` on every choice, and Azure's error bodies (`code` as a
 * string, the `content_filter` 400 with its `innererror`, 429s with retry-after and
 * retry-after-ms). A prompt that contains "trip the content filter" is refused as Azure refuses
 * a filtered prompt.
 */
import { openaiWire } from './openai-wire.js';
import type { SimErrorResponse, SimWire } from './wire.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const SIM_AZURE_API_VERSIONS = ['2024-10-21', '2024-06-01', '2025-01-01-preview'];
const SAFE = { hate: { filtered: false, severity: 'safe' }, self_harm: { filtered: false, severity: 'safe' }, sexual: { filtered: false, severity: 'safe' }, violence: { filtered: false, severity: 'safe' } };
const FILTER_TRIGGER = 'trip the content filter';

function azureError(status: number, error: Obj, headers: Record<string, string> = {}): SimErrorResponse {
  return { status, headers: { 'content-type': 'application/json', 'apim-request-id': 'sim-apim-0000', ...headers }, body: JSON.stringify({ error }) };
}

const NOT_FOUND = azureError(404, { code: '404', message: 'Resource not found' });

const CONTENT_FILTERED = azureError(400, {
  message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766",
  type: null,
  param: 'prompt',
  code: 'content_filter',
  status: 400,
  innererror: { code: 'ResponsibleAIPolicyViolation', content_filter_result: { ...SAFE, violence: { filtered: true, severity: 'medium' }, jailbreak: { filtered: false, detected: false } } },
});

/** Azure's stream chunk for an OpenAI one: content filter results on each choice. */
function azureChunk(frame: string): string {
  if (!frame.startsWith('data: {')) return frame;
  const chunk = JSON.parse(frame.slice('data: '.length)) as Obj;
  if (Array.isArray(chunk.choices)) chunk.choices = chunk.choices.map((c: unknown) => (isObj(c) && !isObj(c.delta) ? c : { ...(c as Obj), content_filter_results: isObj(c) && isObj(c.delta) && 'content' in c.delta ? SAFE : {} }));
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

export const azureWire: SimWire = {
  ...openaiWire,
  provider: 'azure-openai',

  route(method, url) {
    const [path, query] = url.split('?');
    const m = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/.exec(path ?? '');
    if (method !== 'POST' || !m) return undefined;
    // An unknown api-version is a 404 at Azure, like an unknown path.
    if (!SIM_AZURE_API_VERSIONS.includes(new URLSearchParams(query ?? '').get('api-version') ?? '')) return undefined;
    const model = decodeURIComponent(m[1]!);
    return m[2] === 'embeddings' ? { kind: 'embed', model } : { kind: 'chat', stream: false, model };
  },

  authorized(headers) {
    const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
    const key = one(headers['api-key']);
    if (typeof key === 'string' && key.trim() !== '') return true;
    return /^Bearer\s+\S+/i.test(one(headers.authorization) ?? '');
  },

  parseChat(body, route) {
    // The deployment names the model; a body's `model` is optional and ignored.
    const model = route.kind === 'chat' ? route.model ?? '' : '';
    const parsed = openaiWire.parseChat(isObj(body) ? { ...body, model } : body, route);
    if ('prompt' in parsed && parsed.prompt.lastUserText.includes(FILTER_TRIGGER)) return { error: CONTENT_FILTERED };
    return parsed;
  },

  chatJson(answer, prompt, id) {
    const body = openaiWire.chatJson(answer, prompt, id) as Obj;
    const choices = (body.choices as Obj[]).map((c) => ({ ...c, content_filter_results: SAFE }));
    return { ...body, choices, prompt_filter_results: [{ prompt_index: 0, content_filter_results: SAFE }] };
  },

  streamFrames(answer, prompt, id) {
    const first = `data: ${JSON.stringify({ choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: [{ prompt_index: 0, content_filter_results: SAFE }] })}\n\n`;
    return [first, ...openaiWire.streamFrames(answer, prompt, id).map((f) => azureChunk(String(f)))];
  },

  embed(body, route) {
    const model = route.kind === 'embed' ? route.model ?? '' : '';
    return openaiWire.embed(isObj(body) ? { ...body, model } : body, route);
  },

  error(status, o) {
    const secs = o.retryAfterSeconds ?? 6;
    if (o.variant === 'unauthorized' || status === 401) {
      return azureError(401, { code: '401', message: 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.' });
    }
    if (status === 404) return NOT_FOUND;
    if (status === 429) {
      return azureError(429, { code: '429', message: `Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after ${secs} seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.` }, { 'retry-after': String(secs), 'retry-after-ms': String(secs * 1000) });
    }
    return openaiWire.error(status, o);
  },
};
