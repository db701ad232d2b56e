import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeConfig } from '../cli/check.js';
import { ConfigError } from './config-error.js';
import { parseConfigText } from './parse-config.js';

const YAML = `
providers:
  - { name: anthropic, type: anthropic, api_key: sk-ant-FAKE-0000 }
  - { name: bedrock, type: bedrock, region: us-east-1 }
  - name: bedrock-keys
    type: bedrock
    region: eu-west-1
    access_key_id: \${AWS_ACCESS_KEY_ID}
    secret_access_key: \${AWS_SECRET_ACCESS_KEY}
    model_ids: { claude-haiku-4-5: "arn:aws:bedrock:eu-west-1:111122223333:application-inference-profile/abc123" }
  - { name: vertex, type: vertex-anthropic, project: my-project, region: us-east5 }
  - { name: vertex-g, type: vertex-gemini, project: my-project, region: global, credentials_file: /etc/sa.json }
  - name: azure
    type: azure-openai
    resource: my-resource
    api_key: \${AZURE_OPENAI_API_KEY}
    deployments: { gpt-4o: prod-gpt4o }
models:
  - name: claude-sonnet-4-5
    targets:
      - { provider: anthropic, model: claude-sonnet-4-5 }
      - { provider: bedrock, model: claude-sonnet-4-5 }
      - { provider: vertex, model: claude-sonnet-4-5 }
  - name: haiku
    targets: [{ provider: bedrock-keys, model: claude-haiku-4-5 }, { provider: vertex-g, model: gemini-2.5-flash }]
  - name: gpt-4o
    targets: [{ provider: azure, model: gpt-4o }]
`;
const ENV = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', AZURE_OPENAI_API_KEY: 'azure-FAKE-key-0000' };

test('cloud providers resolve their endpoints from region, project and resource', () => {
  const c = parseConfigText(YAML, 'test.yaml', ENV);
  const by = new Map(c.providers.map((p) => [p.name, p]));
  assert.equal(by.get('bedrock')!.baseUrl, 'https://bedrock-runtime.us-east-1.amazonaws.com');
  assert.deepEqual(by.get('bedrock-keys')!.awsKeys, { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: ENV.AWS_SECRET_ACCESS_KEY });
  assert.equal(by.get('vertex')!.baseUrl, 'https://us-east5-aiplatform.googleapis.com/v1');
  assert.equal(by.get('vertex-g')!.baseUrl, 'https://aiplatform.googleapis.com/v1');
  assert.equal(by.get('azure')!.baseUrl, 'https://my-resource.openai.azure.com/openai');
  assert.deepEqual(by.get('azure')!.modelIds, { 'gpt-4o': 'prod-gpt4o' });
});

test('switchyard check prints each cloud’s own model id and where credentials come from, never a secret', () => {
  const out = describeConfig(parseConfigText(YAML, 'test.yaml', ENV));
  assert.match(out, /1\. claude-sonnet-4-5 {2}via anthropic/);
  assert.match(out, /2\. claude-sonnet-4-5 -> us\.anthropic\.claude-sonnet-4-5-20250929-v1:0 {2}via bedrock/);
  assert.match(out, /3\. claude-sonnet-4-5 -> claude-sonnet-4-5@20250929 {2}via vertex/);
  assert.match(out, /claude-haiku-4-5 -> arn:aws:bedrock:eu-west-1:111122223333:application-inference-profile\/abc123/);
  assert.match(out, /gpt-4o -> prod-gpt4o {2}via azure/);
  assert.match(out, /credentials: AWS credential chain/);
  assert.match(out, /credentials: keys in the configuration \(set\)/);
  assert.match(out, /credentials: Google application default credentials/);
  assert.match(out, /credentials: Google credentials file \/etc\/sa\.json/);
  assert.doesNotMatch(out, /has no api_key/);
  for (const secret of Object.values(ENV)) assert.ok(!out.includes(secret), 'no secret in the output');
});

test('what a cloud type needs is said by name; keys of another type are refused; secrets are not echoed', () => {
  const bad = `
providers:
  - { name: b, type: bedrock, secret_access_key: "\${AWS_SECRET_ACCESS_KEY}", project: p }
  - { name: v, type: vertex-anthropic, region: us-east5 }
  - { name: a, type: azure-openai }
  - { name: o, type: openai, region: us-east-1 }
`;
  const e = (() => {
    try {
      parseConfigText(bad, 'bad.yaml', ENV);
    } catch (err) {
      return err as ConfigError;
    }
    throw new Error('expected a ConfigError');
  })();
  assert.ok(e instanceof ConfigError);
  const text = e.message;
  assert.match(text, /providers\[0\]\.region: required for type bedrock; e\.g\. region: us-east-1/);
  assert.match(text, /providers\[0\]\.project: not used by type bedrock; it is for vertex-anthropic, vertex-gemini/);
  assert.match(text, /providers\[0\]\.access_key_id: access_key_id and secret_access_key go together/);
  assert.match(text, /providers\[1\]\.project: required for type vertex-anthropic/);
  assert.match(text, /providers\[2\]\.resource: required for type azure-openai \(or base_url\)/);
  assert.match(text, /providers\[3\]\.region: not used by type openai/);
  assert.ok(!text.includes(ENV.AWS_SECRET_ACCESS_KEY));
});
