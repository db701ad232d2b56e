/**
 * Cloud credentials that expire, at the provider level, against the simulators over real HTTP,
 * with an injected clock: the Vertex bearer token and the Bedrock session credentials are used
 * until shortly before they expire, then fetched anew, and the new ones are what the simulated
 * cloud sees. A credential the cloud rejects is dropped and fetched again for the next request.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../core/clock.js';
import type { ChatRequest } from '../core/request.js';
import { createBedrockWire, SIM_AWS_CREDENTIALS } from '../sim/bedrock-wire.js';
import { SimServer } from '../sim/engine.js';
import type { SimAwsCredential } from '../sim/sigv4-verifier.js';
import { createVertexAnthropicWire } from '../sim/vertex-wire.js';
import { createBedrockProvider } from './bedrock/bedrock-provider.js';
import { createVertexAnthropicProvider } from './vertex/vertex-anthropic.js';
import { chat, testDeps } from '../test-support/provider-calls.js';

const HOUR = 3_600_000;
const req: ChatRequest = { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], maxTokens: 32, stream: false, includeUsage: false };
const ctx = () => ({ signal: new AbortController().signal });

test('Vertex: the bearer token is refreshed 5 minutes before it expires (injected clock); a revoked one is replaced', async () => {
  const clock = new ManualClock(Date.now());
  const valid = new Set<string>();
  const seen: string[] = [];
  const sim = new SimServer(createVertexAnthropicWire({ tokenValid: (t) => valid.has(t) }), { onRequest: (r) => seen.push(String(r.headers.authorization)) });
  const origin = await sim.start();
  let issued = 0;
  const provider = createVertexAnthropicProvider(
    { name: 'vertex', type: 'vertex-anthropic', baseUrl: `${origin}/v1`, region: 'us-east5', project: 'sim-project', headers: {}, query: {} },
    testDeps({
      clock,
      googleToken: async () => {
        const token = `ya29.sim-token-${++issued}`;
        valid.add(token);
        return { value: token, expiresAt: clock.now() + HOUR };
      },
    }),
  );
  try {
    await chat(provider, req, 'claude-sonnet-4-5', ctx());
    clock.advance(54 * 60_000);
    await chat(provider, req, 'claude-sonnet-4-5', ctx());
    clock.advance(2 * 60_000);
    await chat(provider, req, 'claude-sonnet-4-5', ctx());
    assert.deepEqual(seen, ['Bearer ya29.sim-token-1', 'Bearer ya29.sim-token-1', 'Bearer ya29.sim-token-2']);

    // Google revoked the token early: the 401 is the caller's error, and the next request has a new token.
    valid.clear();
    await assert.rejects(chat(provider, req, 'claude-sonnet-4-5', ctx()), (e: Error & { kind?: string }) => e.kind === 'auth' && !e.message.includes('ya29.'));
    await chat(provider, req, 'claude-sonnet-4-5', ctx());
    assert.equal(seen.at(-1), 'Bearer ya29.sim-token-3');
  } finally {
    await sim.stop();
  }
});

test('Bedrock: expiring session credentials are fetched anew before they expire, and the simulated AWS verifies the new signature', async () => {
  const clock = new ManualClock(Date.now());
  let known: SimAwsCredential[] = [];
  const keys: string[] = [];
  const sim = new SimServer(createBedrockWire({ credentials: () => known }), { onRequest: (r) => keys.push(/Credential=([^/]+)/.exec(String(r.headers.authorization))?.[1] ?? '') });
  const origin = await sim.start();
  let issued = 0;
  const provider = createBedrockProvider(
    { name: 'bedrock', type: 'bedrock', baseUrl: origin, region: 'us-east-1', headers: {}, query: {} },
    testDeps({
      clock,
      awsCredentials: async () => {
        issued++;
        const cred = { accessKeyId: `ASIAEXAMPLE${issued}`, secretAccessKey: `${SIM_AWS_CREDENTIALS.secretAccessKey}${issued}`, sessionToken: `sessionEXAMPLE${issued}` };
        // The simulated AWS knows only the current session: the one before it has expired there.
        known = [cred];
        return { value: cred, expiresAt: clock.now() + HOUR };
      },
    }),
  );
  try {
    const first = await chat(provider, req, 'claude-sonnet-4-5', ctx());
    assert.equal(first.response.text.length > 0, true);
    clock.advance(56 * 60_000);
    await chat(provider, req, 'claude-sonnet-4-5', ctx());
    assert.deepEqual(keys, ['ASIAEXAMPLE1', 'ASIAEXAMPLE2']);
    assert.equal(sim.stats.byStatus[403], undefined, 'every signature verified');
  } finally {
    await sim.stop();
  }
});
