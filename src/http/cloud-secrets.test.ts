/**
 * No credential of a cloud provider in what the gateway says (issue #29): its logs (debug level),
 * the errors clients get, the status page and its JSON, and `switchyard check`. Traffic goes
 * through every cloud type, including failures: rejected signatures, rejected tokens, a token
 * source that cannot get a token, upstream 5xx and mid-stream exceptions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeConfig } from '../cli/check.js';
import { createBedrockWire, SIM_AWS_CREDENTIALS } from '../sim/bedrock-wire.js';
import { createVertexAnthropicWire } from '../sim/vertex-wire.js';
import { policyWith } from '../routing/policy.js';
import { withPolicy } from '../test-support/stack.js';
import { startCloudStack } from '../test-support/cloud-stack.js';

const SECRETS = {
  awsSecret: SIM_AWS_CREDENTIALS.secretAccessKey,
  awsSession: 'FwoGZXIvYXdzEXAMPLE-session-token-0000',
  vertexToken: 'ya29.FAKE-vertex-access-token-0000',
  azureKey: 'azure-FAKE-secret-key-0000',
  wrongSecret: 'wrong-FAKE-secret-access-key-0000',
};

test('no credential in logs, client errors, the status page, its API or check output', async () => {
  const logs: string[] = [];
  const session = { ...SIM_AWS_CREDENTIALS, sessionToken: SECRETS.awsSession };
  const st = await startCloudStack({
    logLines: logs,
    wires: {
      bedrock: createBedrockWire({ credentials: () => [session] }),
      'vertex-anthropic': createVertexAnthropicWire({ tokenValid: (t) => t === SECRETS.vertexToken }),
    },
    configure: (c) =>
      withPolicy(
        {
          ...c,
          providers: [
            ...c.providers.map((p) =>
              p.name === 'sim-bedrock' ? { ...p, awsKeys: session }
              : p.name === 'sim-vertex' ? { ...p, apiKey: SECRETS.vertexToken }
              : p.name === 'sim-azure' ? { ...p, apiKey: SECRETS.azureKey }
              : p,
            ),
            { ...c.providers.find((p) => p.name === 'sim-bedrock')!, name: 'bedrock-wrong', awsKeys: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRETS.wrongSecret } },
            { ...c.providers.find((p) => p.name === 'sim-vertex')!, name: 'vertex-bad-token', apiKey: 'ya29.FAKE-revoked-token-0000' },
            // No token at all: the credentials file does not exist (google-auth-library fails before any request).
            { name: 'vertex-no-credentials', type: 'vertex-anthropic', baseUrl: 'http://127.0.0.1:9/v1', region: 'us-east5', project: 'p', credentialsFile: '/nonexistent/switchyard-test-sa.json', headers: {}, query: {} },
          ],
          models: [
            ...c.models,
            { name: 'bedrock-wrong', targets: [{ provider: 'bedrock-wrong', model: 'claude-sonnet-4-5' }] },
            { name: 'vertex-bad-token', targets: [{ provider: 'vertex-bad-token', model: 'claude-sonnet-4-5' }] },
            { name: 'vertex-no-credentials', targets: [{ provider: 'vertex-no-credentials', model: 'claude-sonnet-4-5' }] },
          ],
        },
        policyWith({ ttftTimeoutMs: 1000, jsonTimeoutMs: 2000, idleTimeoutMs: 300 }),
      ),
  });
  const said: string[] = [];
  const ask = async (model: string, stream = false) => {
    const res = await fetch(`${st.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model, max_tokens: 64, stream, messages: [{ role: 'user', content: 'Tell me about gateways, reply with 30 words' }] }),
    });
    said.push(JSON.stringify([...res.headers]), await res.text());
    return res.status;
  };
  try {
    for (const model of ['via-bedrock', 'via-vertex', 'via-vertex-gemini', 'claude-sonnet-4-5']) {
      assert.equal(await ask(model), 200);
      assert.equal(await ask(model, true), 200);
    }
    const az = await fetch(`${st.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'via-azure', messages: [{ role: 'user', content: 'hi' }] }) });
    said.push(await az.text());
    assert.equal(az.status, 200);

    assert.notEqual(await ask('bedrock-wrong'), 200);
    assert.notEqual(await ask('vertex-bad-token'), 200);
    assert.notEqual(await ask('vertex-no-credentials'), 200);
    st.sims.bedrock.faults.set([{ fault: { kind: 'status', status: 500 } }]);
    await ask('via-bedrock');
    st.sims.bedrock.faults.set([{ fault: { kind: 'error-after', after: 3 } }]);
    await ask('via-bedrock', true);
    st.sims.azure.faults.set([{ fault: { kind: 'status', status: 401 } }]);
    const azFail = await fetch(`${st.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'via-azure', messages: [{ role: 'user', content: 'hi' }] }) });
    said.push(await azFail.text());

    for (const path of ['/status', '/status/api/v2/summary.json', '/status/api/v2/components.json', '/status/api/v2/incidents.json']) {
      said.push(await (await fetch(`${st.url}${path}`)).text());
    }
    said.push(describeConfig(st.config));

    const everything = [...logs, ...said].join('\n');
    assert.ok(logs.length > 0 && said.length > 20);
    for (const [name, secret] of Object.entries(SECRETS)) assert.ok(!everything.includes(secret), `${name} leaked`);
  } finally {
    await st.close();
  }
});
